"""The bundled course (tutor/course): valid, bilingual, hinted, and faithful to the lecture's numbers.

The expected numbers below are the lecture's (DESIGN.md, "The lecture's own numbers") and the book's
trajectories (NOTES.md): the spec. Every answer they are compared with is computed by the engine.
"""

import re

import numpy as np
import pytest
from cli_runner import CliRunner

from tutor.cli import main
from tutor.grading.grade import grade
from tutor.grading.mistakes import gradient_target, suspects
from tutor.lessons import Localized, bundled_lessons_dir, load_lessons

COURSE = bundled_lessons_dir()
LESSONS, BROKEN = load_lessons(COURSE)
BY_ID = {lesson.id: lesson for lesson in LESSONS}

# (lesson id, problem id, the lecture's answer)
LECTURE_NUMBERS = [
    ("gradient-descent", "iters-per-epoch", 600),
    ("computational-graph", "apple-payment", 220),
    ("computational-graph", "fruit-payment", 715),
    ("forward-backward", "one-more-apple", 110),
    ("chain-rule", "dz-dx", 6),
    ("add-mul-nodes", "add-dx", 1),
    ("add-mul-nodes", "add-dy", 1),
    ("apple-backward", "d-apple-price", 2.2),
    ("apple-backward", "d-apple-count", 110),
    ("apple-backward", "d-tax", 200),
    ("fruit-backward", "d-apple-price", 2.2),
    ("fruit-backward", "d-apple-count", 110),
    ("fruit-backward", "d-grape-price", 3.3),
    ("fruit-backward", "d-grape-count", 165),
    ("fruit-backward", "d-tax", 650),
    ("fruit-backward", "d-apple-total", 1.1),
    ("fruit-backward", "d-grape-total", 1.1),
    ("y-equals-2x", "train-y", [2, 4, 6]),
    ("y-equals-2x", "pred-y", [3, 6, 9]),
    ("y-equals-2x", "loss", 14 / 3),
    ("y-equals-2x", "d-w", 28 / 3),
    ("y-equals-2x", "w-after-one", 3 - 0.1 * 28 / 3),
    # NOTES.md: lr 0.1, full-batch GD 3 → 2.0667 → 2.0044 → 2.0003; SGD in order 3 → 2.8 → 2.16 → 1.872
    ("y-equals-2x", "gd-w2", 2.0044),
    ("y-equals-2x", "gd-w3", 2.0003),
    ("y-equals-2x", "sgd-w1", 2.8),
    ("y-equals-2x", "sgd-w2", 2.16),
    ("y-equals-2x", "sgd-w3", 1.872),
    ("affine-softmax", "softmax-grad0", [-0.25, 0.25]),  # (y - t) / N with y = 0.5, N = 2
]

# The lecture's formulas, at points other than the file's values: (lesson, problem, inputs, the formula's value)
LECTURE_FORMULAS = [
    ("chain-rule", "dz-dx-expr", {"x": 1, "y": 2}, 6),  # 2(x + y)
    ("chain-rule", "dz-dx-expr", {"x": 4, "y": -7}, 2 * (4 - 7)),
    ("add-mul-nodes", "mul-dx", {"x": 3, "y": 8}, 8),  # ∂(xy)/∂x = y
    ("add-mul-nodes", "mul-dy", {"x": 3, "y": 8}, 3),  # ∂(xy)/∂y = x
    ("add-mul-nodes", "add-dx", {"x": 3, "y": 8}, 1),
    ("relu-sigmoid", "sigmoid-local", {"x": 0}, 0.25),  # y(1 - y) at y = 0.5
]

# The lecture's order, with issue 17's new lessons where the book puts them: branching right after the add and
# multiply nodes, the layer code (5.4) after the shopping graphs, the Sigmoid layer node by node (5.5.2) after the activation layers.
COURSE_ORDER = ["gradient-descent", "computational-graph", "forward-backward", "chain-rule", "add-mul-nodes",
                "branching", "apple-backward", "fruit-backward", "layer-code", "y-equals-2x", "appendix-questions",
                "relu-sigmoid", "sigmoid-steps", "affine-softmax", "gradient-check"]


def test_tutor_check_passes_on_the_course():
    result = CliRunner().invoke(main, ["check", str(COURSE)])
    assert result.exit_code == 0, result.output
    assert BROKEN == []


