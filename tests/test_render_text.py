"""Numbers as a person writes them, LaTeX as Unicode, and lesson text made safe to print."""

import re
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


# Every formula of the bundled course, then the book's chapter 5 formulas (and a few more forms):
# (LaTeX, Unicode, ASCII). A compound numerator or denominator is parenthesised, a fraction written
# beside a term is too, Σ and Π keep their limits, hats and bars stay on their letters.
FORMULAS = [
    # the course
    (r"y = 2 \cdot x + 10", "y = 2 · x + 10", "y = 2 * x + 10"),
    (r"z = (x + y)^2", "z = (x + y)²", "z = (x + y)^2"),
    (r"z = t^2, \quad t = x + y", "z = t², t = x + y", "z = t^2, t = x + y"),
    (r"\frac{\partial z}{\partial x} = \frac{\partial z}{\partial t} \cdot \frac{\partial t}{\partial x}",
     "∂z/∂x = ∂z/∂t · ∂t/∂x", "dz/dx = dz/dt * dt/dx"),
    (r"\frac{\partial z}{\partial x} = \frac{\partial z}{\partial t} \cdot \frac{\partial t}{\partial x} = 2t \cdot 1"
     r" = 2(x + y)", "∂z/∂x = ∂z/∂t · ∂t/∂x = 2t · 1 = 2(x + y)", "dz/dx = dz/dt * dt/dx = 2t * 1 = 2(x + y)"),
    (r"z = x + y", "z = x + y", "z = x + y"),
    (r"z = xy", "z = xy", "z = xy"),
    (r"\partial L/\partial z", "∂L/∂z", "dL/dz"),
    (r"y = 2x", "y = 2x", "y = 2x"),
    (r"w_0 = 3", "w₀ = 3", "w_0 = 3"),
    (r"y = w_0 \cdot x = 3x", "y = w₀ · x = 3x", "y = w_0 * x = 3x"),
    (r"w_0", "w₀", "w_0"),
    (r"y = w_0 \cdot x", "y = w₀ · x", "y = w_0 * x"),
    (r"z \le 0", "z ≤ 0", "z <= 0"),
    (r"z > 0", "z > 0", "z > 0"),
    (r"\frac{1}{N} \sum_1^N (y - \hat{y})^2", "(1/N) Σ₁ᴺ (y - ŷ)²", "(1/N) sum_1^N (y - hat(y))^2"),
    (r"\frac{1}{2}\sum(y - t)^2", "(1/2)Σ(y - t)²", "(1/2)sum(y - t)^2"),
    (r"w \leftarrow w - lr \cdot \frac{\partial L}{\partial w}", "w ← w - lr · ∂L/∂w", "w <- w - lr * dL/dw"),
    (r"x > 0", "x > 0", "x > 0"),
    (r"x < 0", "x < 0", "x < 0"),
    (r"x = 0", "x = 0", "x = 0"),
    (r"y = x", "y = x", "y = x"),
    (r"x \le 0", "x ≤ 0", "x <= 0"),
    (r"y = 0", "y = 0", "y = 0"),
    (r"y = \frac{1}{1 + \exp(-x)}", "y = 1/(1 + exp(-x))", "y = 1/(1 + exp(-x))"),
    (r"\frac{\partial L}{\partial y} y^2 \exp(-x)", "(∂L/∂y) y² exp(-x)", "(dL/dy) y^2 exp(-x)"),
    (r"\exp(-x) = \frac{1 - y}{y}", "exp(-x) = (1 - y)/y", "exp(-x) = (1 - y)/y"),
    (r"Y = X \cdot W + B", "Y = X · W + B", "Y = X * W + B"),
    (r"\partial L/\partial Y", "∂L/∂Y", "dL/dY"),
    (r"\frac{\partial L}{\partial X} = \frac{\partial L}{\partial Y} \cdot W^T", "∂L/∂X = ∂L/∂Y · Wᵀ",
     "dL/dX = dL/dY * W^T"),
    (r"\frac{\partial L}{\partial W} = X^T \cdot \frac{\partial L}{\partial Y}", "∂L/∂W = Xᵀ · ∂L/∂Y",
     "dL/dW = X^T * dL/dY"),
    (r"(y - t) / N", "(y - t) / N", "(y - t) / N"),
    (r"y = \text{sigmoid}(w x + b)", "y = sigmoid(w x + b)", "y = sigmoid(w x + b)"),
    (r"L = (y - t)^2", "L = (y - t)²", "L = (y - t)^2"),
    (r"\frac{\partial L}{\partial w} \approx \frac{L(w + h) - L(w - h)}{2h}", "∂L/∂w ≈ (L(w + h) - L(w - h))/(2h)",
     "dL/dw ~= (L(w + h) - L(w - h))/(2h)"),
    # the book, chapter 5 (equations 5.1-5.13 and the layers' formulas)
    (r"\frac{\partial z}{\partial t} = 2t", "∂z/∂t = 2t", "dz/dt = 2t"),
    (r"\frac{\partial z}{\partial x} = 1, \frac{\partial z}{\partial y} = 1", "∂z/∂x = 1, ∂z/∂y = 1",
     "dz/dx = 1, dz/dy = 1"),
    (r"\frac{\partial z}{\partial x} = y", "∂z/∂x = y", "dz/dx = y"),
    (r"y = \begin{cases} x & (x > 0) \\ 0 & (x \leq 0) \end{cases}", "y = x (x > 0)\n    0 (x ≤ 0)",
     "y = x (x > 0)\n    0 (x <= 0)"),
    (r"\frac{\partial y}{\partial x} = \begin{cases} 1 & (x > 0) \\ 0 & (x \leq 0) \end{cases}",
     "∂y/∂x = 1 (x > 0)\n        0 (x ≤ 0)", "dy/dx = 1 (x > 0)\n        0 (x <= 0)"),
    (r"\frac{\partial y}{\partial x} = -\frac{1}{x^2} = -y^2", "∂y/∂x = -1/x² = -y²", "dy/dx = -1/x^2 = -y^2"),
    (r"\frac{\partial y}{\partial x} = \exp(x)", "∂y/∂x = exp(x)", "dy/dx = exp(x)"),
    (r"\frac{\partial L}{\partial y} \frac{1}{1 + \exp(-x)} \frac{\exp(-x)}{1 + \exp(-x)}"
     r" = \frac{\partial L}{\partial y} y (1 - y)",
     "(∂L/∂y) (1/(1 + exp(-x))) (exp(-x)/(1 + exp(-x))) = (∂L/∂y) y (1 - y)",
     "(dL/dy) (1/(1 + exp(-x))) (exp(-x)/(1 + exp(-x))) = (dL/dy) y (1 - y)"),
    (r"y_k = \frac{\exp(a_k)}{\sum_{i=1}^{n} \exp(a_i)}", "yₖ = exp(aₖ)/(Σᵢ₌₁ⁿ exp(aᵢ))",
     "y_k = exp(a_k)/(sum_(i=1)^n exp(a_i))"),
    (r"L = -\sum_k t_k \log y_k", "L = -Σₖ tₖ log yₖ", "L = -sum_k t_k log y_k"),
    (r"E = \frac{1}{2} \sum_k (y_k - t_k)^2", "E = (1/2) Σₖ (yₖ - tₖ)²", "E = (1/2) sum_k (y_k - t_k)^2"),
    (r"\mathbf{W} \leftarrow \mathbf{W} - \eta \frac{\partial L}{\partial \mathbf{W}}", "W ← W - η (∂L/∂W)",
     "W <- W - eta (dL/dW)"),
    # more forms: limits, products, accents, roots, blanks
    (r"\sum_{i=1}^{N} (y_i - t_i)^2", "Σᵢ₌₁ᴺ (yᵢ - tᵢ)²", "sum_(i=1)^N (y_i - t_i)^2"),
    (r"\prod_{k=1}^{n} x_k", "Πₖ₌₁ⁿ xₖ", "prod_(k=1)^n x_k"),
    (r"\bar{x} = \frac{1}{N}\sum_i x_i", "x̄ = (1/N)Σᵢ xᵢ", "bar(x) = (1/N)sum_i x_i"),
    (r"\hat{y}", "ŷ", "hat(y)"),
    (r"\sqrt{x^2 + 1}", "√(x² + 1)", "sqrt(x^2 + 1)"),
    (r"\frac{\partial^2 L}{\partial w^2}", "∂²L/∂w²", "d^2L/dw^2"),
    (r"\left( \frac{a}{b} \right)", "(a/b)", "(a/b)"),
    (r"\sigma(x)(1 - \sigma(x))", "σ(x)(1 - σ(x))", "sigma(x)(1 - sigma(x))"),
    (r"\frac{\partial z}{\partial x} = \text{---}", "∂z/∂x = ___", "dz/dx = ___"),
    (r"\begin{cases} z = t^2 \\ t = x + y \end{cases}", "z = t²\nt = x + y", "z = t^2\nt = x + y"),
    (r"y = \begin{cases} 0: & z \leq 0 \\ z: & z > 0 \end{cases}", "y = 0: z ≤ 0\n    z: z > 0",
     "y = 0: z <= 0\n    z: z > 0"),
    (r"x^{y}", "x^y", "x^y"),
]


