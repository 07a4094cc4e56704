"""The mistakes learners really make (issue 17): each wrong answer gets its own message, in Korean and in
English. The wrong numbers are computed here from the lesson's givens (plain Python and numpy), not taken
from the engine's graphs; the corrections to the lessons' text are checked beside them."""

import re

import numpy as np
import pytest

from tutor.grading import grade
from tutor.lessons import bundled_lessons_dir, load_lessons, text

LESSONS, _ = load_lessons(bundled_lessons_dir())
BY_ID = {lesson.id: lesson for lesson in LESSONS}
NET = BY_ID["y-equals-2x"]
SEEDS = range(1, 21)
XS = [1.0, 2.0, 3.0]
LR = 0.1


def squared_errors(w: float) -> list[float]:
    """y = 2x learnt by ŷ = ReLU(w·x) over X = 1, 2, 3."""
    return [(max(w * x, 0.0) - 2 * x) ** 2 for x in XS]


def sample_gradient(w: float, x: float) -> float:
    """∂/∂w of one sample's squared error (ŷ − 2x)²."""
    return 2 * (max(w * x, 0.0) - 2 * x) * (x if w * x > 0 else 0.0)


def lesson_message(lesson, pid: str, mistake_id: str, lang: str) -> str:
    mistake = next(m for m in lesson.problem(pid).mistakes if m.id == mistake_id)
    return text(mistake.message, lang)


def both(inst, pid: str, typed) -> list:
    return [grade(inst, pid, typed if isinstance(typed, str) else repr(float(typed)), lang) for lang in ("ko", "en")]


# ---- y = 2x: the loss, SGD's first gradient, SGD carried on -------------------------------------------

@pytest.mark.parametrize("seed", SEEDS)
def test_the_loss_without_1_over_n_and_with_the_books_half_are_told(seed):
    inst = NET.instance(seed)
    w0 = inst.inputs["w"]
    errors = squared_errors(w0)
    for typed, kind, words in ((sum(errors), "loss-missing-1/n", ("N = 3으로 나누지 않은", "not divided by N = 3")),
                               (sum(errors) / 2, "loss-sse-convention", ("책의 손실 ½Σ", "the book's loss ½Σ"))):
        ko, en = both(inst, "loss", typed)
        assert (ko.mistake, en.mistake) == (kind, kind), (seed, w0, typed)
        assert words[0] in ko.message and words[1] in en.message
    assert grade(inst, "loss", repr(sum(errors) / 3)).correct
    # and the loss after one GD update, the other place the lesson asks it
    w1 = w0 - LR * sum(sample_gradient(w0, x) for x in XS) / len(XS)
    for typed, kind in ((sum(squared_errors(w1)), "loss-missing-1/n"), (sum(squared_errors(w1)) / 2, "loss-sse-convention")):
        assert [v.mistake for v in both(inst, "gd-loss1", typed)] == [kind, kind], (seed, w1, typed)


@pytest.mark.parametrize("seed", SEEDS)
def test_sgds_first_gradient_as_gds_or_divided_by_3_is_told(seed):
    inst = NET.instance(seed)
    w0 = inst.inputs["w"]
    gd = sum(sample_gradient(w0, x) for x in XS) / len(XS)
    one = sample_gradient(w0, XS[0])
    assert grade(inst, "sgd-g1", repr(one)).correct
    for typed, kind in ((gd, "gd-gradient"), (one / 3, "divided-by-3")):
        ko, en = both(inst, "sgd-g1", typed)
        assert (ko.mistake, en.mistake) == (kind, kind), (seed, w0, typed)
        assert ko.message == lesson_message(NET, "sgd-g1", kind, "ko")
        assert en.message == lesson_message(NET, "sgd-g1", kind, "en")


@pytest.mark.parametrize("seed", SEEDS)
def test_sgd_started_again_from_w0_instead_of_carried_on_is_told(seed):
    inst = NET.instance(seed)
    w0 = inst.inputs["w"]
    carried = w0 - LR * sample_gradient(w0, XS[0])
    for pid, x in (("sgd-w2", XS[1]), ("sgd-w3", XS[2])):
        assert grade(inst, pid, repr(carried - LR * sample_gradient(carried, x))).correct
        ko, en = both(inst, pid, w0 - LR * sample_gradient(w0, x))
        assert (ko.mistake, en.mistake) == ("restarted", "restarted"), (seed, w0, pid)
        assert "처음 w" in ko.message and "initial w" in en.message
        carried -= LR * sample_gradient(carried, x)


# ---- add and multiply nodes with an upstream gradient: z given for ∂L/∂x ------------------------------

@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize(("pid", "graph", "forward"), [("add-up-dx", "add_up", lambda x, y: x + y),
                                                       ("mul-up-dx", "mul_up", lambda x, y: x * y)])
def test_the_forward_value_z_given_for_the_gradient_is_told(seed, pid, graph, forward):
    inst = BY_ID["add-mul-nodes"].instance(seed)
    x, y = (float(inst.graph(graph).value(name)) for name in ("x", "y"))  # the givens drawn on the graph
    ko, en = both(inst, pid, forward(x, y))
    assert (ko.mistake, en.mistake) == ("forward-value", "forward-value"), (seed, x, y)
    assert "z의 순전파 값" in ko.message and "forward value of z" in en.message


