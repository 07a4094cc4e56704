"""What a learner met (issue 15, "What a learner meets today"), each case reproduced and now true.

Expected numbers come from the engine, except where a case is about the engine's graphs reaching every
problem: lesson 8's answers are checked against GD and SGD computed here in plain Python from w₀.
"""

import io
import json
import re

import numpy as np
import pytest
from cli_runner import CliRunner

from tutor.cli import main
from tutor.grading import grade, hints, solution
from tutor.authoring.truth import SEEDS
from tutor.grading.compare import band_of, instance_of
from tutor.grading.grade import shown_answer
from tutor.lessons import bundled_lessons_dir, load_lessons
from tutor.render.numbers import format_value

COURSE = bundled_lessons_dir()
LESSONS, _ = load_lessons(COURSE)
BY_ID = {lesson.id: lesson for lesson in LESSONS}
NET = BY_ID["y-equals-2x"]


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


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
    from rich.console import Console

    from tutor.app.screens.charts import new_trainers, training_table

    inst = NET.instance(1)
    band = band_of(NET, NET.problem("gd-w2"))
    trainers = new_trainers(inst.graph("net"), NET.params["lr"])
    trainers["GD"].step()
    trainers["GD"].step()
    console = Console(width=100, record=True, file=io.StringIO())
    console.print(training_table(trainers, "ko", band.shown))
    rows = console.export_text().splitlines()
    assert re.match(rf"\s*2\s+\S+\s+{re.escape(band.shown(inst.answer('gd-w2')))}\s", rows[3])  # update 2: GD's w
    assert grade(inst, "gd-w2", band.shown(inst.answer("gd-w2"))).correct


def test_the_training_table_keeps_each_methods_latest_update_when_it_elides_rows():
    """GD stepped once and SGD five times: the rows 0, …, 3, 4, 5 left out GD's one update."""
    from rich.console import Console

    from tutor.app.screens.charts import TABLE_ROWS, new_trainers, training_table

    inst = NET.instance()
    trainers = new_trainers(inst.graph("net"), NET.params["lr"])
    trainers["GD"].step()
    for _ in range(5):
        trainers["SGD"].step()
    console = Console(width=120, record=True, file=io.StringIO())
    console.print(training_table(trainers, "en", lambda x: f"{x:.4f}"))
    rows = [line.split() for line in console.export_text().splitlines()[1:] if line.strip()]
    assert len(rows) <= TABLE_ROWS and [row[0] for row in rows][-2:] == ["4", "5"]
    gd_once = next(row for row in rows if row[0] == "1")
    assert f"{trainers['GD'].history[1].loss:.4f}" in gd_once  # GD's loss after its one update


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
    from tutor.quiz.selection import Question
    from tutor.quiz.session import QuizSession

    skipped = QuizSession([Question(NET, NET.problem(pid), seed=None)], lang="en").skip()  # a quiz's "give up"
    assert skipped.endswith(shown)


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
    assert close.correct and "is not 14/3 ≈ 4.6667 rounded" in close.band
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


# ---- each built-in mistake message, its stated numbers plugged into the engine ---------------------------

def _close(a, b) -> bool:
    return bool(np.allclose(np.asarray(a, dtype=float), np.asarray(b, dtype=float), rtol=1e-9, atol=1e-12))


def _with_the_books_loss(lesson, graph_name: str, inst):
    """The same graph with the lecture's mse replaced by the book's sse (½Σ), for this variant."""
    from tutor.engine import Graph

    spec = lesson.graphs[graph_name]
    graph = inst.graph(graph_name)
    inputs = {name: graph.values[name] for name, node in graph.nodes.items() if node.kind == "input"}
    nodes = {name: expression.replace("mse(", "sse(") for name, expression in spec.nodes.items()}
    return Graph.parse(inputs=inputs, nodes=nodes, output=spec.output, params=inst.params)