@pytest.mark.parametrize("latex, unicode, ascii", FORMULAS)
def test_latex_reads_as_unicode_and_as_ascii(latex, unicode, ascii):
    assert latex_to_text(latex) == unicode
    assert latex_to_text(latex, ascii=True) == ascii
    assert latex_to_text(latex, ascii=True).isascii()


def _course_formulas() -> list[str]:
    from tutor.lessons import bundled_lessons_dir
    from tutor.lessons.mathspans import math_spans

    found = []
    for path in sorted(bundled_lessons_dir().glob("*.md")):
        for _, latex in math_spans(path.read_text(encoding="utf-8")):
            found.append(latex)
    return found


def test_the_table_holds_every_formula_of_the_bundled_course():
    table = {latex for latex, _, _ in FORMULAS}
    missing = sorted(set(_course_formulas()) - table)
    assert not missing, f"add these to FORMULAS, with how they must read: {missing}"


def _fractions(latex: str):
    """(numerator, denominator) of every \\frac in ``latex``, by brace matching."""
    at = latex.find(r"\frac")
    while at >= 0:
        parts, i = [], at + len(r"\frac")
        for _ in range(2):
            start, depth = latex.index("{", i), 0
            for i in range(start, len(latex)):
                depth += (latex[i] == "{") - (latex[i] == "}")
                if depth == 0:
                    break
            parts.append(latex[start + 1:i])
            i += 1
        yield tuple(parts)
        at = latex.find(r"\frac", at + 1)


