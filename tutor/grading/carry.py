"""Errors and roundings carried forward (DESIGN.md, "Feedback from the engine").

A blank computed from earlier blanks is also graded against the value that follows from the learner's own
earlier answers, wherever those are not exactly the engine's (a rounding the grader accepted, or a wrong
number). Three ways an answer follows from earlier ones, each computed by the engine:

- an input carried from an earlier answer (``w1: {answer: w-after-one}``) takes the learner's number,
  and so does every graph built on it (the loss at w = 2.07 after the learner's 2.07);
- a graph call that an earlier blank asked stands for the learner's number (``grad(w)`` in
  ``value(w) - lr * grad(w)`` after the learner's ∂L/∂w);
- a gradient ∂m/∂n is walked back from the learner's ∂m/∂k at a node k on the way
  (``backward(substitute=...)``).
"""

from typing import Mapping

import msgspec
import numpy as np

from tutor.engine import GraphError
from tutor.lessons.answers import AnswerError as LessonAnswerError
from tutor.lessons.answers import call_key, parse_answer
from tutor.lessons.carried import carried_inputs

from .compare import band_of, exactly
from .parse import AnswerError, parse_vector, read_number


class Cited(msgspec.Struct, frozen=True):  # structs, not dataclasses: cheaper to import (tutor/lessons/model.py)
    problem: str
    text: str  # as the learner typed it
    accepted: bool  # the grader accepted it (a rounding), or it was wrong


class Carried(msgspec.Struct, frozen=True):
    value: object  # the answer computed from the learner's earlier answers
    cited: tuple[Cited, ...]


def carried_answer(inst, problem, earlier: Mapping[str, object]) -> Carried | None:
    """The answer to ``problem`` computed from the learner's ``earlier`` answers (text or number, by
    problem id) where they differ from the engine's; None when none of them changes it."""
    lesson = inst.lesson
    before = lesson.problems[: lesson.problems.index(problem)]
    readings = {q.id: reading for q in before if q.id in earlier and (reading := _reading(inst, q, earlier[q.id]))}
    if not readings:
        return None
    overrides: dict[str, object] = {}
    cited = _through_inputs(lesson, problem.graph, readings, overrides)
    try:
        here = inst if not overrides else lesson.instance(inst.seed, values={**inst.given, **overrides})
        graph = here.graph(problem.graph)
        known = {}
        for q in before:
            if q.id in readings and q.graph == problem.graph and q.id not in cited:
                key = call_key(parse_answer(q.answer), graph)
                if key is not None:
                    known[key] = q.id
        values = {key: readings[pid][0] for key, pid in known.items()}
        value = here.evaluate(problem.answer, problem.graph, values)
        for key, pid in known.items():  # cite only the earlier answers that change this one
            if not np.array_equal(value, here.evaluate(problem.answer, problem.graph,
                                                       {k: v for k, v in values.items() if k != key})):
                cited.append(pid)
    except (LessonAnswerError, GraphError, ValueError, ArithmeticError):
        return None  # the learner's numbers lead where the engine cannot go (log of a negative ...)
    if not cited:
        return None
    return Carried(value, tuple(Cited(pid, readings[pid][1], readings[pid][2]) for pid in cited))


def _reading(inst, problem, answer) -> tuple[object, str, bool] | None:
    """(value, text, accepted) of an earlier answer that is readable and not exactly the engine's."""
    if problem.type not in ("number", "vector"):
        return None
    try:
        right = inst.answer(problem.id)
        value = read(answer, int(np.size(right)))
    except (AnswerError, LessonAnswerError, GraphError, ValueError):
        return None
    if np.size(value) != np.size(right) or exactly(value, right):
        return None
    value = np.reshape(np.asarray(value, dtype=np.float64), np.shape(right))
    accepted = band_of(inst.lesson, problem, right).accepts(value, right, problem.allow_zero)
    return (float(value) if value.ndim == 0 else value), str(answer).strip(), accepted


def _through_inputs(lesson, graph_name: str, readings: dict, overrides: dict) -> list[str]:
    """Put the learner's numbers into the inputs carried from earlier answers, on this graph and on the
    graphs it takes answers from; returns the problems whose answers were used."""
    used = []
    for input_name, pid in carried_inputs(lesson.graphs[graph_name].inputs).items():
        if pid in readings:
            overrides[input_name] = readings[pid][0]
            used.append(pid)
        else:
            used += _through_inputs(lesson, lesson.problem(pid).graph, readings, overrides)
    return used


def read(answer, size: int = 1):
    """A number or a vector of ``size`` numbers as the learner typed it (or already a number)."""
    if not isinstance(answer, str):
        return answer
    if size == 1:
        return float(read_number(answer)[0])
    return np.array([float(v) for v in parse_vector(answer, size)])