def test_the_lessons_follow_the_course_order_by_file_name():
    assert [lesson.id for lesson in LESSONS] == COURSE_ORDER
    numbers = [int(lesson.path.name[:2]) for lesson in LESSONS]
    assert all(lesson.path.name[2] == "-" for lesson in LESSONS)
    assert numbers == sorted(set(numbers)), "two lessons share a number, or the numbers go back"


def localized_strings(lesson):
    """Every learner-facing string of a lesson, with where it is."""
    yield "title", lesson.title
    yield "source", lesson.source
    for name, spec in lesson.graphs.items():
        for node, label in spec.labels.items():
            yield f"graphs.{name}.labels.{node}", label
    for step in lesson.steps:
        yield f"step at line {step.line}", step.title
    for problem in lesson.problems:
        where = f"problem {problem.id}"
        yield f"{where} prompt", problem.prompt
        for i, hint in enumerate(problem.hints):
            yield f"{where} hint {i}", hint
        for option in problem.options:
            yield f"{where} option {option.id}", option.text
        for mistake in problem.mistakes:
            yield f"{where} mistake {mistake.id}", mistake.message


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_string_has_korean_and_english(lesson):
    for where, value in localized_strings(lesson):
        assert isinstance(value, Localized), f"{lesson.id}: {where} is not {{ko, en}}: {value!r}"
        assert value.ko.strip() and value.en and value.en.strip(), f"{lesson.id}: {where} lacks a language"
        assert re.search("[가-힣]", value.ko) or value.ko == value.en, f"{lesson.id}: {where}: ko is not Korean"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_step_has_its_english_prose(lesson):
    assert len(lesson.steps) >= 2
    for step in lesson.steps:
        assert step.en.strip() and step.en != step.ko, f"{lesson.id}: step at line {step.line} has no '::: en' block"
        assert re.search("[가-힣]", step.ko), f"{lesson.id}: step at line {step.line} has no Korean prose"
        markers = re.compile(r"\{\{\s*(?:graph|blank)\s+[^{}\s]+\s*\}\}")
        assert sorted(markers.findall(step.en)) == sorted(markers.findall(step.ko)), \
            f"{lesson.id}: step at line {step.line}: English places other graphs or blanks than Korean"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_problem_has_hints_and_every_lesson_a_source(lesson):
    assert lesson.source is not None
    assert re.search(r"\d", lesson.source.ko), f"{lesson.id}: the source names no section"
    for problem in lesson.problems:
        assert problem.hints, f"{lesson.id}: problem {problem.id} has no hint"


@pytest.mark.parametrize(("lesson_id", "problem_id", "expected"), LECTURE_NUMBERS)
def test_answer_key_holds_the_lecture_numbers(lesson_id, problem_id, expected):
    answer = BY_ID[lesson_id].instance().answer(problem_id)
    np.testing.assert_allclose(answer, expected, rtol=1e-4)


@pytest.mark.parametrize(("lesson_id", "problem_id", "inputs", "expected"), LECTURE_FORMULAS)
def test_expression_answers_are_the_lecture_formulas(lesson_id, problem_id, inputs, expected):
    lesson = BY_ID[lesson_id]
    problem = lesson.problem(problem_id)
    assert problem.type == "expression"
    answer = lesson.instance(values=inputs).answer(problem_id)
    assert answer == pytest.approx(expected, rel=1e-9)


def test_lecture_expressions_are_accepted_by_the_grader():
    for lesson_id, problem_id, typed in [("chain-rule", "dz-dx-expr", "2(x+y)"), ("add-mul-nodes", "add-dx", "1"),
                                         ("add-mul-nodes", "mul-dx", "y"), ("add-mul-nodes", "mul-dy", "x"),
                                         ("relu-sigmoid", "sigmoid-local", "y(1-y)")]:
        assert grade(BY_ID[lesson_id].instance(), problem_id, typed).correct, (lesson_id, problem_id, typed)
    assert not grade(BY_ID["chain-rule"].instance(), "dz-dx-expr", "2x+y").correct