def check_claim(lesson, inst, problem, graph, target, suspect, correct) -> None:
    """The claim of one rule's message, recomputed by the engine from the numbers the message states."""
    f, value = suspect.facts, suspect.value
    if suspect.id == "own-input":
        local = graph.local(f["consumer"], f["node"])
        assert _close(local, graph.value(f["other"])) and _close(f["own"], graph.value(f["node"]))
        if suspect.form.startswith("local"):
            assert _close(value, f["own"])
        else:
            assert _close(f["other_value"], graph.value(f["other"]))
            assert _close(correct, f["upstream"] * f["other_value"]) and _close(value, f["upstream"] * f["own"])
    elif suspect.id == "split-at-add":
        assert graph.nodes[f["consumer"]].op == "add" and _close(graph.local(f["consumer"], f["node"]), 1)
        assert _close(correct, f["upstream"]) and _close(value, f["upstream"] / 2)
    elif suspect.id in ("local-only", "upstream-only"):
        assert _close(f["local"], graph.local(f["consumer"], f["node"]))
        assert _close(correct, f["upstream"] * f["local"])
        assert _close(value, f["local"] if suspect.id == "local-only" else f["upstream"])
    elif suspect.id == "with-upstream":  # the blank asks local(m, n); its upstream is ∂output/∂m
        assert _close(f["upstream"], graph.grad(target.m)) and _close(value, f["upstream"] * correct)
    elif suspect.id == "forward-value":
        assert _close(value, graph.value(f["node"])) and _close(f["value"], value)
    elif suspect.id == "sign-flip":
        assert _close(value, -np.asarray(correct))
    elif suspect.id == "missing-1/n":
        node = graph.nodes[f["consumer"]]
        assert node.op in ("mse", "mean") and f["n"] == np.broadcast(*(graph.values[a] for a in node.args)).size
        assert _close(value, np.asarray(correct) * f["n"])
    elif suspect.id in ("missing-2", "sse-convention") and suspect.form != "square":
        # ∂/∂ŷ of (1/N)Σ(y − ŷ)² is (2/N)(ŷ − y), ŷ being the argument the gradient comes through
        pred, other = graph.value(f["pred"]), graph.value(f["target"])
        assert _close(graph.local(f["consumer"], f["pred"]), 2 / f["n"] * (pred - other))
        assert _close(f["local"], 2 / f["n"] * (pred - other))
        assert f["pred"] == target.n or f["pred"] in suspects_path(graph, target)
        if suspect.id == "missing-2":
            assert _close(value, np.asarray(correct) / 2)
        else:  # the book's ½Σ(y − ŷ)²: ∂/∂ŷ = ŷ − y, and every gradient behind it N/2 times as large
            assert _close(f["book"], pred - other) and _close(f["factor"], f["n"] / 2)
            books = _with_the_books_loss(lesson, problem.graph, inst)
            assert _close(value, books.d(target.m, target.n) if target.kind == "grad" else value)
    elif suspect.id == "missing-2":  # a square node: ∂(u²)/∂u = 2u
        assert _close(graph.local(f["consumer"], f["arg"]), 2 * np.asarray(f["u"])) and _close(f["u"], graph.value(f["arg"]))
        assert _close(value, np.asarray(correct) / 2)
    elif suspect.id == "one-path":
        paths = [(c, i) for c, i in graph.consumers(target.n) if c in graph.backward(target.m).grads]
        assert _close(sum(graph.backward(target.m).edges[p] for p in paths), correct)
        assert _close(value, f["path"])
    elif suspect.id == "gradient-for-value":
        assert _close(value, graph.grad(f["node"]))
    elif suspect.id in ("loss-missing-1/n", "loss-sse-convention"):  # Σ(y − ŷ)², ½Σ(y − ŷ)²
        node = graph.nodes[f["consumer"]]
        pred, other = (np.asarray(graph.value(a), dtype=float) for a in node.args)
        squares = float(np.sum((pred - other) ** 2))
        assert node.op == "mse" and f["n"] == np.broadcast(pred, other).size
        assert _close(value, squares if suspect.id == "loss-missing-1/n" else squares / 2)
    elif suspect.id == "relu-at-zero":  # slope 1 at x = 0: the upstream gradient passed where x is 0
        x = np.asarray(graph.value(f["node"]))
        consumer = next(c for c, _ in graph.consumers(f["node"]) if graph.nodes[c].op == "relu")
        upstream = graph.backward(target.m).grads[consumer]
        assert _close(value, np.where(x >= 0, upstream, 0)) and (x == 0).any()
    else:
        raise AssertionError(f"no claim check for the rule {suspect.id}")


