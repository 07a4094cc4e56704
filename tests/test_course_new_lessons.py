"""Issue 17's new lessons, solved end to end as a learner would: through the app (Pilot) and through
`tutor quiz --plain`. Every number typed is the engine's answer (``instance.answer``); the formulas typed
are the book's (its Sigmoid layer: dx = dout·y(1 − y), and dout·y²·exp(−x) before simplifying), the spec.

The layer-code lesson is also checked against the book's MulLayer/AddLayer run as buy_apple_orange.py does
(``tutor.engine.layers``, code apart from the graph engine): what each backward(dout) returns is the
lesson's answer.
"""

import os
import subprocess
import sys

import numpy as np
import pytest

from tutor.engine.layers import AddLayer, MulLayer
from tutor.grading import grade
from tutor.grading.grade import shown_answer
from tutor.lessons import bundled_lessons_dir, load_lessons
from tutor.progress import Store
from tutor.quiz.messages import say
from tutor.quiz.session import plan_quiz

LESSONS, _ = load_lessons(bundled_lessons_dir())
BY_ID = {lesson.id: lesson for lesson in LESSONS}
NEW_LESSONS = ["branching", "layer-code", "sigmoid-steps"]

# The book's formulas for the formula blanks (5.5.2): the spec, not the engine's answer.
BOOK_FORMULAS = {("sigmoid-steps", "collected"): "dout y^2 exp(-x)",
                 ("sigmoid-steps", "simplified"): "dout y (1 - y)"}


def typed(lesson, instance, pid: str) -> str:
    """The right answer to blank ``pid`` as a learner types it: the engine's number (shortest form that
    is the value), the choice's number, or the book's formula."""
    problem = lesson.problem(pid)
    if problem.type == "choice":
        return str([option.id for option in problem.options].index(problem.answer) + 1)
    if problem.type == "expression":
        return BOOK_FORMULAS[(lesson.id, pid)]
    return ", ".join(repr(float(v)) for v in np.ravel(instance.answer(pid)))


def test_the_new_lessons_are_in_the_course():
    ids = [lesson.id for lesson in LESSONS]
    assert set(NEW_LESSONS) <= set(ids)
    assert ids.index("add-mul-nodes") < ids.index("branching") < ids.index("apple-backward")
    assert ids.index("fruit-backward") < ids.index("layer-code") < ids.index("y-equals-2x")
    assert ids.index("relu-sigmoid") < ids.index("sigmoid-steps") < ids.index("affine-softmax")


@pytest.mark.parametrize("lesson_id", NEW_LESSONS)
@pytest.mark.parametrize("seed", [None, 1, 2, 3])
def test_every_blank_of_a_new_lesson_is_accepted_as_typed(lesson_id, seed):
    lesson = BY_ID[lesson_id]
    inst = lesson.instance(seed=seed)
    for problem in lesson.problems:
        assert grade(inst, problem.id, typed(lesson, inst, problem.id), "en").correct, (seed, problem.id)


# ---- branching: the gradients of a value's branches add up ---------------------------------------------

@pytest.mark.parametrize("seed", [None, 1, 2, 3, 4, 5, 6])
def test_each_branch_and_their_sum_are_the_products_along_the_paths(seed):
    """x feeds u = x·p and v = x·q, z = u + v, and ∂L/∂z = dz: the branches bring back dz·p and dz·q,
    x gets their sum; w shared by three samples (yᵢ = w·xᵢ, S = Σyᵢ) gets x₁ + x₂ + x₃. Computed here from
    the inputs, not from the engine's graph."""
    inst = BY_ID["branching"].instance(seed=seed)
    v = inst.graph("branch").value
    p, q, dz = v("p"), v("q"), v("dz")
    assert inst.answer("du") == pytest.approx(dz)
    assert inst.answer("via-u") == pytest.approx(dz * p)
    assert inst.answer("via-v") == pytest.approx(dz * q)
    assert inst.answer("dx") == pytest.approx(dz * p + dz * q)
    s = inst.graph("samples").value
    assert inst.answer("dw") == pytest.approx(s("x1") + s("x2") + s("x3"))


@pytest.mark.parametrize("seed", [None, 1, 2, 3, 4, 5, 6])
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_one_branch_alone_is_told_as_one_path(seed, lang):
    """The sum asked with one branch's gradient typed: the engine's one-path mistake, naming that branch."""
    lesson = BY_ID["branching"]
    inst = lesson.instance(seed=seed)
    branch, samples = inst.graph("branch").value, inst.graph("samples").value
    one_branch = [("dx", "u", branch("dz") * branch("p")), ("dx", "v", branch("dz") * branch("q")),
                  ("dw", "y1", samples("x1")), ("dw", "y2", samples("x2")), ("dw", "y3", samples("x3"))]
    for pid, consumer, value in one_branch:
        result = grade(inst, pid, repr(float(value)), lang)
        assert not result.correct and result.mistake == "one-path", (seed, pid, consumer, result)
        assert consumer in result.message and ("경로" if lang == "ko" else "path") in result.message


def test_the_branching_lesson_names_the_book_and_the_lectures_terms():
    lesson = BY_ID["branching"]
    prose = lesson.path.read_text(encoding="utf-8")
    assert "분기 노드" in prose and "Repeat 노드" in prose and "branch node" in prose and "Repeat node" in prose
    assert "5.6.2" in lesson.source.ko and "1.3.4" in lesson.source.ko and "5.6.2" in lesson.source.en


# ---- the layer code: backward(dout) returns the graph's numbers ---------------------------------------

