"""Grading against the engine: per problem type, the tolerance band, each mistake rule, errors carried
forward, hints and solutions, and `tutor grade`. Expected values come from the engine (or are the
lecture's own numbers from DESIGN.md)."""

import builtins
import importlib
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import CliRunner

from tutor.cli import main
from tutor.grading import Verdict, grade, hints, solution
from tutor.grading.compare import Band
from tutor.grading.messages import MESSAGES, say
from tutor.lessons import load_lesson, text
from tutor.render.mistake_names import mistake_name

LESSONS = Path(__file__).parent / "lessons" / "grading"


def _instance_of(name: str):
    @pytest.fixture(scope="module", name=name)
    def instance():
        return load_lesson(LESSONS / f"{name}.md").instance()
    return instance


apple_fixture, fruit_fixture, chain_fixture, net_fixture, matrix_fixture, constant_fixture = map(
    _instance_of, ["apple", "fruit", "chain", "net", "matrix", "constant"])


# ---- numbers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2.2", "11/5", "２.２", "1.1×2", "1.1*2", "2.20"])
def test_the_lectures_apple_price_gradient_in_every_accepted_form(apple, text):
    verdict = grade(apple, "d-apple-price", text)
    assert verdict.correct and not verdict.invalid and verdict.band is None
    assert verdict.expected == pytest.approx(2.2)


def test_the_band_is_explained_when_rounding_was_the_reason(net):
    verdict = grade(net, "loss", "4.67", "en")
    assert verdict.correct and verdict.band
    assert "14/3" in verdict.band and "0.5%" in verdict.band and "4.67" in verdict.band
    assert grade(net, "loss", "14/3").band is None


def test_outside_the_band_is_wrong_and_an_author_can_narrow_it(net):
    assert not grade(net, "loss", "4.7").correct
    assert not grade(net, "strict", "4.67").correct
    assert grade(net, "strict", "4.6667").correct


def test_the_band_includes_its_edge():
    assert Band().accepts(0.67, 2 / 3)  # 2/3 rounded to two places is exactly 0.5% off
    assert not Band().accepts(0.6701, 2 / 3)


def test_a_narrow_band_is_shown_with_the_digits_it_needs(net):
    verdict = grade(net, "strict", "4.6667", "en")  # the author's band: ±0.01%
    low, high = map(float, re.search(r"([\d.]+) to ([\d.]+)\)", verdict.band).groups())
    width = verdict.expected * 0.0001
    assert abs(low - (verdict.expected - width)) < width / 10 and abs(high - (verdict.expected + width)) < width / 10


def test_a_rounded_vector_is_told_its_band(net):
    for lang in ("ko", "en"):
        verdict = grade(net, "dpred", "0.667, 1.333, 2", lang)
        assert verdict.correct and verdict.band and "0.5%" in verdict.message
        assert ("반올림" if lang == "ko" else "rounded") in verdict.band
        close = grade(net, "dpred", "0.665, 1.333, 2", lang)  # within 0.5% of 2/3, but not 2/3 rounded
        assert close.correct and ("아니지만" if lang == "ko" else "not") in close.band


def test_a_vector_of_whole_numbers_in_every_variant_is_graded_exactly(net):
    assert grade(net, "pred", "3, 6, 9").correct
    assert not grade(net, "pred", "3.01, 6, 9").correct


def test_a_forward_value_typed_as_its_gradient_is_named(net):
    gradient = net.graph(net.lesson.problem("pred").graph).grad("pred_y")
    typed = ", ".join(repr(float(v)) for v in gradient)
    verdicts = [grade(net, "pred", typed, lang) for lang in ("ko", "en")]
    assert [v.mistake for v in verdicts] == ["gradient-for-value"] * 2
    assert "순전파" in verdicts[0].message and "forward value" in verdicts[1].message


def test_zero_is_not_accepted_for_a_tiny_gradient_unless_allowed(net):
    refused = grade(net, "tiny", "0", "en")
    assert not refused.correct and "not 0" in refused.message
    assert grade(net, "tiny-zero-ok", "0").correct