def suspects_path(graph, target) -> set[str]:
    from tutor.grading.mistakes import _between

    return set(_between(graph, target.n, target.m))


def message_cases():
    from tutor.grading.mistakes import gradient_target, suspects, value_suspects

    from pathlib import Path

    grading_lessons, _ = load_lessons(Path(__file__).parent / "lessons" / "grading")  # local(m, n) on a × node
    for lesson in [*LESSONS, *grading_lessons]:
        for seed in [None, 0, 1, 2]:
            inst = lesson.instance(seed)
            for problem in lesson.problems:
                if problem.type not in ("number", "vector", "expression"):
                    continue
                graph = inst.graph(problem.graph)
                target = gradient_target(problem.answer, graph)
                rules = suspects(graph, target) if target else value_suspects(problem.answer, graph)
                if rules:
                    yield lesson, inst, problem, graph, target, rules


def test_every_built_in_mistake_message_is_mathematically_right_where_it_can_fire():
    from tutor.grading.mistakes import explain
    from tutor.render.numbers import format_value

    fired = set()
    for lesson, inst, problem, graph, target, rules in message_cases():
        correct = inst.answer(problem.id) if not target or not target.index else graph.grad(target.n)
        for suspect in rules:
            if problem.answer.rstrip().endswith("]") or np.size(suspect.value) != np.size(correct):
                continue  # a row of a gradient (the whole gradient's rule, at the index); a shape no answer has
            where = (lesson.id, inst.seed, problem.id, suspect.id)
            check_claim(lesson, inst, problem, graph, target, suspect, correct if target else inst.answer(problem.id))
            for lang in ("ko", "en"):  # and the message states those very numbers
                message = explain([suspect], lang)
                for fact in suspect.facts.values():
                    if not isinstance(fact, (str, tuple)):
                        assert format_value(fact) in message, (where, fact, message)
            fired.add(suspect.message_key)
    # every message of the table met at least once in the course
    assert fired >= {"mistake-own-input", "mistake-own-input-constant", "mistake-own-input-local",
                     "mistake-split-at-add", "mistake-local-only", "mistake-upstream-only", "mistake-forward-value", "mistake-sign-flip", "mistake-missing-1/n",
                     "mistake-missing-2-mse", "mistake-missing-2-square", "mistake-sse-convention",
                     "mistake-with-upstream", "mistake-gradient-for-value", "mistake-loss-missing-1/n",
                     "mistake-loss-sse-convention", "mistake-relu-at-zero"}, fired


def test_the_sse_message_gives_the_gradients_sign_and_factor_right():
    """Following the message (∂L/∂ŷ = (2/N)(ŷ − y), N/2 times with ½Σ) gives the engine's numbers."""
    inst = NET.instance()
    verdict = grade(inst, "d-w", "14", "en")  # the book's ½Σ: 28/3 · 3/2
    assert verdict.mistake == "sse-convention"
    assert "∂L/∂ŷ = (2/N)(ŷ − y) = [0.6667, 1.333, 2]" in verdict.message  # ŷ − y = 1, 2, 3 (ŷ = 3, 6, 9)
    assert "ŷ = pred_y, y = train_y" in verdict.message and "N/2 = 1.5 times" in verdict.message
    assert "(2/N)·(y−ŷ)" not in verdict.message and "(2/N)(y − ŷ)" not in verdict.message
    missing = grade(inst, "d-w", "28/6", "ko")
    assert missing.mistake == "missing-2" and "∂L/∂ŷ = (2/N)(ŷ − y)" in missing.message
    assert "2(y−ŷ)" not in missing.message