@pytest.mark.parametrize("latex", sorted({latex for latex, _, _ in FORMULAS if r"\frac" in latex}))
def test_no_fraction_loses_its_grouping(latex):
    # A numerator or denominator of more than one term is written in brackets beside the slash.
    text = latex_to_text(latex)
    for numerator, denominator in _fractions(latex):
        for part, written in ((latex_to_text(numerator), "({})/"), (latex_to_text(denominator), "/({})")):
            outside = re.sub(r"\([^()]*\)", "()", part.replace("∂² ", "∂²"))  # what is not in brackets already
            if re.search(r"[-+·]|\S\s+\S|^\d+[^\W\d]", outside):  # more than one term: 1 + x, y (1 - y), 2h
                assert written.format(part) in text, (part, text)


def test_ten_thousand_nested_braces_neither_recurse_nor_crash():
    # The loader refuses such a formula (test_check.py, deep-math.md); the converter still never recurses.
    deep = "{" * 10_000 + "x" + "}" * 10_000
    assert latex_to_text(deep) == "x"
    assert markdown_math("a $" + r"\frac" + deep + deep + "$ b") == "a x/x b"


def test_markdown_math_replaces_math_spans_but_not_code():
    md = "식 $z = (x+y)^2$, 코드 `$x^2$`, 그리고\n$$\\frac{\\partial z}{\\partial t} = 2t$$"
    assert markdown_math(md) == "식 z = (x+y)², 코드 `$x^2$`, 그리고\n\n∂z/∂t = 2t\n"