def test_vectors(net):
    assert grade(net, "pred", "3, 6, 9").correct
    assert grade(net, "pred", "[3, 6, 9]").correct
    assert not grade(net, "pred", "3, 6, 10").correct
    wrong_length = grade(net, "pred", "3, 6")
    assert wrong_length.invalid and not wrong_length.correct


def test_choice_by_id_or_number(apple):
    assert grade(apple, "which-rule", "other").correct
    assert grade(apple, "which-rule", "2").correct
    assert not grade(apple, "which-rule", "own").correct
    assert grade(apple, "which-rule", "maybe").invalid


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_wrong_option_with_the_authors_mistake_gets_its_message(apple, lang):
    """The loader accepts `mistakes: [{answer: OPTION-ID}]` on a choice problem; the grader says it (and
    records its id for the class report), and a wrong option without one gets the general message and is
    recorded as the option picked."""
    problem = apple.lesson.problem("which-rule")
    (mistake,) = problem.mistakes
    by_number = str([option.id for option in problem.options].index(mistake.answer) + 1)
    for answer in (mistake.answer, by_number):
        verdict = grade(apple, "which-rule", answer, lang)
        assert not verdict.correct and verdict.mistake == mistake.id and verdict.message == text(mistake.message, lang)
    other_wrong = next(o.id for o in problem.options if o.id not in (problem.answer, mistake.answer))
    verdict = grade(apple, "which-rule", other_wrong, lang)
    assert not verdict.correct and verdict.message == say("wrong-option", lang)
    assert verdict.mistake == f"option:{other_wrong}"
    picked = next(o for o in problem.options if o.id == other_wrong)
    assert mistake_name(verdict.mistake, lang, problem).endswith(text(picked.text, lang))  # a report names it so


def test_choices_are_offered_and_solved_by_number_not_by_the_authors_id(apple):
    from tutor.grading import solution

    problem = apple.lesson.problem("which-rule")
    number = [option.id for option in problem.options].index(problem.answer) + 1
    for lang in ("ko", "en"):
        assert solution(apple, "which-rule", lang).endswith(f"{number}) {text(problem.options[number - 1].text, lang)}")
        refusal = grade(apple, "which-rule", "maybe", lang).message
        assert f"1{'~' if lang == 'ko' else ' to '}{len(problem.options)}" in refusal
        assert not any(option.id in refusal for option in problem.options)


@pytest.mark.parametrize("text", ["2,2", "2.2.2", "0x10", "", "9" * 10_000, "__import__('os').system('x')",
                                  "x.__class__", "lambda: 1", "1/0", "nan", "inf", "9**9**9", "2**1000000",
                                  "1e999999999"])
def test_unreadable_answers_are_invalid_with_a_message(apple, text):
    for lang in ("ko", "en"):
        verdict = grade(apple, "d-apple-price", text, lang)
        assert verdict.invalid and not verdict.correct and verdict.message


def test_grading_never_calls_eval(monkeypatch, apple, fruit, chain, net):
    def refuse(*args, **kwargs):
        raise AssertionError("eval/exec must never be called")

    importlib.import_module("numpy.random")  # numpy loads it lazily with exec on first use: its code, not an answer
    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    for inst in (apple, fruit, chain, net):
        for problem in inst.lesson.problems:
            for text in ("2.2", "1", "3, 6, 9", "2(x+y)", "other", "__import__('os')", "9**9**9"):
                assert isinstance(grade(inst, problem.id, text), Verdict)
            assert hints(inst, problem.id) is not None and solution(inst, problem.id)


# ---- mistakes ----------------------------------------------------------------------------------