# ---- no false diagnosis ----------------------------------------------------------------------------------

def test_lesson_5_never_draws_x_equal_to_y_and_the_own_input_is_never_right():
    lesson = BY_ID["add-mul-nodes"]
    for seed in range(200):
        inst = lesson.instance(seed)
        x, y = inst.graph("mul_up").value("x"), inst.graph("mul_up").value("y")
        assert x != y, seed
        own = inst.graph("mul_up").grad("z") * x  # ∂L/∂z times x's own value
        assert not grade(inst, "mul-up-dx", repr(float(own))).correct, seed


def test_lesson_4_a_forgotten_2_of_t_squared_is_told_as_such():
    inst = BY_ID["chain-rule"].instance()
    t = inst.graph().value("t")
    for lang, words in (("ko", "2를 빠뜨린"), ("en", "The 2 from differentiating t²")):
        number = grade(inst, "dz-dx", repr(float(t)), lang)
        assert number.mistake == "forgot-2" and words in number.message and "덧셈 노드" not in number.message
        formula = grade(inst, "dz-dx-expr", "x + y", lang)
        assert formula.mistake == "forgot-2" and words in formula.message


def test_lesson_12_forgetting_x_is_not_told_as_the_missing_2():
    inst = BY_ID["gradient-check"].instance()
    graph = inst.graph("net")
    without_x = graph.grad("w") / graph.value("x")  # the × node's x left out
    assert not np.isclose(without_x, graph.grad("w") / 2)
    verdict = grade(inst, "bp-dw", repr(float(without_x)), "en")
    assert verdict.mistake == "upstream-only" and "missing" not in verdict.message
    assert grade(inst, "bp-dw", repr(float(graph.grad("w") / 2)), "en").mistake == "missing-2"


def test_an_authors_mistake_that_gives_the_right_answer_is_never_told():
    inst = BY_ID["y-equals-2x"].instance()
    right = shown_answer(inst, "d-w")
    verdict = grade(inst, "d-w", right)
    assert verdict.correct and verdict.mistake is None


# ---- formulas shown as formulas ----------------------------------------------------------------------------

@pytest.mark.parametrize(("lesson_id", "pid", "formula"), [
    ("chain-rule", "dz-dx-expr", "2(x + y)"), ("relu-sigmoid", "sigmoid-local", "y(1 − y)"),
    ("add-mul-nodes", "mul-dx", "y"), ("add-mul-nodes", "mul-dy", "x"), ("add-mul-nodes", "add-dx", "1")])
def test_giving_up_on_a_formula_shows_the_formula_and_its_value(lesson_id, pid, formula):
    inst = BY_ID[lesson_id].instance()
    for lang in ("ko", "en"):
        worked = solution(inst, pid, lang)
        assert formula in worked and " = " in worked, worked
    assert shown_answer(inst, pid) == formula and grade(inst, pid, formula).correct


def test_a_formula_in_a_name_the_problem_does_not_allow_is_refused_with_the_allowed_ones():
    chain = BY_ID["chain-rule"].instance()
    refused = grade(chain, "dz-dx-expr", "2t", "ko")  # the lesson asks "x와 y의 식으로"
    assert refused.invalid and "x, y" in refused.message and "'t'" in refused.message
    sigmoid = BY_ID["relu-sigmoid"].instance()
    assert BY_ID["relu-sigmoid"].problem("sigmoid-local").vars == ["y"]  # "출력 y만으로"
    refused = grade(sigmoid, "sigmoid-local", "y^2*exp(-x)", "en")
    assert refused.invalid and "Only y may be used" in refused.message
    assert grade(sigmoid, "sigmoid-local", "y(1-y)").correct


