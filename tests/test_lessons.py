"""The tutor.lessons API (LESSONS_API.md): reading, YAML 1.2 scalars, steps, answers, variants."""

import hashlib
import resource
import time
from pathlib import Path

import numpy as np
import pytest

from tutor.lessons import (LessonError, answer_target, bundled_lessons_dir, load_lesson, load_lessons, text)
from tutor.lessons.answers import AnswerError, parse_answer
from tutor.lessons.safe_yaml import YamlError, read_yaml

LESSONS = Path(__file__).parent / "lessons"
BROKEN = LESSONS / "broken"


def write(tmp_path, front: str, body: str = "{{blank p}}\n", name: str = "l.md") -> Path:
    path = tmp_path / name
    path.write_text(f"---\n{front.strip()}\n---\n{body}", encoding="utf-8")
    return path


GRAPH = """
id: t
title: t
graphs:
  g:
    inputs: {x: 2, y: 3}
    nodes:
      z: x * y
"""


def test_yaml_12_scalars():
    doc = read_yaml("a: 1e-3\nb: 012\nc: no\nd: 3:25\ne: 0x10\nf: .inf\ng: '1'\nh: ~\ni: true\nj: 2.20\n")
    assert doc.data == {"a": 0.001, "b": 12, "c": "no", "d": "3:25", "e": 16, "f": float("inf"), "g": "1",
                        "h": None, "i": True, "j": 2.2}
    assert doc.keys[("c",)].line == 2 and doc.values[("c",)].column == 3


def test_alias_bomb_is_refused_at_once_with_flat_memory():
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    start = time.perf_counter()
    with pytest.raises(LessonError, match="anchors"):
        load_lesson(BROKEN / "alias-bomb.md")
    assert time.perf_counter() - start < 1  # a hang guard, not a benchmark
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KiB


@pytest.mark.parametrize("text_", ["a: [" * 1 + "[" * 100_000, "a: " + "{b: " * 1000 + "1" + "}" * 1000])
def test_deep_nesting_is_an_error_not_a_recursion(text_):
    with pytest.raises(YamlError):
        read_yaml(text_)


def test_every_problem_type_loads(tmp_path):
    lessons, broken = load_lessons(LESSONS)
    assert broken == []
    types = {p.type for lesson in lessons for p in lesson.problems}
    assert types == {"number", "expression", "vector", "choice"}
    assert [lesson.id for lesson in lessons] == ["apple", "backprop-choice", "chain-expression", "net-vector"]


def test_lesson_model():
    lesson = load_lesson(LESSONS / "apple.md")
    assert text(lesson.title, "en") == "Backprop through apple shopping"
    assert text(lesson.title, "ko") == "사과 쇼핑의 역전파"
    assert text("plain", "en") == "plain" and text({"ko": "가"}, "en") == "가"
    assert lesson.graphs["shop"].output == "payment"
    assert lesson.problem("d-price").graph == "shop"  # resolved: the lesson has one graph
    assert lesson.problem("d-price").tolerance.rel == 0.005
    assert lesson.content_hash == hashlib.sha256((LESSONS / "apple.md").read_bytes()).hexdigest()
    with pytest.raises(KeyError):
        lesson.problem("nope")
    forward, backward = lesson.steps
    assert (text(forward.title, "ko"), text(forward.title, "en")) == ("순전파", "Forward")
    assert forward.graphs == ["shop"] and forward.blanks == []
    assert backward.blanks == ["d-price", "d-count", "d-tax"]  # the en copy does not place them twice
    assert "Now backward" in backward.en and "Now backward" not in backward.ko and ":::" not in backward.ko


def test_english_falls_back_to_korean(tmp_path):
    lesson = load_lesson(write(tmp_path, GRAPH + "problems: [{id: p, answer: grad(x)}]",
                               "앞글\n\n## 하나\n본문 {{blank p}}\n"))
    assert [(s.title, s.ko, s.en) for s in lesson.steps] == [("t", "앞글", "앞글"),
                                                              ("하나", "본문 {{blank p}}", "본문 {{blank p}}")]