def test_unrolled_training_steps_start_where_the_previous_answer_ended():
    """Lesson 10 (y = 2x) carries each step's weight into the next graph ({answer: ...}): it is the engine's update."""
    inst = BY_ID["y-equals-2x"].instance()
    assert inst.graph("gd1").value("w1") == pytest.approx(inst.answer("w-after-one"), rel=1e-12)
    assert inst.graph("gd2").value("w2") == pytest.approx(inst.answer("gd-w2"), rel=1e-12)
    assert inst.graph("sgd1").value("w") == inst.graph("net").value("w")
    assert inst.graph("sgd2").value("s1") == pytest.approx(inst.answer("sgd-w1"), rel=1e-12)
    assert inst.graph("sgd3").value("s2") == pytest.approx(inst.answer("sgd-w2"), rel=1e-12)


def typed(value) -> str:
    array = np.asarray(value, dtype=float)
    return ", ".join(repr(float(v)) for v in array.ravel()) if array.ndim else repr(float(array))


def gradient_blanks():
    for lesson in LESSONS:
        for problem in lesson.problems:
            if problem.type in ("number", "vector") and re.search(r"\b(grad|d|local)\(", problem.answer):
                yield pytest.param(lesson, problem, id=f"{lesson.id}:{problem.id}")


ONE_GRADIENT = re.compile(r"(grad|d|local)\([\w, ]+\)(\[[\d, ]+\])?")  # grad(x), d(z, t), grad(W)[0, 1]


@pytest.mark.parametrize(("lesson", "problem"), list(gradient_blanks()))
def test_every_gradient_blank_diagnoses_a_plausible_mistake(lesson, problem):
    """The author's mistakes and the engine's wrong rules, typed in: at least one of the engine's rules is
    named back (an indexed blank, grad(W)[0], included)."""
    inst = lesson.instance()
    graph = inst.graph(problem.graph)
    wrong = [inst.evaluate(m.answer, problem.graph) for m in problem.mistakes]
    target = gradient_target(problem.answer, graph)
    if target is not None:
        wrong += [suspect.value for suspect in suspects(graph, target)]
    named = set()
    for value in wrong:
        verdict = grade(inst, problem.id, typed(value), "en")
        if not verdict.correct and verdict.mistake:
            named.add(verdict.mistake)
    if ONE_GRADIENT.fullmatch(problem.answer):
        assert named - {m.id for m in problem.mistakes}, f"no engine rule diagnoses a wrong answer to {problem.id}"
    else:  # an update such as value(w) - 0.1 * grad(w): only the author's mistakes know it
        assert named, f"no wrong answer to {problem.id} is diagnosed"


def test_indexed_gradient_blanks_name_the_forward_value_and_the_flipped_sign():
    """grad(x)[0] answered with x's own first row, or with its sign flipped: the engine names each."""
    blanks = [param.values for param in gradient_blanks()
              if ONE_GRADIENT.fullmatch(param.values[1].answer) and param.values[1].answer.startswith("grad(")
              and "[" in param.values[1].answer]
    assert blanks
    for lesson, problem in blanks:
        inst = lesson.instance()
        forward = problem.answer.replace("grad(", "value(", 1)
        flipped_rules = {"sign-flip"} | {mistake.id for mistake in problem.mistakes}  # the author's may say it first
        for wrong, rules in ((forward, {"forward-value"}), (f"-{problem.answer}", flipped_rules)):
            verdict = grade(inst, problem.id, typed(inst.evaluate(wrong, problem.graph)), "en")
            assert not verdict.correct and verdict.mistake in rules, (problem.id, wrong, verdict.message)


# Wrong formulas a learner types for the expression blanks that ask a gradient
PLAUSIBLE_FORMULAS = {("chain-rule", "dz-dx-expr"): ["2x", "x+y", "(x+y)^2", "2x+y"],
                      ("add-mul-nodes", "add-dx"): ["y", "x"], ("add-mul-nodes", "add-dy"): ["x", "y"],
                      ("add-mul-nodes", "mul-dx"): ["x", "xy"], ("add-mul-nodes", "mul-dy"): ["y", "xy"],
                      ("relu-sigmoid", "sigmoid-local"): ["y", "-y(1-y)"],
                      ("sigmoid-steps", "collected"): ["-dout y^2 exp(-x)", "y^2 exp(-x)"],
                      ("sigmoid-steps", "simplified"): ["y(1-y)", "-dout y(1-y)"]}


