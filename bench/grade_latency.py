"""Grading one answer in-process (issue 4: under 5 ms for the bundled lessons; hostile input under 50 ms).

Every problem of every bundled lesson is graded with a right answer and a wrong one (a wrong number
goes through the carried-forward check and every mistake rule, the slowest path). The peer is the
engine computing that problem's expected answer (``inst.answer``): the ratio says what reading the
text, comparing and diagnosing cost on top of the answer itself.
"""

import gc
import time

import numpy as np

from tutor.grading import grade
from tutor.lessons import bundled_lessons_dir, load_lessons

from .harness import Result, figure, skipped

HOSTILE = ["9**9**9", "2**1000000", "1e999999999", "9" * 10_000, "(" * 5000, "__import__('os').system('x')",
           "2**2**2**2**2**2", "((2**2)**2)**99999", "x" * 199, "1/3**-5000"]


def _answers(inst, problem) -> list[str]:
    if problem.type == "choice":
        return [problem.answer, problem.options[0].id]
    if problem.type == "expression":
        names = [n for n, node in inst.graph(problem.graph).nodes.items() if node.kind == "input"]
        return ["+".join(names), "2*" + "*".join(names)]
    expected = np.atleast_1d(np.asarray(inst.answer(problem.id), dtype=np.float64))
    return [", ".join(repr(float(v)) for v in values) for values in (expected, expected * 1.37 + 0.5)]


def _timed(call) -> float:
    start = time.perf_counter()
    call()
    return (time.perf_counter() - start) * 1000


def _samples(cases, rounds: int) -> tuple[list[float], list[float]]:
    grading, answering = [], []
    gc.collect()
    gc.disable()
    try:
        for _ in range(rounds):
            for inst, problem, text in cases:  # subject and peer in alternation, call by call
                grading.append(_timed(lambda: grade(inst, problem.id, text)))
                answering.append(_timed(lambda: inst.answer(problem.id)))
    finally:
        gc.enable()
    return grading, answering


@figure
def grade_latency(quick: bool) -> list[Result]:
    lessons, _ = load_lessons(bundled_lessons_dir())
    cases = [(inst, problem, text)
             for inst in (lesson.instance() for lesson in lessons)
             for problem in inst.lesson.problems for text in _answers(inst, problem)]
    if not cases:
        return [skipped("grade_latency_p50", "ms", "the bundled course has no problems", "< 5")]
    grading, answering = _samples(cases, 5 if quick else 20)
    hostile_inst, hostile_problem = next((inst, p) for inst, p, _ in cases if p.type == "number")
    hostile = [_timed(lambda: grade(hostile_inst, hostile_problem.id, text)) for text in HOSTILE for _ in range(5)]
    p50, p99 = np.percentile(grading, 50), np.percentile(grading, 99)
    peer50, peer99 = np.percentile(answering, 50), np.percentile(answering, 99)
    note = f"{len(cases)} answers to {len({(id(i), p.id) for i, p, _ in cases})} bundled problems, right and wrong"
    return [
        Result("grade_latency_p50", float(p50), "ms", float(peer50), float(p50 / peer50), "", note),
        Result("grade_latency_p99", float(p99), "ms", None, None, "< 5",
               f"peer p99 (the engine computing the expected answer): {peer99:.3g} ms"),
        Result("grade_latency_hostile_max", float(max(hostile)), "ms", None, None, "< 50",
               f"slowest of {len(HOSTILE)} hostile answers ({', '.join(h[:12] for h in HOSTILE[:3])} ...)"),
    ]