def test_instance_answers_and_variants():
    lesson = load_lesson(LESSONS / "apple.md")
    default = lesson.instance()
    assert (default.seed, default.inputs) == (None, {})
    assert default.answer("d-price") == pytest.approx(2.2)
    assert default.answer("d-count") == pytest.approx(110)
    assert default.answer("d-tax") == pytest.approx(200)
    variants = [lesson.instance(seed=s) for s in range(10)]
    assert lesson.instance(seed=4).inputs == variants[4].inputs
    assert len({tuple(v.inputs.items()) for v in variants}) > 1
    v = variants[4]
    assert v.graph().value("apple_price") == v.inputs["apple_price"]
    explicit = lesson.instance(values={"apple_count": 7})
    assert explicit.answer("d-tax") == pytest.approx(700)
    with pytest.raises(ValueError):
        lesson.instance(values={"nope": 1})


def test_float_variants_land_on_steps():
    lesson = load_lesson(LESSONS / "chain-expression.md")
    for seed in range(20):
        x = lesson.instance(seed=seed).inputs["x"]
        assert x in (0.5, 1.0, 1.5, 2.0, 2.5)


def test_answer_expressions():
    lesson = load_lesson(LESSONS / "net-vector.md")
    inst = lesson.instance()
    assert np.array_equal(inst.answer("pred"), [3, 6, 9])
    assert inst.answer("new-w") == pytest.approx(3 - 0.1 * 28 / 3)
    assert inst.evaluate("value(loss)") == pytest.approx(14 / 3)
    assert inst.evaluate("grad(pred_y)[-1] * 3 - 2 ** 2") == pytest.approx(2)
    assert inst.evaluate("local(loss, pred_y)[0]") == pytest.approx(inst.evaluate("grad(pred_y)[0]"))
    chain = load_lesson(LESSONS / "chain-expression.md").instance()
    assert chain.answer("dz-dx") == pytest.approx(6) and chain.answer("local-t") == pytest.approx(6)


@pytest.mark.parametrize("hostile", ["__import__('os')", "value(x).__class__", "lambda: 1", "value('x')",
                                     "open('f')", "[1, 2]", "value(x) if 1 else 2", "x.y", "value(pred)[1:2]",
                                     "(" * 500 + "1" + ")" * 500, "1" * 3000, ""])
def test_answer_expressions_refuse_everything_else(hostile):
    with pytest.raises(AnswerError):
        parse_answer(hostile)


def test_answer_errors_name_what_is_wrong():
    inst = load_lesson(LESSONS / "net-vector.md").instance()
    with pytest.raises(AnswerError, match=r"unknown node 'pred' \(did you mean 'pred_y'\?\)"):
        inst.evaluate("value(pred)")
    with pytest.raises(AnswerError, match="is a node: write value"):
        inst.evaluate("w * 2")
    with pytest.raises(AnswerError, match="does not fit a value of shape"):
        inst.evaluate("value(pred_y)[5]")
    with pytest.raises(AnswerError, match="gives infinity"):
        inst.evaluate("1 / (value(w) - 3)")
    with pytest.raises(AnswerError, match="gives infinity"):
        inst.evaluate("9 ** 9 ** 9")  # float64 overflows at once: no hang


def test_answer_target():
    lesson = load_lesson(LESSONS / "net-vector.md")
    assert answer_target(lesson.problem("pred")) == ("forward", "pred_y")
    assert answer_target(lesson.problem("d-pred-first")) is None
    apple = load_lesson(LESSONS / "apple.md")
    assert answer_target(apple.problem("d-price")) == ("backward", "apple_price")
    assert answer_target(load_lesson(LESSONS / "backprop-choice.md").problem("same")) is None


