"""Is a number close enough? One tolerance rule for numbers, vectors and the diagnosis of mistakes.

The default band is relative 0.5% (so 4.67 passes for 14/3) or absolute 1e-9 near zero. Zero never
passes for a non-zero expected value unless the author allows it: ``numpy.isclose`` would accept 0 for
a true 3e-9, and a learner who types 0 for a gradient has not found it.
"""

import math
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from tutor.render.numbers import SIGNIFICANT, format_number

EXACT = 1e-9  # relative: closer than this is "exactly right", no band to explain


@dataclass(frozen=True)
class Band:
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


def exactly(given, expected) -> bool:
    return Band(EXACT, 1e-12).accepts(given, expected, allow_zero=True)


def describe(expected, width: float | None = None) -> str:
    """``14/3 ≈ 4.667`` when the value is a simple fraction that its decimal hides, else the decimal;
    with ``width``, enough digits to tell apart numbers that far apart (a band of ±0.005% around 2.00444)."""
    array = np.asarray(expected, dtype=np.float64)
    if array.ndim:
        return "[" + ", ".join(describe(v, width) for v in array.ravel()) + "]"
    value = float(array)
    decimal = format_number(value) if not (width and value) else _finer(value, width)
    fraction = Fraction(value).limit_denominator(100)
    hides = abs(float(decimal) - value) > EXACT * abs(value)  # 4.667 for 14/3, but not 2.2 for 2.2000000000000006
    if hides and fraction.denominator > 1 and abs(float(fraction) - value) <= EXACT * abs(value):
        return f"{fraction} ≈ {decimal}"
    return decimal


def _finer(value: float, width: float) -> str:
    digits = max(SIGNIFICANT, math.ceil(math.log10(abs(value) / width)) + 1)
    text = f"{value:.{digits}g}"
    return text.rstrip("0").rstrip(".") if "." in text and "e" not in text else text


def percent(rel: float) -> str:
    return format_number(rel * 100) + "%"