def test_each_wrong_rule_on_the_apple_lesson_has_its_own_message(apple, fruit):
    cases = {
        "own-input": grade(apple, "d-apple-price", "110"),      # 1.1 × own input 100
        "local-only": grade(apple, "d-apple-price", "2"),       # the × node's local derivative alone
        "upstream-only": grade(apple, "d-apple-price", "1.1"),  # the upstream gradient alone
        "forward-value": grade(apple, "d-apple-price", "220"),  # the payment, not a gradient
        "sign-flip": grade(apple, "d-apple-price", "-2.2"),
        "split-at-add": grade(fruit, "d-apple-total", "0.55"),  # 1.1 halved at the + node
    }
    for rule, verdict in cases.items():
        assert not verdict.correct and verdict.mistake == rule, rule
    messages = [v.message for v in cases.values()]
    assert len(set(messages)) == len(messages)
    assert "다른" in cases["own-input"].message
    assert "other input" in grade(apple, "d-apple-price", "110", "en").message
    assert "1.1" in cases["split-at-add"].message


def test_the_loss_conventions(net):
    assert grade(net, "dw", "28").mistake == "missing-1/n"     # 28/3 without 1/N (N = 3)
    assert grade(net, "dw", "14").mistake == "sse-convention"  # the book's 0.5·Σ
    assert grade(net, "dw", "28/6").mistake == "missing-2"


def test_two_rules_giving_the_same_value_are_both_told(net):
    """14/3 is both the loss itself (a forward value) and ∂L/∂w without the 2 of the square."""
    graph = net.graph()
    assert graph.value("loss") == pytest.approx(graph.grad("w") / 2)  # the lesson's numbers make them coincide
    for lang, joined in (("ko", " 또는 "), ("en", " Or perhaps: ")):
        verdict = grade(net, "dw", "14/3", lang)
        assert verdict.mistake == "missing-2"
        first, second = verdict.message.split(joined)
        opening = MESSAGES["mistake-missing-2-mse"][lang == "en"].split("{")[0]
        assert first.startswith(opening) and "(2/N)(ŷ − y)" in first
        assert second == say("mistake-forward-value", lang, node="loss", wrt="w", output="loss", value="4.667")


def test_an_indexed_gradient_blank_gets_the_engines_rules(matrix):
    """grad(x)[0] and grad(W)[0, 1]: each rule's value on the whole gradient, then the same index."""
    graph = matrix.graph()
    row, element = graph.grad("x")[0], graph.grad("W")[0, 1]
    assert grade(matrix, "dx-row0", ", ".join(str(-v) for v in row)).mistake == "sign-flip"
    assert grade(matrix, "dx-row0", "1, 2").mistake == "forward-value"  # x's own first row
    assert grade(matrix, "dw-01", str(-element)).mistake == "sign-flip"
    assert grade(matrix, "y-row0", "1, 0").mistake == "gradient-for-value"  # ∂L/∂y's first row, dout's


def test_a_local_derivative_blank(apple):
    assert grade(apple, "local-price", "2").correct
    assert grade(apple, "local-price", "100").mistake == "own-input"
    assert grade(apple, "local-price", "2.2").mistake == "with-upstream"


def test_a_path_missing_from_the_sum(chain):
    assert grade(chain, "ds-da", "6").correct  # s = a·a: both paths, 2a
    assert grade(chain, "ds-da", "3").mistake == "one-path"


def test_the_authors_own_mistake_comes_first(apple):
    verdict = grade(apple, "d-by-author", "1.1", "en")
    assert verdict.mistake == "tax-only" and verdict.message == "That is the tax alone."


def test_mistakes_follow_the_variant(apple):
    inst = apple.lesson.instance(seed=7)
    graph = inst.graph()
    own_input = graph.grad("apple_total") * graph.value("apple_price")
    assert grade(inst, "d-apple-price", repr(float(graph.grad("apple_price")))).correct
    assert grade(inst, "d-apple-price", repr(own_input)).mistake == "own-input"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_constant_other_input_is_told_by_its_number(constant, lang):
    """y = 3·x: the learner who multiplies by x's own value is told that the other input is the constant 3
    (not "3's value (3)"), at the gradient and at the local derivative, with the engine's numbers."""
    graph = constant.graph()
    constant_name = graph.nodes["y"].args[0]
    three = graph.value(constant_name)
    cases = {"d-scaled": graph.grad("y") * graph.value("x"), "local-scaled": graph.value("x")}
    for problem, own_input in cases.items():
        verdict = grade(constant, problem, repr(float(own_input)), lang)
        assert verdict.mistake == "own-input", verdict.message
        told = f"상수 {three:g}입니다" if lang == "ko" else f"the constant {three:g}"
        assert told in verdict.message and f"({three:g})" not in verdict.message, verdict.message
        assert f"({graph.value('x'):g})" in verdict.message  # x's own value, named as the wrong one