def test_every_gradient_formula_blank_diagnoses_each_plausible_mistake():
    asked = {(lesson.id, problem.id) for lesson in LESSONS for problem in lesson.problems
             if problem.type == "expression" and re.search(r"\b(grad|d|local)\(", problem.answer)}
    assert asked == set(PLAUSIBLE_FORMULAS)
    for (lesson_id, problem_id), formulas in PLAUSIBLE_FORMULAS.items():
        for formula in formulas:
            verdict = grade(BY_ID[lesson_id].instance(), problem_id, formula, "en")
            assert not verdict.correct and verdict.mistake, (lesson_id, problem_id, formula, verdict.message)


def test_mistake_messages_speak_in_the_graders_voice():
    """합니다체, as the grader's own messages: no 해요체 ending (썼어요, 2t예요, 했네요)."""
    for lesson in LESSONS:
        for problem in lesson.problems:
            for mistake in problem.mistakes:
                assert not re.search(r"요([.!?]|$)", mistake.message.ko), \
                    f"{lesson.id}: {problem.id}/{mistake.id}: {mistake.message.ko}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_graph_labels_read_well_in_the_graders_sentences(lesson):
    """The grader writes labels into sentences (∂{label}/∂{label}): a label that is a formula breaks them,
    and a graph that names some of its snake_case nodes in words leaves none of them raw."""
    inst = lesson.instance()
    for name, spec in lesson.graphs.items():
        for node, label in spec.labels.items():
            assert " = " not in label.ko + label.en, f"{lesson.id}: graph {name}: {node} is labelled with a formula"
        snake = [node for node in inst.graph(name).nodes if "_" in node]
        if any(node in spec.labels for node in snake):
            assert [node for node in snake if node not in spec.labels] == [], f"{lesson.id}: graph {name}"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_the_answer_key_grades_as_correct(lesson):
    inst = lesson.instance()
    for problem in lesson.problems:
        if problem.type == "expression":
            continue  # checked with the lecture's formulas above
        answer = problem.answer if problem.type == "choice" else typed(inst.answer(problem.id))
        assert grade(inst, problem.id, answer).correct, f"{problem.id}: {answer}"


def test_conventions_are_stated_where_answers_depend_on_them():
    net = BY_ID["y-equals-2x"]
    assert net.params["lr"] == 0.1
    prose = "\n".join(step.ko for step in net.steps)
    assert "lr = 0.1" in prose and "\\frac{1}{N}" in prose
    softmax = "\n".join(step.ko + step.en for step in BY_ID["affine-softmax"].steps)
    assert "배치의 평균" in softmax and "batch mean" in softmax
    assert "`orange`" in "\n".join(step.ko for step in BY_ID["fruit-backward"].steps)  # the book's code


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_placed_graphs_draw_within_80_columns(lesson):
    from rich.cells import cell_len

    from tutor.lessons import text
    from tutor.render.graph import render_graph

    inst = lesson.instance()
    for name in {name for step in lesson.steps for name in step.graphs}:
        asks_gradient = any(p.graph == name and re.search(r"\b(grad|d|local)\(", p.answer) for p in lesson.problems)
        for lang in ("ko", "en"):
            labels = {node: text(label, lang) for node, label in lesson.graphs[name].labels.items()}
            lines = render_graph(inst.graph(name), values="both" if asks_gradient else "forward", labels=labels)
            assert max(cell_len(line.plain) for line in lines) <= 80, f"{lesson.id}: graph {name} ({lang})"


def test_the_right_option_is_not_always_in_the_same_place():
    """Learners see options numbered in file order: answers must not cluster where a guess would find them."""
    from collections import Counter

    places = Counter([option.id for option in p.options].index(p.answer)
                     for lesson in LESSONS for p in lesson.problems if p.type == "choice")
    assert sum(places.values()) >= 3
    assert max(places.values()) <= sum(places.values()) / 2


# ---- issue 17's corrections to the lessons' text ----------------------------------------------------

def prose_until(lesson, problem_id: str, lang: str = "ko") -> str:
    """The lesson's prose up to and including the step that places ``problem_id``."""
    steps = []
    for step in lesson.steps:
        steps.append(step.ko if lang == "ko" else step.en)
        if problem_id in step.blanks:
            return "\n".join(steps)
    raise AssertionError(f"{problem_id} is not placed")


