"""What a learner met (issue 15, "What a learner meets today"), each case reproduced and now true.

Expected numbers come from the engine, except where a case is about the engine's graphs reaching every
problem: lesson 8's answers are checked against GD and SGD computed here in plain Python from w₀.
"""

import json
import re

import pytest
from click.testing import CliRunner

from tutor.cli import cli
from tutor.grading import grade, solution
from tutor.grading.compare import band_of
from tutor.grading.grade import shown_answer
from tutor.lessons import bundled_lessons_dir, load_lessons

COURSE = bundled_lessons_dir()
LESSONS, _ = load_lessons(COURSE)
BY_ID = {lesson.id: lesson for lesson in LESSONS}
NET = BY_ID["y-equals-2x"]


def run(*args):
    return CliRunner().invoke(cli, [str(a) for a in args])


# ---- lesson 8: the variant of w₀ reaches every graph and every problem --------------------------------

def gd_and_sgd(w0: float, lr: float = 0.1) -> dict[str, float]:
    """The lecture's y = 2x net trained by hand: X = 1, 2, 3, targets 2x, ReLU, loss (1/N)Σ(ŷ − y)²."""
    xs = [1.0, 2.0, 3.0]

    def loss(w, data):
        return sum((max(w * x, 0.0) - 2 * x) ** 2 for x in data) / len(data)

    def gradient(w, data):
        return sum(2 * (max(w * x, 0.0) - 2 * x) * (x if w * x > 0 else 0.0) for x in data) / len(data)

    w1 = w0 - lr * gradient(w0, xs)
    w2 = w1 - lr * gradient(w1, xs)
    s1 = w0 - lr * gradient(w0, xs[:1])
    s2 = s1 - lr * gradient(s1, xs[1:2])
    return {"loss": loss(w0, xs), "d-w": gradient(w0, xs), "w-after-one": w1, "gd-loss1": loss(w1, xs),
            "gd-w2": w2, "gd-w3": w2 - lr * gradient(w2, xs), "sgd-g1": gradient(w0, xs[:1]), "sgd-w1": s1,
            "sgd-w2": s2, "sgd-w3": s2 - lr * gradient(s2, xs[2:])}


@pytest.mark.parametrize("seed", range(1, 21))
def test_lesson_8_answers_follow_the_variants_w0(seed):
    inst = NET.instance(seed)
    w0 = inst.graph("net").value("w")
    assert w0 == inst.inputs["w"]
    for pid, value in gd_and_sgd(w0).items():
        assert inst.answer(pid) == pytest.approx(value, rel=1e-9, abs=1e-12), (seed, w0, pid)
    # every graph that holds a weight holds this variant's
    assert inst.graph("gd1").value("w1") == pytest.approx(gd_and_sgd(w0)["w-after-one"], rel=1e-12)
    assert inst.graph("sgd1").value("w") == w0


def test_lesson_8_variants_draw_other_weights_than_the_lectures():
    assert {NET.instance(seed).inputs["w"] for seed in range(1, 21)} - {3}


def test_lesson_8_prose_does_not_fix_w0_and_says_sgd_normally_shuffles():
    prose = "\n".join(step.ko + step.en for step in NET.steps)
    assert not re.search(r"w_?0?\s*=\s*3\b|w\(?₀\)?\s*=\s*3\b|\b3x\b", prose)
    assert "무작위로 섞" in prose and "shuffles" in prose


def test_lesson_8_training_panel_starts_from_the_variant_and_writes_the_blanks_digits():
    from tutor.app.screens.walk import Trainer, training_text

    inst = NET.instance(1)
    band = band_of(NET, NET.problem("gd-w2"))
    trainer = Trainer(inst.graph("net"), NET.params["lr"], band.shown)
    trainer.step(False)
    trainer.step(False)
    panel = training_text(trainer, "ko").plain
    assert f"w = {band.shown(inst.answer('gd-w2'))}" in panel
    assert grade(inst, "gd-w2", band.shown(inst.answer("gd-w2"))).correct


# ---- shown = accepted ------------------------------------------------------------------------------

@pytest.mark.parametrize("pid", ["gd-w2", "gd-w3"])
def test_a_narrow_bands_answer_is_shown_with_the_digits_it_needs_everywhere(pid):
    inst = NET.instance()
    shown = shown_answer(inst, pid)
    assert grade(inst, pid, shown).correct
    assert grade(inst, pid, shown).message  # and typing it back is not told "no"
    for lang in ("ko", "en"):
        assert solution(inst, pid, lang).endswith(shown)
    table = run("answers", NET.path).output
    assert re.search(rf"^{pid}\s.*\s{re.escape(shown)}$", table, re.M)
    key = json.loads(run("answers", NET.path, "--json").output)
    assert key["shown"][pid] == shown and grade(inst, pid, repr(key["answers"][pid])).correct
    assert f"**{shown}**" in run("answers", NET.path, "--format", "md").output
    graded = json.loads(run("grade", NET.path, pid, "0", "--json").output)
    assert graded["shown"] == shown