# ---- ReLU at exactly 0 ---------------------------------------------------------------------------------

def test_relu_backward_with_slope_1_at_0_is_told():
    lesson = BY_ID["relu-sigmoid"]
    inst = lesson.instance()
    graph = inst.graph("relu")
    x, dout = np.asarray(graph.value("x")), np.asarray(graph.value("dout"))
    assert (x == 0).any()  # the lesson's x has a 0, where the two rules part
    slope_1_at_0 = np.where(x >= 0, dout, 0)
    ko, en = both(inst, "relu-backward", ", ".join(map(str, slope_1_at_0)))
    assert (ko.mistake, en.mistake) == ("relu-at-zero", "relu-at-zero")
    assert "미분할 수 없" in ko.message and "no derivative at 0" in en.message
    assert grade(inst, "relu-backward", ", ".join(map(str, np.where(x > 0, dout, 0)))).correct


def test_the_relu_lesson_says_there_is_no_derivative_at_0_and_0_is_the_books_convention():
    lesson = BY_ID["relu-sigmoid"]
    korean = "\n".join(step.ko for step in lesson.steps)
    english = "\n".join(step.en for step in lesson.steps)
    assert "미분할 수 없" in korean and "관례" in korean and "x <= 0" in korean
    assert "no derivative" in english and "convention" in english and "x <= 0" in english
    assert not re.search(r"x \\le 0\$일 때 0", korean)  # the old text: "derivative 0 for x ≤ 0"


# ---- the fruit lesson says only what is certain about the book ------------------------------------------

def test_the_fruit_lesson_names_the_books_code_not_a_translation():
    lesson = BY_ID["fruit-backward"]
    everything = "\n".join([step.ko + step.en for step in lesson.steps] + [text(lesson.source, "ko")])
    assert "오렌지" not in everything  # the Korean edition's word is not known for certain
    assert "`orange`" in everything and "buy_apple_orange.py" in everything


# ---- the Affine layer on the book's batch: shapes that tell the rules apart ------------------------------

AFFINE = BY_ID["affine-softmax"]


def affine_givens(inst):
    graph = inst.graph("affine")
    return tuple(np.asarray(graph.value(name), dtype=float) for name in ("x", "W", "b", "dout"))


def vector(values) -> str:
    return ", ".join(repr(float(v)) for v in values)


def test_the_affine_batch_has_shapes_where_the_rules_can_be_told_apart():
    x, w, b, dout = affine_givens(AFFINE.instance())
    assert x.shape == (3, 2) and w.shape == (2, 3) and b.shape == (3,) and dout.shape == (3, 3)
    assert (x.T @ dout).shape == w.shape
    with pytest.raises(ValueError):
        x @ dout  # X·dout does not fit: only Xᵀ·dout has W's shape
    with pytest.raises(ValueError):
        dout @ w  # nor does dout·W: only dout·Wᵀ has X's shape
    assert not np.allclose(dout.sum(axis=0), dout.sum(axis=1))  # db's axis shows in its values
    inst = AFFINE.instance()
    assert grade(inst, "dw-row0", vector((x.T @ dout)[0])).correct
    assert grade(inst, "dx-row0", vector((dout @ w.T)[0])).correct
    assert grade(inst, "db", vector(dout.sum(axis=0))).correct
    assert not grade(inst, "db", vector(dout.sum(axis=1))).correct


@pytest.mark.parametrize(("pid", "wrong", "kind", "words"), [
    ("affine-forward", lambda x, w, b, dout: (x @ w)[0], "no-bias", ("편향 B를 더하지 않은", "without the bias B")),
    ("db", lambda x, w, b, dout: dout.mean(axis=0), "mean", ("평균", "mean over the batch")),
    ("dw-row0", lambda x, w, b, dout: x[0] @ dout[:2], "no-transpose", ("첫 행 [1, 2]", "first row [1, 2]")),
])
def test_each_affine_mistake_is_told(pid, wrong, kind, words):
    inst = AFFINE.instance()
    ko, en = both(inst, pid, vector(wrong(*affine_givens(inst))))
    assert (ko.mistake, en.mistake) == (kind, kind)
    assert words[0] in ko.message and words[1] in en.message


def test_the_softmax_with_loss_gradient_without_1_over_n_is_told():
    inst = AFFINE.instance()
    graph = inst.graph("softmax")
    a, t = np.asarray(graph.value("a"), dtype=float), np.asarray(graph.value("t"), dtype=float)
    y = np.exp(a) / np.exp(a).sum(axis=1, keepdims=True)
    assert grade(inst, "softmax-grad0", vector((y[0] - t[0]) / len(a))).correct
    ko, en = both(inst, "softmax-grad0", vector(y[0] - t[0]))
    assert (ko.mistake, en.mistake) == ("no-batch-mean", "no-batch-mean")
    assert "배치 크기로 나누지 않은" in ko.message and "not divided by the batch size" in en.message