def test_requires_and_duplicate_ids_are_checked_in_a_folder(tmp_path):
    write(tmp_path, GRAPH.replace("id: t", "id: first") + "problems: [{id: p, answer: grad(x)}]", name="1.md")
    write(tmp_path, GRAPH.replace("id: t", "id: first") + "problems: [{id: p, answer: grad(x)}]", name="2.md")
    write(tmp_path, GRAPH.replace("id: t", "id: third\nrequires: [frist, fourth]")
          + "problems: [{id: p, answer: grad(x)}]", name="3.md")
    write(tmp_path, GRAPH.replace("id: t", "id: fourth") + "problems: [{id: p, answer: grad(x)}]", name="4.md")
    lessons, broken = load_lessons(tmp_path)
    assert [lesson.path.name for lesson in lessons] == ["1.md", "4.md"]
    assert [str(issue) for error in broken for issue in error.issues] == [
        f"{tmp_path / '2.md'}:2:5: lesson id 'first' is already used by 1.md",
        f"{tmp_path / '3.md'}:3:12: requires 'frist', which is not a lesson here (did you mean 'first'?)",
        f"{tmp_path / '3.md'}:3:19: requires 'fourth', which comes after this lesson (4.md; lessons are ordered "
        "by file name)",
    ]


@pytest.mark.parametrize("front, message", [
    (GRAPH + "problems: [{id: p, answer: grad(x), type: numbr}]",
     "9:43: unknown problem type 'numbr': use number, expression, vector, choice (did you mean 'number'?)"),
    (GRAPH + "problems: [{id: p, answer: 2}]", "9:28: problems[0].answer: expected text, got a whole number"),
    (GRAPH.replace("title: t\n", "") + "problems: [{id: p, answer: grad(x)}]", "2:1: missing required key 'title'"),
    (GRAPH + "variants: {q: [1]}\nproblems: [{id: p, answer: grad(x)}]",
     "9:12: variant 'q' is not an input of any graph nor a param"),
    (GRAPH + "variants: {x: {float: [1, 2]}}\nproblems: [{id: p, answer: grad(x)}]",
     "9:15: variant 'x': a float range needs a positive step (at most a million steps), as in step: 0.1"),
    (GRAPH + "problems: [{id: p, type: expression, answer: grad(x), vars: [x, k]}]",
     "9:65: 'k' is not a node of graph 'g'"),
    (GRAPH + "problems: [{id: p, type: choice, answer: c, options: [{id: a, text: A}, {id: b, text: B}]}]",
     "9:42: 'c' is not one of the options (a, b)"),
    (GRAPH + "problems: [{id: p, answer: value(z)}, {id: p, answer: grad(y)}]",
     "9:44: duplicate problem id 'p' (first on line 9)"),
    (GRAPH.replace("z: x * y", "z: x * y\n    output: zz") + "problems: [{id: p, answer: grad(x)}]",
     "9:13: graph 'g': output 'zz' is not a node of the graph (did you mean 'z'?)"),
    (GRAPH + "  h: {inputs: {a: 1}}\nproblems: [{id: p, answer: grad(x)}]",
     "10:12: problem 'p': say which graph it uses (graph: g or h)"),
    (GRAPH + "problems: [{id: p, answer: value(z)}]\n# \x1b]52;c;ZXZpbA==\x07",
     "10:3: control character U+001B is not allowed in a lesson"),
    (GRAPH.replace("id: t", "id: Bad_Id") + "problems: [{id: p, answer: grad(x)}]",
     "2:5: lesson id 'Bad_Id' must be lowercase letters and digits joined by single hyphens, like apple-backward"),
])
def test_schema_errors_point_at_the_key(tmp_path, front, message):
    path = write(tmp_path, front)
    with pytest.raises(LessonError) as error:
        load_lesson(path)
    assert str(error.value).splitlines()[0] == f"{path}:{message}"


def test_the_bundled_course_is_valid():
    lessons, broken = load_lessons(bundled_lessons_dir())
    assert broken == []
    assert bundled_lessons_dir().name == "course"
