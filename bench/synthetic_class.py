"""A class of synthetic learners, for `tutor report`'s tests and its benchmark. Every answer is graded
by the tutor's own grader, so every diagnosed mistake in it is one the grader really diagnoses: a wrong
answer is the value of one of the lesson's own mistakes or of one of the engine's wrong rules, typed as
a person would (the value with the digits shown), and kept only when the grader names it.

Deterministic: the same seed gives the same learners, answers and times (attempts a few seconds apart
from `START`), so a report of it can be compared byte for byte.
"""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

import numpy as np

from tutor.engine import GraphError
from tutor.grading import grade
from tutor.grading.grade import shown_answer
from tutor.grading.mistakes import gradient_target, suspects, value_suspects
from tutor.progress.store import Attempt, timestamp
from tutor.render.numbers import format_number

START = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def _typed(value) -> str:
    return ", ".join(format_number(v) for v in np.ravel(value)) if np.size(value) > 1 else format_number(value)


_WRONG_ANSWERS: dict[tuple[str, str], tuple[tuple[str, str], ...]] = {}


def wrong_answers(lesson, problem_id: str) -> tuple[tuple[str, str], ...]:
    """(typed answer, the mistake the grader names) for each diagnosed wrong answer of a problem, with the
    lesson's own values (seed None)."""
    key = (lesson.id, problem_id)
    if key not in _WRONG_ANSWERS:
        _WRONG_ANSWERS[key] = _diagnosed(lesson, problem_id)
    return _WRONG_ANSWERS[key]


def _diagnosed(lesson, problem_id: str) -> tuple[tuple[str, str], ...]:
    inst = lesson.instance()
    problem = lesson.problem(problem_id)
    if problem.type in ("choice", "expression"):
        return ()
    values = [inst.evaluate(mistake.answer, problem.graph) for mistake in problem.mistakes]
    try:
        graph = inst.graph(problem.graph)
        target = gradient_target(problem.answer, graph)
        found = suspects(graph, target) if target is not None else value_suspects(problem.answer, graph)
        values += [suspect.value for suspect in found]
    except (GraphError, ValueError):
        pass
    named = {}
    for value in values:
        typed = _typed(value)
        verdict = grade(inst, problem_id, typed, "en")
        if not verdict.correct and verdict.mistake and typed not in named:
            named[typed] = verdict.mistake
    return tuple(named.items())


def learner_attempts(lessons, pack: str, learner: str, rng: random.Random, start: datetime = START,
                     skill: float = 0.6) -> tuple[list[Attempt], list[tuple[str, str]]]:
    """One learner's attempts at every problem of `lessons`, in order, and the (lesson, problem) whose
    answer they had revealed. For each problem: right at the first try with chance `skill`; else a few
    wrong answers (mostly diagnosed ones), then the right one, or, one time in five, the answer revealed."""
    attempts, revealed, moment = [], [], start
    for lesson in lessons:
        inst = lesson.instance()
        for problem in lesson.problems:
            wrongs = wrong_answers(lesson, problem.id)
            tries = 0 if rng.random() < skill else rng.randint(1, 4)
            hints = 0
            for _ in range(tries):
                typed = rng.choice(wrongs)[0] if wrongs and rng.random() < 0.8 else "123456789"
                moment += timedelta(seconds=rng.randint(5, 40))
                verdict = grade(inst, problem.id, typed)
                attempts.append(Attempt(pack, lesson.id, problem.id, None, typed, verdict.correct, verdict.mistake,
                                        hints, 9.0, timestamp(moment), learner=learner))
                hints = min(hints + rng.randint(0, 1), 3)
            if tries and rng.random() < 0.2:
                revealed.append((lesson.id, problem.id))
                continue
            moment += timedelta(seconds=rng.randint(5, 40))
            right = shown_answer(inst, problem.id)
            attempts.append(Attempt(pack, lesson.id, problem.id, None, right, grade(inst, problem.id, right).correct,
                                    None, hints, 9.0, timestamp(moment), learner=learner))
    return attempts, revealed


def record_learner(store, lessons, pack: str, attempts: list[Attempt], revealed: list[tuple[str, str]]) -> None:
    """Write one learner's attempts and reveals through the store, as the app would, and mark the
    lessons whose every blank they solved as completed."""
    for attempt in attempts:
        store.record_attempt(attempt)
    for lesson, problem in revealed:
        store.mark_revealed(pack, lesson, problem)
    solved = {(a.lesson, a.problem) for a in attempts if a.correct}
    for lesson in lessons:
        if all((lesson.id, problem.id) in solved for problem in lesson.problems):
            store.complete_lesson(pack, lesson.id)