def test_a_wrong_formula_is_answered_in_the_learners_variables_and_says_why_one_point_decides():
    sigmoid = BY_ID["relu-sigmoid"].instance()
    for lang, why in (("ko", "한 점에서라도 값이 다르면 같은 식이 아닙니다"), ("en", "so they are not the same formula")):
        message = grade(sigmoid, "sigmoid-local", "y(1+y)", lang).message
        assert why in message and re.search(r"\by = 0\.5(?![\d.])", message)
        assert "dy" not in message and not re.search(r"\bx = ", message)


# ---- no internal names -------------------------------------------------------------------------------------

def test_hints_and_solutions_name_nodes_as_the_drawing_does():
    sgd = NET.instance()
    texts = [*hints(sgd, "sgd-g1", "ko"), solution(sgd, "sgd-g1", "ko")]
    assert any("처음 w × x1" in t for t in texts)
    assert not any(re.search(r"\*|\bs0\b", t) for t in texts), texts
    check = BY_ID["gradient-check"].instance()
    texts = [*hints(check, "bp-dw", "en"), solution(check, "bp-dw", "en")]
    assert any("∂(w × x)/∂w" in t for t in texts) and not any("w * x" in t for t in texts)


# ---- inputs as people write them -----------------------------------------------------------------------------

def test_thousands_separators_where_one_number_is_expected():
    lesson = BY_ID["gradient-descent"]
    assert "60,000" in "\n".join(step.ko for step in lesson.steps)  # the lesson itself writes it so
    inst = lesson.instance()
    for typed in ("60,000", "60 000", "60000"):
        assert grade(inst, "sgd-iters", typed).correct, typed
    assert "60000" in grade(inst, "sgd-iters", "60,000", "en").message  # and says how it was read
    assert grade(inst, "sgd-iters", "2,2").invalid  # a decimal comma is still told to be a dot
    zero = grade(BY_ID["relu-sigmoid"].instance(), "sigmoid-backward", "0,375", "en")  # no thousands start with 0
    assert zero.invalid and "0.375" in zero.message and "0375" not in zero.message
    vector = NET.instance()  # where several numbers are expected, commas separate them
    assert grade(vector, "train-y", "2,4,6").correct and not grade(vector, "train-y", "2,400").correct


@pytest.mark.parametrize("seed", [None, *SEEDS[:5]])
def test_a_blank_on_one_branch_is_told_the_own_input_at_its_multiplication(seed):
    """Lesson 6, the gradient back to x along the u branch only (grad(u) * local(u, x)): 1.5 × x got only
    'not yet', though it is the chapter's first mistake."""
    lesson = BY_ID["branching"]
    inst = instance_of(lesson, seed)
    problem = lesson.problem("via-u")
    graph = inst.graph(problem.graph)
    assert problem.answer.replace(" ", "") == "grad(u)*local(u,x)" and graph.nodes["u"].op == "mul"
    own = graph.grad("u") * graph.value("x")
    verdict = grade(inst, "via-u", repr(float(own)), "en")
    assert verdict.mistake == "own-input" and format_value(graph.value("x")) in verdict.message


def test_a_mistake_typed_rounded_to_two_decimals_is_still_told():
    """0.33 0.67 1 is the MSE gradient without its 2; matched only within 0.5% of 1/3, it got 'not yet'."""
    inst = NET.instance()
    half = np.asarray(inst.answer("d-pred")) / 2
    assert grade(inst, "d-pred", " ".join(f"{v:.2f}" for v in half)).mistake == "missing-2"
    assert grade(inst, "d-pred", " ".join(f"{v:.1f}" for v in half + 0.2)).mistake is None  # 0.2 off: no rule