def test_safe_text_strips_escapes_controls_and_bidi_overrides():
    hostile = "a\x1b[2Jb\x1b]52;c;SGVsbG8=\x07c\u202ed\u2066e\tf\ng\x9b31mh\x00i\x85"
    assert safe_text(hostile) == "abcde\tf\nghi"


DEEP = "{" * 300 + "x" + "}" * 300  # issue 22, item 4: passed check, then a RecursionError in quiz and app


@pytest.mark.parametrize("place", ["body", "prompt", "hint", "option", "mistake"])
def test_math_nested_deeper_than_the_limit_is_refused_where_it_is(tmp_path, place):
    from tutor.lessons import LessonError, load_lesson
    from tutor.lessons.mathspans import MAX_MATH_DEPTH

    texts = {"body": "", "prompt": "", "hint": "", "option": "", "mistake": ""}
    texts[place] = f"before ${DEEP}$"
    path = tmp_path / "deep.md"
    path.write_text(f"""---
id: deep
title: Deep
graphs:
  g: {{inputs: {{x: 2}}, nodes: {{z: x * x}}}}
problems:
  - id: p
    answer: grad(x)
    prompt: {{ko: ok, en: "{texts['prompt']}"}}
    hints: ["{texts['hint']}"]
    mistakes: [{{id: m, answer: value(x), message: "{texts['mistake']}"}}]
  - id: c
    type: choice
    options: [{{id: a, text: "{texts['option']}"}}, {{id: b, text: b}}]
    answer: a
---
{{{{blank p}}}} {{{{blank c}}}}
{texts['body']}
""", encoding="utf-8")
    with pytest.raises(LessonError) as refused:
        load_lesson(path)
    [issue] = refused.value.issues
    assert f"more than {MAX_MATH_DEPTH} braces deep" in issue.message and "MAX_MATH_DEPTH" in issue.message
    line = path.read_text(encoding="utf-8").splitlines()[issue.line - 1]
    if place == "body":  # the column of the first brace over the limit
        assert (issue.line, issue.col) == (18, len("before $") + MAX_MATH_DEPTH + 1)
    else:  # the text's own scalar: its opening quote (in a flow list the loader's mark is one further)
        assert DEEP in line and issue.col - 1 in (line.index('"before'), line.index('"before') + 1)


def test_a_lesson_with_too_deep_math_is_listed_as_broken_and_the_quiz_goes_on(tmp_path):
    # The reproduction of issue 22, item 4: `tutor quiz --plain` printed a RecursionError traceback.
    import subprocess
    import sys
    from pathlib import Path

    folder = tmp_path / "pack"
    folder.mkdir()
    good = Path(__file__).parent / "lessons" / "grading" / "apple.md"
    (folder / good.name).write_bytes(good.read_bytes())
    (folder / "zz-deep.md").write_text((Path(__file__).parent / "lessons" / "broken" / "deep-math.md")
                                       .read_text(encoding="utf-8"), encoding="utf-8")
    env = {**__import__("os").environ, "TUTOR_DATA_DIR": str(tmp_path), "TUTOR_LANG": "en",
           "TUTOR_DB": str(tmp_path / "progress.sqlite3")}
    run = subprocess.run([sys.executable, "-c", "from tutor.cli import main; main()", "quiz", "--plain", "--all",
                          "--count=1", "--seed=1", f"--lessons={folder}"], input="1\n", capture_output=True,
                         text=True, env=env, timeout=60)
    assert "Traceback" not in run.stdout + run.stderr and "RecursionError" not in run.stdout + run.stderr
    assert "zz-deep.md:12:14" in run.stderr and "MAX_MATH_DEPTH" in run.stderr
