"""The answer parser: what a learner may type, what is refused with a message, and that nothing hangs."""

import time
from fractions import Fraction

import pytest

from tutor.grading.parse import AnswerError, evaluate_formula, parse_formula, parse_number, parse_vector


@pytest.mark.parametrize("text, value", [
    ("2.2", Fraction(11, 5)),
    ("11/5", Fraction(11, 5)),
    ("２.２", Fraction(11, 5)),          # full-width digits and point
    ("−2.2", Fraction(-11, 5)),          # U+2212 minus
    ("1.1e2", Fraction(110)),            # exactly 110, not 110.00000000000001
    ("-3", Fraction(-3)),
    ("14/3", Fraction(14, 3)),
    ("4.67", Fraction(467, 100)),
    ("1.1×2", Fraction(11, 5)),
    ("22÷10", Fraction(11, 5)),
    ("1.1·2", Fraction(11, 5)),
    ("2^3", Fraction(8)),
    ("2²", Fraction(4)),
    ("  2.2  ", Fraction(11, 5)),
    ("(1/3)*3", Fraction(1)),
    ("-(2)", Fraction(-2)),
    ("4**0.5", Fraction(2)),
    ("1e300", Fraction(10) ** 300),
])
def test_accepted_numbers(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text, key", [
    ("2,2", "decimal-comma"),
    ("1,000", "thousands-comma"),
    ("2.2.2", "two-points"),
    ("0x10", "hex"),
    ("", "empty"),
    ("   ", "empty"),
    ("1" * 10_000, "too-long"),
    ("__import__('os').system('x')", "bad-character"),
    ("x.__class__", "bad-character"),
    ("lambda: 1", "bad-character"),
    ("1\u200b", "bad-character"),  # a zero-width space (format)
    ("2\x1b[2J", "bad-character"),  # an escape sequence (control)
    ("3\U000e0041", "bad-character"),  # a tag character (format, outside the BMP)
    ("4\ue000", "bad-character"),  # private use
    ("1/0", "division-by-zero"),
    ("nan", "not-finite"),
    ("inf", "not-finite"),
    ("9**9**9", "too-large"),
    ("2**1000000", "too-large"),
    ("1e999999999", "too-large"),
    ("1e-999999999", "too-large"),
    ("2 3", "two-numbers"),
    ("2x", "name-in-number"),
    ("exp(1)", "function-in-number"),
    ("(-8)**(1/3)", "not-real"),
    ("(" * 30 + "1" + ")" * 30, "too-deep"),
    ("(1+2", "unbalanced"),
    ("1+", "syntax"),
    ("1234567890" * 4, "too-many-digits"),
])
def test_refused_numbers_say_why_in_both_languages(text, key):
    with pytest.raises(AnswerError) as caught:
        parse_number(text)
    assert caught.value.key == key
    korean, english = caught.value.message("ko"), caught.value.message("en")
    assert korean and english and korean != english


def test_a_decimal_comma_suggests_the_dot():
    with pytest.raises(AnswerError) as caught:
        parse_number("2,2")
    assert "2.2" in caught.value.message("ko") and "2.2" in caught.value.message("en")


@pytest.mark.parametrize("text", ["9**9**9", "2**1000000", "1e999999999", "9" * 199, "((2**2)**2)**99999",
                                  "2**2**2**2**2**2", "1" * 10_000, "(" * 5000, "1/3**-5000", "10**300*10**300"])
def test_hostile_sizes_are_answered_without_hanging(text):
    start = time.perf_counter()
    with pytest.raises(AnswerError):
        parse_number(text)
    assert time.perf_counter() - start < 2  # a hang guard; the precise figure is bench/grade_latency.py


@pytest.mark.parametrize("text, size, values", [
    ("3, 6, 9", 3, [3, 6, 9]),
    ("[3, 6, 9]", 3, [3, 6, 9]),
    ("(1, 2.5)", 2, [1, Fraction(5, 2)]),
    ("３，６，９", 3, [3, 6, 9]),  # full-width commas
])
def test_vectors(text, size, values):
    assert parse_vector(text, size) == values


def test_a_vector_of_the_wrong_length_says_how_many():
    with pytest.raises(AnswerError) as caught:
        parse_vector("3, 6", 3)
    assert caught.value.key == "vector-length" and "3" in caught.value.message("en")
    assert "commas" not in caught.value.message("en")  # the commas were there: the count is what is wrong
    with pytest.raises(AnswerError) as caught:
        parse_vector("3", 3)
    assert caught.value.key == "vector-length-one" and "commas" in caught.value.message("en")


NAMES = {"x", "y", "t"}
AT = {"x": 1.0, "y": 2.0, "t": 3.0}


@pytest.mark.parametrize("text, value", [
    ("2(x+y)", 6), ("2*x+2*y", 6), ("2t", 6), ("2x", 2), ("xy", 2), ("(x+y)(x-y)", -3),
    ("2 (x+y)", 6), ("x²", 1), ("2·x", 2), ("tt", 9), ("x^2 + y", 3), ("−x", -1),
])
def test_formulas_with_implicit_products(text, value):
    assert evaluate_formula(parse_formula(text, NAMES), AT) == pytest.approx(value)


def test_dsl_functions_in_formulas():
    import math

    tree = parse_formula("exp(x*y) + y/x", NAMES)
    assert evaluate_formula(tree, AT) == pytest.approx(math.exp(2) + 2)


def test_a_name_that_is_a_node_is_not_split():
    assert evaluate_formula(parse_formula("xy", {"x", "y", "xy"}), {"x": 2.0, "y": 3.0, "xy": 10.0}) == 10


@pytest.mark.parametrize("text, key", [
    ("q", "unknown-name"), ("xyz", "unknown-name"), ("__import__('os')", "bad-character"),
    ("x.__class__", "bad-character"), ("lambda: x", "bad-character"), ("nan", "not-finite"),
    ("exp(x", "unbalanced"), ("x +", "syntax"), ("exp(x, y)", "syntax"),
])
def test_refused_formulas(text, key):
    with pytest.raises(AnswerError) as caught:
        parse_formula(text, NAMES)
    assert caught.value.key == key and caught.value.message("en")


def test_an_unknown_name_gets_a_suggestion():
    with pytest.raises(AnswerError) as caught:
        parse_formula("apple_prise", {"apple_price", "tax"})
    assert "apple_price" in caught.value.message("ko") and "did you mean 'apple_price'" in caught.value.message("en")