def test_the_shortest_decimal_of_the_lectures_numbers_is_shown():
    inst = NET.instance()
    assert shown_answer(inst, "gd-w2") == "2.0044" and shown_answer(inst, "gd-w3") == "2.0003"
    assert shown_answer(inst, "loss") == "4.667"
    assert shown_answer(BY_ID["computational-graph"].instance(), "apple-payment") == "220"


# ---- exact where exact -----------------------------------------------------------------------------

@pytest.mark.parametrize(("lesson_id", "pid", "off"), [
    ("gradient-descent", "iters-per-epoch", 1), ("gradient-descent", "iters-per-epoch", -1),
    ("gradient-descent", "sgd-iters", -200), ("computational-graph", "apple-payment", 1),
    ("computational-graph", "fruit-payment", 3)])
def test_whole_number_answers_are_graded_exactly(lesson_id, pid, off):
    inst = BY_ID[lesson_id].instance()
    right = inst.answer(pid)
    assert right == pytest.approx(round(right), rel=1e-12)
    verdict = grade(inst, pid, str(round(right)))
    assert verdict.correct and verdict.band is None
    wrong = grade(inst, pid, str(round(right) + off))
    assert not wrong.correct and "반올림" not in wrong.message


def test_rounding_is_praised_only_where_rounding_happened():
    inst = NET.instance()
    rounded = grade(inst, "loss", "4.67", "en")  # 14/3 rounded
    assert rounded.correct and "rounded, so it counts" in rounded.band
    close = grade(inst, "loss", "4.65", "en")  # within 0.5% of 14/3, but no rounding of it
    assert close.correct and "is not 14/3 ≈ 4.667 rounded" in close.band
    assert "반올림으로 보고" in grade(inst, "loss", "4.67").band and "반올림은 아니지만" in grade(inst, "loss", "4.65").band


# ---- carried forward through values ------------------------------------------------------------------

def test_a_rounded_earlier_answer_carries_into_the_loss_computed_from_it():
    inst = NET.instance()
    assert grade(inst, "w-after-one", "2.07").correct  # 2.0667 rounded: accepted
    verdict = grade(inst, "gd-loss1", "0.0229", "ko", earlier={"w-after-one": "2.07"})  # the loss at w = 2.07
    assert verdict.correct and verdict.carried and "2.07" in verdict.message and "반올림" in verdict.message
    assert not grade(inst, "gd-loss1", "0.0229").correct  # without the earlier answer it is not the loss at w1
    exact = grade(inst, "gd-loss1", shown_answer(inst, "gd-loss1"), "ko", earlier={"w-after-one": "2.07"})
    assert exact.correct and not exact.carried  # the exact answer stays right


def test_carrying_follows_the_chain_of_graphs():
    """gd-w3 is computed on a graph whose w2 is gd-w2's answer, itself computed from w-after-one's."""
    inst = NET.instance()
    step = 1 - 0.1 * (2 / 3) * 14  # one GD step multiplies w − 2 by this (∂L/∂w = (2/3)·14·(w − 2))
    rounded_w2 = 2 + (2.07 - 2) * step  # from the learner's 2.07 (accepted for 2.0667)
    verdict = grade(inst, "gd-w2", f"{rounded_w2:.5f}", "en", earlier={"w-after-one": "2.07"})
    assert verdict.correct and verdict.carried and "rounded earlier answer 2.07" in verdict.message
    from_wrong = 2 + (2.1 - 2) * step * step  # two steps on from a wrong 2.1
    verdict = grade(inst, "gd-w3", f"{from_wrong:.6f}", "en", earlier={"w-after-one": "2.1"})
    assert verdict.correct and verdict.carried and "Right, given your earlier answer 2.1" in verdict.message
    # the learner's latest number wins: gd-w2 answered too, gd-w3 follows from it
    verdict = grade(inst, "gd-w3", f"{2 + 0.01 * step:.6f}", "en", earlier={"w-after-one": "2.1", "gd-w2": "2.01"})
    assert verdict.correct and verdict.carried and "2.01" in verdict.message and "2.1" not in verdict.message


def test_a_wrong_gradient_carries_into_the_update_computed_from_it():
    inst = NET.instance()
    wrong_gradient = 3.0  # sgd-g1 is 2 at w₀ = 3
    verdict = grade(inst, "sgd-w1", str(3 - 0.1 * wrong_gradient), "en", earlier={"sgd-g1": "3"})
    assert verdict.correct and verdict.carried and "Right, given your earlier answer 3" in verdict.message
    assert not grade(inst, "sgd-w1", "2.7").correct