def test_lesson_1_teaches_that_sgd_usually_means_mini_batch_gd_before_asking():
    lesson = BY_ID["gradient-descent"]
    assert re.search(r"일반적으로 SGD라고 하면 .미니배치 경사하강법.을 의미", prose_until(lesson, "sgd-meaning"))
    assert "SGD means mini-batch gradient descent" in prose_until(lesson, "sgd-meaning", "en")


def test_lesson_5_corrects_the_lectures_for_convenience_1_before_the_upstream_blank():
    """z = x + y has local derivatives exactly 1; what varies is the upstream gradient. The lecture's
    "1이 아닌 때도 있지만 편의상 1" is quoted and set right, not dropped."""
    ko = prose_until(BY_ID["add-mul-nodes"], "add-up-dx")
    en = prose_until(BY_ID["add-mul-nodes"], "add-up-dx", "en")
    assert "편의상 1" in ko and "언제나 정확히 1" in ko and "상류에서 흘러 들어오는 기울기" in ko
    assert "for convenience" in en and "always exactly 1" in en and "flowing in from upstream" in en


def test_where_the_course_first_says_오차역전법_it_says_the_book_calls_it_오차역전파법():
    for lang, word in (("ko", "오차역전법"), ("en", "오차역전법")):
        first = next((lesson, step) for lesson in LESSONS for step in lesson.steps
                     if word in (step.ko if lang == "ko" else step.en))
        prose = first[1].ko if lang == "ko" else first[1].en
        assert "오차역전파법" in prose, (lang, first[0].id)
        assert "backpropagation" in first[1].en


@pytest.mark.parametrize("seed", [None, 1, 2, 3, 4, 5, 6, 7, 8])
def test_a_forgotten_2_of_t_squared_is_told_as_such(seed):
    """z = t², t = x + y: t typed for ∂z/∂t or ∂z/∂x, x + y for the formula, is the missing 2 (not the forward
    value of t, nor a gradient split at the + node)."""
    lesson = BY_ID["chain-rule"]
    inst = lesson.instance(seed=seed)
    t = inst.graph("square").value("t")
    for pid, typed_answer in (("dz-dt", repr(float(t))), ("dz-dx", repr(float(t))), ("dz-dx-expr", "x + y")):
        for lang, says in (("ko", "2를 빠뜨린"), ("en", "The 2 from differentiating t² by t seems to be missing")):
            result = grade(inst, pid, typed_answer, lang)
            assert not result.correct and result.mistake == "forgot-2", (seed, pid, result)
            assert says in result.message


@pytest.mark.parametrize("seed", [None, 1, 2, 3, 4, 5, 6, 7, 8])
def test_the_apple_payment_before_and_after_tax_get_their_own_messages(seed):
    """Lesson 7 (apples): the apples' cost before tax typed for ∂payment/∂apples' cost, and the taxed payment
    typed for ∂payment/∂tax, are each told what they are, as lesson 8 tells the apples alone."""
    inst = BY_ID["apple-backward"].instance(seed=seed)
    v = inst.graph("apple").value
    before_tax = v("apple_price") * v("apple_count")
    for pid, typed_answer, mistake, says in (("d-apple-total", before_tax, "pre-tax-payment", "세금을 붙이기 전의 사과 값"),
                                             ("d-tax", before_tax * v("tax"), "taxed-payment", "세금까지 붙은 지불 금액")):
        result = grade(inst, pid, repr(float(typed_answer)), "ko")
        assert not result.correct and result.mistake == mistake and says in result.message, (seed, pid, result)
        assert "before tax" in grade(inst, pid, repr(float(typed_answer)), "en").message


@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_problem_1s_payment_without_the_tax_is_told_as_such(seed):
    """Lesson 2, problem 1: the apples' cost (price × count, worked here from the inputs), typed for the
    payment, is the payment before the tax, as problem 2's fruit payment already says."""
    lesson = next(lesson for lesson in LESSONS if lesson.id == "computational-graph")
    inst = lesson.instance(seed=seed)
    graph = inst.graph("apple")
    cost = graph.value("apple_price") * graph.value("apple_count")
    for lang in ("ko", "en"):
        verdict = grade(inst, "apple-payment", repr(float(cost)), lang)
        assert not verdict.correct and verdict.mistake == "no-tax", verdict