def test_an_unknown_problem_is_a_key_error(apple):
    with pytest.raises(KeyError):
        grade(apple, "no-such-problem", "1")


# ---- errors carried forward --------------------------------------------------------------------

def test_a_later_blank_is_right_given_the_earlier_wrong_value(fruit):
    graph = fruit.graph()
    carried = 1.2 * graph.value("apple_count")  # what ∂/∂apple_price would be had ∂/∂apple_total been 1.2
    verdict = grade(fruit, "d-apple-price", repr(carried), "en", earlier={"d-apple-total": "1.2"})
    assert verdict.correct and verdict.carried and "1.2" in verdict.message
    assert not grade(fruit, "d-apple-price", repr(carried)).correct  # without the earlier answer: wrong


def test_only_an_earlier_wrong_blank_on_the_path_carries(fruit):
    assert not grade(fruit, "d-apple-price", "2.4", earlier={"d-apple-total": "1.1"}).correct  # it was right
    assert not grade(fruit, "d-grape-count", "180", earlier={"d-apple-total": "1.2"}).carried  # other path
    assert not grade(fruit, "d-all-price", "1.2", earlier={"d-apple-total": "1.2"}).carried  # later blank


# ---- expressions ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["2(x+y)", "2*x+2*y", "2*(y+x)", "x+y+x+y"])
def test_equivalent_formulas_are_right(chain, text):
    assert grade(chain, "dz-dx", text).correct


@pytest.mark.parametrize("text", ["2t", "t+t"])
def test_a_node_that_is_not_one_of_the_vars_is_refused_with_the_vars_named(chain, text):
    for lang in ("ko", "en"):
        verdict = grade(chain, "dz-dx", text, lang)
        assert verdict.invalid and not verdict.correct and "'t'" in verdict.message and "x, y" in verdict.message


@pytest.mark.parametrize("text", ["2x", "5", "xy", "2*x*y"])  # (6, the value at x = 1, y = 2: tests/test_truth.py)
def test_other_formulas_are_wrong_with_a_point_where_they_differ(chain, text):
    verdict = grade(chain, "dz-dx", text, "en")
    assert not verdict.correct and not verdict.invalid and "At x = " in verdict.message


def test_a_formula_that_is_the_authors_mistake_everywhere_gets_its_message(chain):
    verdict = grade(chain, "dz-dx", "2x + y", "en")
    assert not verdict.correct and verdict.mistake == "no-brackets"
    assert verdict.message.startswith("The brackets are missing.") and "At x = " in verdict.message
    # 4 equals 2x + y at the lesson's own x = 1, y = 2, but not at the other points: no diagnosis
    assert grade(chain, "dz-dx", "4", "en").mistake is None


def test_the_own_input_of_a_multiplication_is_named_for_a_formula(chain):
    verdict = grade(chain, "dp-dx", "x", "en")
    assert not verdict.correct and verdict.mistake == "own-input" and "other input" in verdict.message
    assert grade(chain, "dp-dx", "y").correct
    assert grade(chain, "dz-dx", "x").mistake == "forward-value"  # x's own value, not ∂z/∂x


def test_an_undefined_or_unknown_formula(chain):
    assert not grade(chain, "dz-dx", "x/0").correct
    assert grade(chain, "dz-dx", "q").invalid


# ---- hints and solution --------------------------------------------------------------------------

def test_hints_lessons_own_first_then_the_rule_then_the_numbers(apple):
    shown = hints(apple, "d-apple-price", "en")
    assert shown[0] == "Find the apple price's partner."
    assert "other input" in shown[1]
    assert "1.1 × 2" in shown[-1] and "2.2" not in shown[-1]
    assert solution(apple, "d-apple-price", "en").endswith("1.1 × 2 = 2.2")


