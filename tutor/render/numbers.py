"""Numbers and arrays as a person writes them: ``220``, not ``220.00000000000003``.

One rule for values that are read (graph drawings, hints, feedback): 4 significant digits, but never
fewer than the integer part needs (``60000`` stays ``60000``), trailing zeros stripped, scientific
notation only below 0.0001 or from 10^15 up.

One rule for an expected answer that is *shown* (a solution, a quiz skip, the answer key, the training
panel): ``format_answer`` writes as many digits as the grading band needs for the number to be accepted
when it is typed back (2.0044 where the band is ±0.005%, not 2.004).
"""

import math

import numpy as np

SIGNIFICANT = 4
VECTOR_ITEMS = 4  # vectors longer than this are elided: [3, 6, …] (100,)


def format_number(x: float) -> str:
    x = float(x)
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    if x == 0:
        return "0"  # also for -0.0
    integer_digits = math.floor(math.log10(abs(x))) + 1
    digits = max(SIGNIFICANT, min(integer_digits, 15))
    text = f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{_strip_zeros(mantissa)}e{int(exponent)}"
    text = _strip_zeros(text)
    return "0" if text == "-0" else text


def format_answer(value, rel: float, abs: float) -> str:
    """An expected answer as the learner may type it back: each number with the fewest significant digits
    (at least ``SIGNIFICANT``) that put it within half the grading band (``max(abs, rel·|x|)``) of the
    true value, so that it is accepted with room to spare; a vector as ``[3, 6, 9]``."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim:
        return "[" + ", ".join(format_answer(v, rel, abs) for v in array.ravel()) + "]"
    x = float(array)
    if not math.isfinite(x) or x == 0:
        return format_number(x)
    margin = max(abs, rel * math.fabs(x)) / 2
    integer_digits = math.floor(math.log10(math.fabs(x))) + 1
    for digits in range(max(SIGNIFICANT, min(integer_digits, 15)), 18):
        text = _written(x, digits)
        if math.fabs(float(text) - x) <= margin:
            return text
    return repr(x)  # the float itself: reads back exactly


def _written(x: float, digits: int) -> str:
    text = f"{x:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        return f"{_strip_zeros(mantissa)}e{int(exponent)}"
    return _strip_zeros(text)


def _strip_zeros(text: str) -> str:
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_value(value, ascii: bool = False, max_items: int = VECTOR_ITEMS, shape: bool = True) -> str:
    """A scalar as a number, a short vector in full, a long one elided with its shape (``shape=False``:
    without it, where the reader sees the length nearby), a matrix as its shape."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim == 0:
        return format_number(array)
    times, ellipsis = ("x", "...") if ascii else ("×", "…")
    if array.ndim >= 2:
        return times.join(str(n) for n in array.shape)
    if array.size <= max_items:
        return _in_full(array)
    shown = ", ".join(format_number(v) for v in array[: max(1, max_items - 2)])
    elided = f"[{shown}, {ellipsis}]" + (f" ({array.size},)" if shape else "")
    # Elided only when that is narrower: [1, 2, 3] rather than [1, …] (3,). A vector written in full
    # takes at least 3 cells an item, so a long one is not written out to find that out.
    if 3 * array.size <= len(elided) and len(full := _in_full(array)) <= len(elided):
        return full
    return elided


def _in_full(array: np.ndarray) -> str:
    return "[" + ", ".join(format_number(v) for v in array) + "]"