def test_a_rounded_answer_is_told_to_be_close_and_one_decimal_stands_for_no_rule():
    """Lesson 12, dout · y(1 − y) = 0.375: 0.3 was told it was the local derivative alone (0.25, within a
    rounding of 0.3), and 0.38, the answer rounded, got only 'not yet'."""
    inst = BY_ID["relu-sigmoid"].instance()
    expected = inst.answer("sigmoid-backward")
    rounded = f"{expected:.2f}"
    assert float(rounded) != expected
    close = grade(inst, "sigmoid-backward", rounded, "en")
    assert close.invalid and not close.correct and "rounded" in close.message
    assert grade(inst, "sigmoid-backward", f"{expected:.1f}", "en").mistake is None  # 0.4: ±0.05 says nothing


def test_a_formula_blank_answered_with_its_number_is_asked_for_the_formula_and_not_counted():
    inst = BY_ID["add-mul-nodes"].instance()
    number = format_value(inst.answer("mul-dx"))  # the formula's value at the graph's x and y
    verdict = grade(inst, "mul-dx", number, "en")
    assert verdict.invalid and "asks for the formula" in verdict.message and "x, y" in verdict.message
    assert not grade(inst, "mul-dx", str(float(number) + 1)).invalid  # another number: a wrong formula


def test_a_right_decimal_written_with_a_comma_that_could_group_thousands_is_not_counted_wrong():
    """1,872 for 1.872: read as 1872 it was marked wrong and counted as a try."""
    inst = NET.instance()
    dotted = f"{inst.answer('sgd-w3'):.3f}"
    assert grade(inst, "sgd-w3", dotted).correct
    verdict = grade(inst, "sgd-w3", dotted.replace(".", ","), "en")
    assert verdict.invalid and not verdict.correct and dotted in verdict.message
    other = f"{float(dotted) + 0.5:.3f}".replace(".", ",")  # wrong either way: graded, read as written
    assert not grade(inst, "sgd-w3", other).invalid


@pytest.mark.parametrize("typed", ["220원", "220 원", "220 won", "220won"])
def test_a_trailing_unit_word_is_read_as_the_number_with_a_note(typed):
    inst = BY_ID["computational-graph"].instance()
    verdict = grade(inst, "apple-payment", typed, "ko")
    assert verdict.correct and "단위" in verdict.message and "220" in verdict.message
    assert "대신 그 값을 계산해서" not in verdict.message
    assert not grade(inst, "apple-payment", "221원").correct


def test_space_separated_vectors_are_read_or_asked_for_commas():
    inst = NET.instance()
    assert grade(inst, "train-y", "2 4 6").correct and grade(inst, "pred-y", "[3 6 9]").correct
    short = grade(inst, "pred-y", "3 6", "ko")
    assert short.invalid and "3개" in short.message and "2개" in short.message  # read as two numbers: too few
    assert "연산자가 없습니다" not in grade(inst, "pred-y", "3 6 9").message


def test_a_choice_by_its_number_its_text_or_the_start_of_its_text():
    lesson = BY_ID["forward-backward"]
    inst = lesson.instance()
    problem = lesson.problem("direction")
    right = next(o for o in problem.options if o.id == problem.answer)
    number = problem.options.index(right) + 1
    assert grade(inst, "direction", str(number)).correct
    for written in (f"{number}번", f"{number} 번", f"({number})", f"{number})", chr(0x2460 + number - 1)):  # ③
        assert grade(inst, "direction", written).correct, written  # as a Korean learner writes a choice
    assert grade(inst, "direction", f"{number}번째").invalid
    assert grade(inst, "direction", right.text.ko.split(" (")[0]).correct  # 순전파
    assert grade(inst, "direction", right.text.en).correct
    assert grade(inst, "direction", right.text.en[:7]).correct  # a unique start
    wrong = next(o for o in problem.options if o.id != problem.answer)
    assert not grade(inst, "direction", wrong.text.ko.split(" (")[0]).correct
    assert grade(inst, "direction", "xyz").invalid
    drawn = BY_ID["gradient-descent"].instance()  # "네, 뽑힐 수 있습니다" and "아니요, ...": 네 is a word of its own
    assert grade(drawn, "replacement", "네").correct and grade(drawn, "replacement", "N").invalid
