"""Is a number close enough? One tolerance rule for numbers, vectors and the diagnosis of mistakes.

The default band is relative 0.5% (so 4.67 passes for 14/3) or absolute 1e-9 near zero. An answer that
is a whole number in every variant (600 iterations, 220 won) is graded exactly, unless the author gives a
tolerance: 601 is not 600. Zero never passes for a non-zero expected value unless the author allows it:
``numpy.isclose`` would accept 0 for a true 3e-9, and a learner who types 0 for a gradient has not found it.
"""

from fractions import Fraction

import msgspec
import numpy as np

from tutor.engine import GraphError
from tutor.lessons.answers import AnswerError
from tutor.render.numbers import format_answer, format_number

EXACT = 1e-9  # relative: closer than this is "exactly right", no band to explain
VARIANT_SAMPLES = 20  # seeds 0..19, as `tutor check` computes them: "whole in every variant" is judged on these


class Band(msgspec.Struct, frozen=True):  # structs, not dataclasses: cheaper to import (tutor/lessons/model.py)
    rel: float = 0.005
    abs: float = 1e-9

    @classmethod
    def of(cls, tolerance) -> "Band":
        """The author's ``tolerance: {rel, abs}`` (either may be missing), else the default."""
        default = cls()
        if tolerance is None:
            return default
        rel = default.rel if tolerance.rel is None else tolerance.rel
        return cls(rel, default.abs if tolerance.abs is None else tolerance.abs)

    def accepts(self, given, expected, allow_zero: bool = False) -> bool:
        given, expected = np.asarray(given, dtype=np.float64), np.asarray(expected, dtype=np.float64)
        if given.size != expected.size:
            return False
        given, expected = given.reshape(expected.shape), expected
        if not allow_zero and np.any((given == 0) & (expected != 0)):
            return False
        # The edge belongs to the band (0.67 is exactly 0.5% from 2/3); 1e-12 absorbs the float error there.
        width = np.maximum(self.abs, self.rel * np.abs(expected)) * (1 + 1e-12)
        return bool(np.all(np.abs(given - expected) <= width))

    def low_high(self, expected: float) -> tuple[float, float]:
        width = max(self.abs, self.rel * abs(expected))
        return expected - width, expected + width

    def shown(self, expected) -> str:
        """The expected value written with the digits this band needs to accept it typed back."""
        return format_answer(expected, self.rel, self.abs)


WHOLE = Band(1e-12, 1e-9)  # a whole-number answer: exact, up to the float's own rounding (220.00000000000003)


def band_of(lesson, problem, value=None) -> Band:
    """The band a problem is graded with: the author's tolerance; else exact for an answer that is a whole
    number in every variant (counts, iterations, won); else the default 0.5%. With ``value`` (this variant's
    answer), a value that is not whole is never graded exactly, whatever the sampled variants said."""
    if problem.tolerance is not None or value is not None and not _whole(np.asarray(value, dtype=np.float64)):
        return Band.of(problem.tolerance)
    return WHOLE if whole_everywhere(lesson, problem) else Band()


def _whole(value: np.ndarray) -> bool:
    return bool(np.all(np.abs(value - np.round(value)) <= EXACT * np.maximum(1, np.abs(value))))


def whole_everywhere(lesson, problem) -> bool:
    """Whether the answer is a whole number for the file's values and every sampled variant (cached on the
    lesson; the first fraction found ends the search)."""
    key = ("whole", problem.id)
    if key not in lesson.memo:
        lesson.memo[key] = problem.type in ("number", "vector") and all(map(_whole, answer_samples(lesson, problem)))
    return lesson.memo[key]


def answer_samples(lesson, problem):
    """The problem's answer for the file's values, then for seeds 0..19 (those the engine can compute)."""
    for seed in [None, *(range(VARIANT_SAMPLES) if lesson.variants else ())]:
        try:
            yield np.asarray(instance_of(lesson, seed).answer(problem.id), dtype=np.float64)
        except (AnswerError, GraphError, ValueError, ArithmeticError):
            continue  # `tutor check` reports a variant the engine cannot compute


def instance_of(lesson, seed):
    """One cached instance per seed of a lesson, shared by everything that samples its variants."""
    key = ("instance", seed)
    if key not in lesson.memo:
        lesson.memo[key] = lesson.instance(seed=seed)
    return lesson.memo[key]


def exactly(given, expected) -> bool:
    return Band(EXACT, 1e-12).accepts(given, expected, allow_zero=True)


def describe(expected, band: Band | None = None) -> str:
    """``14/3 ≈ 4.667`` when the value is a simple fraction that its decimal hides, else the decimal: with
    ``band``, the digits that band needs (``Band.shown``), else the 4 significant digits of values read."""
    array = np.asarray(expected, dtype=np.float64)
    decimals = [band.shown(v) if band else format_number(v) for v in array.ravel()]
    fractions = [_hidden_fraction(v, d) for v, d in zip(array.ravel(), decimals)]
    if array.ndim:  # [2/3, 4/3, 2] ≈ [0.6667, 1.333, 2]: the decimals stay together, as they are typed back
        written = "[" + ", ".join(decimals) + "]"
        if not any(fractions):
            return written
        return "[" + ", ".join(f or d for f, d in zip(fractions, decimals)) + "] ≈ " + written
    return f"{fractions[0]} ≈ {decimals[0]}" if fractions[0] else decimals[0]


def _hidden_fraction(value: float, decimal: str) -> str | None:
    """``14/3`` when the value is a simple fraction that its decimal (4.667) hides; not for 2.2000000000000006."""
    fraction = Fraction(float(value)).limit_denominator(100)
    hides = abs(float(decimal) - value) > EXACT * abs(value)
    if hides and fraction.denominator > 1 and abs(float(fraction) - value) <= EXACT * abs(value):
        return str(fraction)
    return None


def percent(rel: float) -> str:
    return format_number(rel * 100) + "%"
