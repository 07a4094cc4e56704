"""Every bundled problem, over many variant seeds: the answer is finite, and typed back the way a
person writes it, it is accepted. The engine is the oracle: the typed forms below are formulas a
learner would write, checked by the grader against the engine at several points."""

import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.grading import grade
from tutor.lessons import bundled_lessons_dir, load_lessons
from tutor.quiz.selection import SEED_LIMIT
from tutor.render.numbers import format_number

LESSONS, BROKEN = load_lessons(bundled_lessons_dir())
PROBLEMS = [(lesson, problem) for lesson in LESSONS for problem in lesson.problems]

# How a learner writes the answer of each expression problem (a formula has no one value to format).
FORMULAS = {
    ("chain-rule", "dz-dx-expr"): "2(x+y)",
    ("add-mul-nodes", "add-dx"): "1",
    ("add-mul-nodes", "add-dy"): "1",
    ("add-mul-nodes", "mul-dx"): "y",
    ("add-mul-nodes", "mul-dy"): "x",
    ("relu-sigmoid", "sigmoid-local"): "y(1 - y)",
    ("sigmoid-steps", "collected"): "dout y^2 exp(-x)",
    ("sigmoid-steps", "simplified"): "dout y (1 - y)",
}


def written(value: float, problem) -> str:
    """A number as a person writes it: four significant digits, or as many as the author's
    tolerance asks for ("four decimal places")."""
    rel = problem.tolerance.rel if problem.tolerance else None
    if rel and rel < 5e-4:
        return f"{value:.{math.ceil(-math.log10(rel)) + 1}g}"
    return format_number(value)


def typed(lesson, problem, instance) -> str:
    if problem.type == "choice":
        return instance.answer(problem.id)
    if problem.type == "expression":
        if (lesson.id, problem.id) not in FORMULAS:
            pytest.fail(f"{lesson.id}/{problem.id}: add the formula a learner would type to FORMULAS")
        return FORMULAS[(lesson.id, problem.id)]
    return ", ".join(written(v, problem) for v in np.ravel(instance.answer(problem.id)))


def test_the_bundled_lessons_load():
    assert LESSONS and not BROKEN


@pytest.mark.parametrize("lesson, problem", PROBLEMS, ids=[f"{l.id}/{p.id}" for l, p in PROBLEMS])
@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(min_value=0, max_value=SEED_LIMIT - 1))
def test_every_variant_answer_is_finite_and_accepted_when_typed_back(lesson, problem, seed):
    instance = lesson.instance(seed=seed)
    answer = instance.answer(problem.id)
    if problem.type != "choice":
        assert np.all(np.isfinite(answer)), f"{lesson.id}/{problem.id} seed {seed}: {answer}"
    text = typed(lesson, problem, instance)
    verdict = grade(instance, problem.id, text, "en")
    assert verdict.correct, f"{lesson.id}/{problem.id} seed {seed}: {text!r} refused: {verdict.message}"