@pytest.mark.parametrize("seed", [None, 1, 2, 3, 4])
def test_what_each_backward_call_returns_is_the_lessons_answer(seed):
    inst = BY_ID["layer-code"].instance(seed=seed)
    v = inst.graph("shop").value
    mul_apple, mul_orange, add_apple_orange, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    apple_price = mul_apple.forward(v("apple"), v("apple_num"))  # (1)
    orange_price = mul_orange.forward(v("orange"), v("orange_num"))  # (2)
    all_price = add_apple_orange.forward(apple_price, orange_price)  # (3)
    price = mul_tax.forward(all_price, v("tax"))  # (4)
    dall_price, dtax = mul_tax.backward(1)
    dapple_price, dorange_price = add_apple_orange.backward(dall_price)
    dorange, dorange_num = mul_orange.backward(dorange_price)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    returned = {"price": price, "dall-price": dall_price, "dtax": dtax, "dapple-price": dapple_price,
                "dorange-price": dorange_price, "dorange": dorange, "dorange-num": dorange_num,
                "dapple": dapple, "dapple-num": dapple_num}
    for pid, value in returned.items():
        assert inst.answer(pid) == pytest.approx(value, rel=1e-12), (seed, pid)


def test_the_layer_code_lessons_numbers_are_the_books_output():
    """buy_apple_orange.py prints price 715, dApple 2.2, dApple_num 110, dOrange 3.3, dOrange_num 165,
    dTax 650 (NOTES.md, from running the book's code)."""
    inst = BY_ID["layer-code"].instance()
    book = {"price": 715, "dapple": 2.2, "dapple-num": 110, "dorange": 3.3, "dorange-num": 165, "dtax": 650}
    for pid, value in book.items():
        assert inst.answer(pid) == pytest.approx(value, rel=1e-9), pid


# ---- the Sigmoid layer, node by node ---------------------------------------------------------------------

@pytest.mark.parametrize("seed", [None, 1, 2, 3, 4, 5])
def test_the_sigmoid_steps_are_the_books_four_local_derivatives(seed):
    """Book 5.5.2: / gives −y², + passes, exp gives exp(−x), × gives −1; together dout·y(1 − y)."""
    inst = BY_ID["sigmoid-steps"].instance(seed=seed)
    graph = inst.graph("sigmoid")
    x, dout = graph.value("x"), graph.value("dout")
    y = 1 / (1 + np.exp(-x))
    assert inst.answer("div-local") == pytest.approx(-y ** 2)
    assert inst.answer("div-back") == pytest.approx(-dout * y ** 2)
    assert inst.answer("plus-back") == pytest.approx(-dout * y ** 2)
    assert inst.answer("exp-local") == pytest.approx(np.exp(-x))
    assert inst.answer("exp-back") == pytest.approx(-dout * y ** 2 * np.exp(-x))
    assert inst.answer("neg-back") == pytest.approx(dout * y * (1 - y))


# ---- through the app ----------------------------------------------------------------------------------

@pytest.mark.anyio
@pytest.mark.parametrize("lesson_id", NEW_LESSONS)
async def test_a_new_lesson_solved_through_the_app(tmp_path, lesson_id, open_lesson, wait_for, screen_text):
    from tutor.app.main import TutorApp
    from tutor.app.screens.done import LessonDoneScreen
    from tutor.app.screens.lesson import BlankField

    app = TutorApp(None, store=Store.open(tmp_path / "p.db"), lang="en", resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_lesson(pilot, lesson_id)
        lesson = screen.lesson
        for number, step in enumerate(lesson.steps):
            while screen.step_index != number:
                await pilot.press("pagedown")
                await pilot.pause()
            for pid in step.blanks:
                field = next(f for f in screen.query(BlankField) if f.problem.id == pid)
                field.input.focus()
                field.input.value = ""
                await pilot.press(*typed(lesson, screen.session.instance, pid), "enter")
                await wait_for(pilot, lambda: screen.session.blanks[pid].solved)
        assert "next lesson" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonDoneScreen))
        await pilot.pause()
        shown = " ".join(screen_text(app).split())
        assert "Lesson complete" in shown and f"{len(lesson.problems)} on the first try" in shown
    with Store.open(tmp_path / "p.db") as store:
        solved = {a.problem for a in store.attempts() if a.correct and a.lesson == lesson_id}
        assert solved == {problem.id for problem in lesson.problems}


# ---- through `tutor quiz --plain` ---------------------------------------------------------------------

@pytest.mark.parametrize("lesson_id", NEW_LESSONS)
def test_a_new_lesson_solved_through_the_plain_quiz(tmp_path, lesson_id):
    env = {**os.environ, "TUTOR_DATA_DIR": str(tmp_path), "TUTOR_DB": str(tmp_path / "progress.sqlite3"),
           "TUTOR_LANG": "en"}
    lesson = BY_ID[lesson_id]
    count = len(lesson.problems)
    with Store.open(env["TUTOR_DB"]) as store:
        questions, _ = plan_quiz(LESSONS, store, "course", [lesson_id], count=count, seed=5)
    assert {q.problem.id for q in questions} == {problem.id for problem in lesson.problems}
    answers = []
    for question in questions:
        inst = lesson.instance(seed=question.seed)
        answer = typed(lesson, inst, question.problem.id)
        if question.problem.type in ("number", "vector"):  # as the tutor shows it: 4 digits where they do
            answer = shown_answer(inst, question.problem.id)
        answers.append(answer)
    run = subprocess.run([sys.executable, "-c", "from tutor.cli import main; main()", "quiz", "--plain",
                          f"--lesson={lesson_id}", f"--count={count}", "--seed=5"],
                         input="".join(a + "\n" for a in answers), capture_output=True, text=True, env=env,
                         timeout=120)
    assert run.returncode == 0 and "Traceback" not in run.stderr, run.stderr
    assert say("score", "en", right=count, asked=count) in run.stdout, run.stdout[-2000:]
