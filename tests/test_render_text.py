"""Numbers as a person writes them, LaTeX as Unicode, and lesson text made safe to print."""

from fractions import Fraction

import pytest

from tutor.engine import Graph
from tutor.render.mathtext import latex_to_text, markdown_math, safe_text
from tutor.render.numbers import format_number, format_value


def test_the_lecture_numbers_come_out_clean_from_the_engine():
    apple = Graph.parse(inputs={"p": 100, "n": 2, "tax": 1.1}, nodes={"a": "p * n", "pay": "a * tax"})
    assert format_number(apple.value("pay")) == "220"
    assert format_number(apple.grad("n")) == "110"
    assert format_number(float(Fraction(14, 3))) == "4.667"
    assert format_number(float(Fraction(28, 3))) == "9.333"


@pytest.mark.parametrize("x, text", [(60000, "60000"), (2.2, "2.2"), (-0.0, "0"), (0.1 + 0.2, "0.3"),
                                     (0.000123456, "0.0001235"), (1.2e-7, "1.2e-7"), (3e20, "3e20"), (-2.5, "-2.5")])
def test_one_rule_for_every_size_of_number(x, text):
    assert format_number(x) == text


def test_vectors_are_compact():
    assert format_value([3, 6, 9]) == "[3, 6, 9]"
    assert format_value(list(range(100))) == "[0, 1, …] (100,)"
    assert format_value([[1, 2, 3], [4, 5, 6]]) == "2×3"
    assert format_value([[1, 2, 3], [4, 5, 6]], ascii=True) == "2x3"


def test_a_vector_is_elided_only_when_that_is_narrower():
    assert format_value([1, 2, 3], max_items=1) == "[1, 2, 3]"  # not [1, …] (3,)
    assert format_value([0.8333, 1.667, 2.5], max_items=1) == "[0.8333, …] (3,)"
    assert format_value([0.8333, 1.667, 2.5], max_items=1, shape=False) == "[0.8333, …]"
    assert format_value([1, 2, 3], max_items=1, shape=False) == "[1, …]"  # the length is said elsewhere
    assert format_value(list(range(10**6)), ascii=True, max_items=1) == "[0, ...] (1000000,)"


@pytest.mark.parametrize("latex, text", [
    (r"\frac{\partial z}{\partial x}", "∂z/∂x"),
    (r"x^2 + w_0", "x² + w₀"),
    (r"\hat{y}", "ŷ"),
    (r"\sum_1^N (y - \hat{y})^2", "Σ₁ᴺ (y - ŷ)²"),
    (r"y = 2 \cdot x + 10", "y = 2 · x + 10"),
    (r"\frac{\partial z}{\partial x} = \text{---}", "∂z/∂x = ___"),
    (r"\begin{cases} z = t^2 \\ t = x + y \end{cases}", "z = t²\nt = x + y"),
    (r"y = \begin{cases} 0: & z \leq 0 \\ z: & z > 0 \end{cases}", "y = 0: z ≤ 0\n    z: z > 0"),
    (r"x^{y}", "x^y"),
])
def test_latex_reads_as_unicode(latex, text):
    assert latex_to_text(latex) == text


def test_markdown_math_replaces_math_spans_but_not_code():
    md = "식 $z = (x+y)^2$, 코드 `$x^2$`, 그리고\n$$\\frac{\\partial z}{\\partial t} = 2t$$"
    assert markdown_math(md) == "식 z = (x+y)², 코드 `$x^2$`, 그리고\n\n∂z/∂t = 2t\n"


def test_safe_text_strips_escapes_controls_and_bidi_overrides():
    hostile = "a\x1b[2Jb\x1b]52;c;SGVsbG8=\x07c\u202ed\u2066e\tf\ng\x9b31mh\x00i\x85"
    assert safe_text(hostile) == "abcde\tf\nghi"