def test_hints_solutions_and_messages_name_nodes_by_the_lessons_labels(fruit):
    assert solution(fruit, "d-apple-price").startswith("정답: ∂지불 금액/∂사과 가격 = ∂지불 금액/∂사과 값 × ∂사과 값/∂사과 가격")
    assert "∂payment/∂apple price" in solution(fruit, "d-apple-price", "en")
    assert "사과 값 = 사과 가격 × apple_count" in hints(fruit, "d-apple-price")[0]  # apple_count has no label
    own_input = grade(fruit, "d-apple-price", "110").message  # 1.1 × its own input 100
    assert "사과 값" in own_input and "apple_total" not in own_input and "apple_count" in own_input


def test_no_hint_gives_the_answer_away(apple, fruit, net):
    for inst in (apple, fruit, net):
        for problem in inst.lesson.problems:
            if problem.type in ("number", "vector"):
                answer = solution(inst, problem.id).rsplit("= ", 1)[-1]
                own = [hint.en for hint in problem.hints] + [hint.ko for hint in problem.hints]
                made = [hint for hint in hints(inst, problem.id) if hint not in own]
                assert all(not hint.endswith(answer) for hint in made)


def test_hints_and_solution_in_korean(apple):
    assert "곱셈 노드" in hints(apple, "d-apple-price")[1]
    assert solution(apple, "d-apple-price").startswith("정답")
    assert "다른 입력" in solution(apple, "which-rule")


# ---- tutor grade ------------------------------------------------------------------------------------

@pytest.mark.parametrize("args, code", [
    (["d-apple-price", "2.2"], 0),
    (["d-apple-price", "110"], 1),
    (["d-apple-price", "2,2"], 2),
    (["no-such", "1"], 2),
    (["d-apple-price", "-2.2"], 1),  # a negative answer is an ANSWER, not an unknown option
    (["d-apple-price", "-2.2", "--lang", "en"], 1),
])
def test_grade_command_exit_codes(args, code):
    result = CliRunner().invoke(main, ["grade", str(LESSONS / "apple.md"), *args])
    assert result.exit_code == code and result.output.strip()


def test_grade_command_json():
    result = CliRunner().invoke(main, ["grade", "--json", "--lang", "en", str(LESSONS / "apple.md"),
                                      "d-apple-price", "110"])
    data = json.loads(result.output)
    assert data["correct"] is False and data["mistake"] == "own-input" and data["expected"] == pytest.approx(2.2)
    assert set(data) == {"correct", "expected", "shown", "mistake", "message"}


def test_grade_command_on_a_broken_lesson(tmp_path):
    broken = tmp_path / "broken.md"
    broken.write_text("---\nid: broken\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["grade", str(broken), "p", "1"])
    assert result.exit_code == 2 and "broken.md:" in result.output


def test_grading_imports_neither_textual_nor_rich():
    code = ("import sys; from tutor.cli import main\n"
            f"try: main(['grade', {str(LESSONS / 'apple.md')!r}, 'd-apple-price', '2.2'])\n"
            "except SystemExit: pass\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich'}))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.stdout.strip().endswith("[]"), out.stderr


# ---- how the messages read ----------------------------------------------------------------------------

def test_korean_messages_never_guess_a_particle_and_use_the_courses_terms():
    import re

    from tutor.grading.messages import MESSAGES as GRADING
    from tutor.quiz.messages import MESSAGES as QUIZ

    for key, (korean, _) in {**GRADING, **QUIZ}.items():
        # 은(는), 이(가): a form the learner can see was not written for this word; a particle right after a
        # field depends on how the number or label is read aloud.
        assert not re.search(r"[은이을과]\([는가를와]\)", korean), key
        assert not re.search(r"\}(은|는|이|가|을|를|과|와)[\s.,)]", korean), key
        assert "국소 미분" not in korean and "연쇄 법칙" not in korean, key  # the course's 국소적 미분, 연쇄법칙
