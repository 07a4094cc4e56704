"""The learner's flow through the app (issue 18): feedback never out of sight, the way forward always
said and taken with Enter, the drawing's markers naming their own blanks. Pilot tests on the bundled
course; expected answers come from the engine (``instance.answer``), never typed here."""

from pathlib import Path

import pytest

from tutor.app.main import TutorApp
from tutor.app.screens.home import HomeScreen
from tutor.app.screens.lesson import BlankField, DatasetTable, GraphView, LessonScreen
from tutor.app.widgets import AnswerBox
from tutor.progress import Store

FIXTURES = Path(__file__).parent / "app_fixtures"


def make_app(db: Path, lessons=None, lang: str = "ko") -> TutorApp:
    return TutorApp(lessons, store=Store.open(db), lang=lang, resume=False)


def right(screen: LessonScreen, pid: str) -> str:
    return typed(screen.session.instance, pid)


def typed(instance, pid: str) -> str:
    """The engine's answer to blank ``pid`` as a learner types it."""
    value = instance.answer(pid)
    problem = instance.lesson.problem(pid)
    if problem.type == "choice":
        return str([o.id for o in problem.options].index(problem.answer) + 1)
    try:
        return ", ".join(f"{v:g}" for v in value)
    except TypeError:
        return f"{value:g}"


def solve_all(store, pack: str, lesson) -> None:
    """Every blank of ``lesson`` solved on the first try, straight into the store (formula blanks
    have no engine-made answer to type)."""
    from tutor.progress import Attempt

    for problem in lesson.problems:
        store.record_attempt(Attempt(pack, lesson.id, problem.id, None, "(solved by the test)", True, None, 0, 1.0))
    store.complete_lesson(pack, lesson.id)


def wrong(screen: LessonScreen, pid: str) -> str:
    """An answer that is readable but wrong: each number of the engine's answer plus 7."""
    value = screen.session.instance.answer(pid)
    try:
        return ", ".join(f"{v + 7:g}" for v in value)
    except TypeError:
        return f"{value + 7:g}"


async def to_step(pilot, screen: LessonScreen, pid: str) -> BlankField:
    """Page to the step of blank ``pid`` and put the cursor in it."""
    while pid not in screen.step.blanks:
        await pilot.press("pagedown" if screen.step_index < screen.session.step_of(pid) else "pageup")
        await pilot.pause()
    field = next(f for f in screen.query(BlankField) if f.problem.id == pid)
    field.input.focus()
    await pilot.pause()
    return field


async def type_answer(pilot, field: BlankField, text: str) -> None:
    field.input.value = ""
    await pilot.press(*text, "enter")
    await pilot.pause()
    await pilot.pause()


def on_screen(app, widget) -> bool:
    """Whether all of ``widget`` is inside the step body's visible part."""
    body = app.screen.query_one("#step-body")
    region = widget.region
    return region.height > 0 and body.region.contains_region(region)


def flat(text: str) -> str:
    return " ".join(text.split())


# ---- seeing the feedback ------------------------------------------------------------------------

@pytest.mark.anyio
async def test_feedback_of_the_answered_blank_is_scrolled_into_view(tmp_path, open_lesson, screen_text):
    """Lesson 10 at 100×30: step 1 solved, then (a) right and (b) wrong on step 2: the ✗ line was
    below the screen."""
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_lesson(pilot, "relu-sigmoid")
        first, *rest = screen.lesson.steps[0].blanks or screen.lesson.steps[1].blanks
        field = await to_step(pilot, screen, first)
        await type_answer(pilot, field, right(screen, first))
        await pilot.press("pagedown")
        await pilot.pause()
        fields = list(screen.query(BlankField))
        assert len(fields) >= 2
        for field in fields[:-1]:
            field.input.focus()
            await type_answer(pilot, field, right(screen, field.problem.id))
        last = fields[-1]
        last.input.focus()
        await type_answer(pilot, last, wrong(screen, last.problem.id))
        assert "✗" in screen_text(app)
        assert on_screen(app, last.feedback)
        await pilot.press("ctrl+t")
        await pilot.pause()
        await pilot.pause()
        assert on_screen(app, last.query_one(".hints"))


@pytest.mark.anyio
async def test_after_a_wrong_answer_typing_replaces_it(tmp_path, open_lesson, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await to_step(pilot, screen, "d-tax")
        await type_answer(pilot, field, "220")
        assert not screen.session.blanks["d-tax"].solved
        await pilot.press("2", "0", "0")
        assert field.input.value == "200"
        await pilot.press("f1")
        await pilot.pause()
        assert "^u" in screen_text(app) and "답 지우기" in screen_text(app)


@pytest.mark.anyio
async def test_keys_that_arrive_together_are_taken_in_their_order(tmp_path, open_lesson):
    """Several keys in one read of the terminal (tmux, or a slow link to `tutor serve`): an editing key
    acts before the characters typed behind it. ctrl+u 9 Enter sent an empty answer (ctrl+u cleared the
    9), and 7 0 backspace 1 gave 70."""
    from textual import events

    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await to_step(pilot, screen, "d-tax")
        await type_answer(pilot, field, "220")

        def arrive_together(*keys):
            for key in keys:
                app.post_message(events.Key(key, key if len(key) == 1 else None))

        arrive_together("ctrl+u", "9", "enter")
        for _ in range(3):
            await pilot.pause()
        assert screen.session.blanks["d-tax"].tries == 2 and field.input.value == "9"
        arrive_together("ctrl+u", "7", "0", "backspace", "1")
        for _ in range(3):
            await pilot.pause()
        assert field.input.value == "71"


@pytest.mark.anyio
async def test_f2_translates_the_feedback_already_shown(tmp_path, open_lesson, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await to_step(pilot, screen, "d-apple-total")
        await type_answer(pilot, field, right(screen, "d-apple-total"))
        field = next(f for f in screen.query(BlankField) if f.problem.id == "d-tax")
        field.input.focus()
        await type_answer(pilot, field, "1")
        korean = flat(screen_text(app))
        assert "정답입니다" in korean
        await pilot.press("f2")
        await pilot.pause()
        english = flat(screen_text(app))
        assert "Correct." in english and "정답입니다" not in english
        wrong_en = flat(screen.session.blanks["d-tax"].verdict.message)
        assert wrong_en[:25] in english
        await pilot.press("f2")
        await pilot.pause()
        assert wrong_en[:25] not in flat(screen_text(app))


@pytest.mark.anyio
async def test_a_marker_names_its_own_blank(tmp_path, open_lesson):
    """Lesson 4 step 3: (a) asks ∂z/∂x as a number, (b) as a formula. The drawing marks x's
    gradient [a], and shows the number once (a) is solved."""
    from tutor.render.numbers import format_value

    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_lesson(pilot, "chain-rule")
        field = await to_step(pilot, screen, "dz-dx")
        view = screen.query_one(GraphView)
        assert view.hidden[("backward", "x")] == screen.letters["dz-dx"] == "a"
        drawing = "\n".join(strip.plain for strip in view.render().split())
        assert "[a]" in drawing and "[b]" not in drawing
        await type_answer(pilot, field, right(screen, "dz-dx"))
        assert ("backward", "x") not in view.hidden
        drawing = "\n".join(strip.plain for strip in view.render().split())
        assert "[b]" not in drawing and format_value(view.graph.grad("x")) in drawing


def test_a_formula_blanks_value_is_marked_where_no_number_blank_gave_it():
    """Lesson 5 step 1 asks ∂z/∂x of z = x + y as a formula: the drawing wrote its answer, 1, under x."""
    from tutor.app.session import LessonSession
    from tutor.lessons import bundled_lessons_dir, load_lessons

    lesson = next(l for l in load_lessons(bundled_lessons_dir())[0] if l.id == "add-mul-nodes")
    step = lesson.steps[0]
    assert [lesson.problem(pid).type for pid in step.blanks] == ["expression", "expression"]
    letters = {pid: letter for pid, letter in zip(step.blanks, "ab")}
    hidden = LessonSession(lesson).hidden_markers(step.graphs[0], letters)
    assert hidden == {("backward", "x"): "a", ("backward", "y"): "b"}


def test_a_blank_asking_one_branchs_gradient_marks_that_branch_and_its_number_shows_once_done():
    """Lesson 6 step 1: (b) and (c) ask the gradient back to x along each branch; the branches read [?]
    (the total, x's, is step 2's) and stayed [?] once solved."""
    from tutor.app.session import LessonSession
    from tutor.lessons import bundled_lessons_dir, load_lessons
    from tutor.render.graph import layout_graph
    from tutor.render.numbers import format_value

    lesson = next(l for l in load_lessons(bundled_lessons_dir())[0] if l.id == "branching")
    session, step = LessonSession(lesson), lesson.steps[0]
    letters = {pid: "abc"[i] for i, pid in enumerate(step.blanks)}
    graph = session.instance.graph(step.graphs[0])

    def branch_labels() -> dict[str, str]:
        hidden = session.hidden_markers(step.graphs[0], letters)
        layout = layout_graph(graph, values="both", hidden=hidden, upstream=lesson.graphs[step.graphs[0]].upstream)
        return {edge.target: label.text for edge in layout.edges if edge.source == "x" for label in edge.labels}

    assert branch_labels() == {"u": f"[{letters['via-u']}]", "v": f"[{letters['via-v']}]"}
    session.blanks["via-u"].solved = True
    shown = branch_labels()
    assert shown["u"] == format_value(graph.edge_grad("u", graph.nodes["u"].args.index("x"))) and shown["v"] == "[c]"


def test_an_unnamed_step_that_carries_a_hidden_value_unchanged_is_hidden_too():
    """Lesson 10: pred_y = ReLU(w × X) with w × X positive, so the edge into the ReLU carried pred_y's
    numbers beside its [b], and its gradient beside ∂L/∂pred_y's."""
    from tutor.app.session import LessonSession
    from tutor.lessons import bundled_lessons_dir, load_lessons

    lesson = next(l for l in load_lessons(bundled_lessons_dir())[0] if l.id == "y-equals-2x")
    session = LessonSession(lesson)
    graph = session.instance.graph("net")
    inner = graph.nodes["pred_y"].args[0]  # w × X, unnamed
    assert not graph.nodes[inner].named and list(graph.values[inner]) == list(graph.values["pred_y"])
    for step in lesson.steps[:2]:
        letters = {pid: "abc"[i] for i, pid in enumerate(step.blanks)}
        hidden = session.hidden_markers("net", letters)
        assert hidden[("forward", inner)] == hidden[("backward", inner)] == "?"
    shown = {("forward", "train_X"), ("forward", "w")}
    assert not shown & set(hidden)  # the givens stay


LOCAL_AT_THE_OUTPUT = """---
id: local-at-output
title: {ko: 국소적 미분, en: Local derivatives}
graphs:
  g:
    inputs: {x: 1, y: 2, z: -4}
    nodes:
      q: x + y
      f: q * z
problems:
  - id: dq
    answer: local(f, q)
  - id: dx
    answer: grad(x)
---
{{graph g}} {{blank dq}} {{blank dx}}
"""


def test_a_local_derivative_blank_at_the_output_is_not_drawn_before_it_is_answered(tmp_path):
    """f = q · z with f the output: what flows back from f to q is ∂f/∂q itself, and the drawing showed it
    (▲ -4) beside the blank asking for it."""
    from tutor.app.session import LessonSession
    from tutor.lessons import load_lesson

    path = tmp_path / "local.md"
    path.write_text(LOCAL_AT_THE_OUTPUT, encoding="utf-8")
    session = LessonSession(load_lesson(path))
    graph, letters = session.instance.graph("g"), session.lesson.steps[0].letters()
    assert graph.d("f", "q") == graph.local("f", "q")  # the number under q is the answer
    assert session.hidden_markers("g", letters)[("backward", "q")] == letters["dq"]
    session.blanks["dq"].solved = True
    assert ("backward", "q") not in session.hidden_markers("g", letters)


def test_the_walk_keeps_local_derivative_blanks_and_their_twins_behind_markers():
    """Lesson 4 step 2 asks ∂z/∂t and ∂t/∂x (z = t², t = x + y). The walk printed '1 × 6 = 6' and '6 × 1',
    both answers; and in step 3, asking ∂z/∂x, the drawing showed ∂z/∂y, the same number, beside it."""
    from tutor.app.screens.walk import walk_lines, walk_order
    from tutor.app.session import LessonSession
    from tutor.lessons import bundled_lessons_dir, load_lessons

    lesson = next(l for l in load_lessons(bundled_lessons_dir())[0] if l.id == "chain-rule")
    session = LessonSession(lesson)
    step = lesson.steps[session.step_of("dz-dt")]
    assert session.step_of("dt-dx") == session.step_of("dz-dt")
    graph, letters = session.instance.graph("square"), step.letters()
    hidden = session.hidden_markers("square", letters)
    walk = {node: walk_lines(graph, node, "en", hidden=hidden).plain for node in walk_order(graph)}
    assert f"1 × [{letters['dz-dt']}] = [{letters['dz-dt']}]" in walk["z"]
    assert f"× [{letters['dt-dx']}] =" in walk["t"] and "× [?] =" in walk["t"]  # y's local is x's: 1 too
    assert hidden[("backward", "t")] == letters["dz-dt"]  # ∂z/∂t is what flows back from the output
    later = lesson.steps[session.step_of("dz-dx")]
    for pid in ("dz-dt", "dt-dx"):
        session.blanks[pid].solved = True
    shown = session.hidden_markers("square", later.letters())
    assert shown[("backward", "x")] == later.letters()["dz-dx"] and shown[("backward", "y")] == "?"
    assert graph.grad("y") == graph.grad("x")


@pytest.mark.anyio
async def test_a_table_without_rows_is_not_drawn(tmp_path, open_lesson, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_lesson(pilot, "affine-softmax")
        hidden = 0
        for index in range(len(screen.lesson.steps)):
            screen.step_index = index
            await screen.show_step()
            await pilot.pause()
            hidden += sum(not table.display for table in screen.query(DatasetTable))
            assert not any(line.strip() in ("│ # │", "| # |") for line in screen_text(app).splitlines())
        assert hidden  # lesson 11 has a step whose graph has no dataset


@pytest.mark.anyio
async def test_after_the_walk_focus_footer_and_typing_agree(tmp_path, open_lesson, screen_text):
    app = make_app(tmp_path / "p.db", lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await to_step(pilot, screen, "d-apple-price")
        await pilot.press("ctrl+b", "right")
        await pilot.pause()
        assert isinstance(app.focused, GraphView)
        await pilot.press("2")  # typed during the walk: into the answer box, not lost
        await pilot.pause()
        assert app.focused is field.input and field.input.value == "2"
        await pilot.press("ctrl+b", "escape", "tab", "tab")
        await pilot.pause()
        assert not isinstance(app.focused, GraphView)
        footer = screen_text(app).splitlines()[-1]
        assert "End walk" not in footer and "Node" not in footer
        await pilot.press("5")
        assert "5" in "".join(f.input.value for f in screen.query(BlankField))


@pytest.mark.anyio
async def test_after_the_walk_on_a_step_with_no_open_blank_enter_goes_on(tmp_path, open_lesson, screen_text):
    """A reading step (lesson 8's first): after ctrl+b and Esc the graph kept the focus, its keys stayed in
    the key bar, and Enter, which the screen offered to go on, did nothing."""
    app = make_app(tmp_path / "p.db", lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_lesson(pilot, "fruit-backward")
        assert not screen.step.blanks and screen.step.graphs and screen.step_index == 0
        await pilot.press("ctrl+b", "right", "escape")
        await pilot.pause()
        assert not isinstance(app.focused, GraphView) and "End walk" not in screen_text(app).splitlines()[-1]
        await pilot.press("enter")
        await pilot.pause()
        assert screen.step_index == 1


@pytest.mark.anyio
async def test_an_unreadable_answer_is_selected_so_typing_replaces_it(tmp_path, open_lesson):
    """'1,1' then '1.1' made '1,11.1': a wrong answer was selected, an unreadable one was not."""
    app = make_app(tmp_path / "p.db", lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await to_step(pilot, screen, "d-apple-price")
        await type_answer(pilot, field, "2,2")
        assert screen.session.blanks["d-apple-price"].verdict.invalid and field.input.value == "2,2"
        await pilot.press(*right(screen, "d-apple-price"), "enter")
        await pilot.pause()
        assert field.input.value == right(screen, "d-apple-price") and screen.session.blanks["d-apple-price"].solved


@pytest.mark.anyio
async def test_up_scrolls_the_step_while_an_answer_box_has_the_focus(tmp_path, open_lesson, wait_for):
    """The answer box took up and down as its own (scrolling a one-line box): a step opened scrolled to its
    first blank could not be scrolled back to its top, though f1 lists ↑ to scroll."""
    app = make_app(tmp_path / "p.db", lang="en")
    async with app.run_test(size=(100, 32)) as pilot:
        screen = await open_lesson(pilot, "affine-softmax")
        body = screen.query_one("#step-body")
        await wait_for(pilot, lambda: body.scroll_y > 0)  # the first blank scrolled into view
        assert isinstance(app.focused, AnswerBox)
        before = body.scroll_y
        await pilot.press("up")
        await wait_for(pilot, lambda: body.scroll_y < before)


# ---- the way forward ----------------------------------------------------------------------------

@pytest.mark.anyio
async def test_the_lessons_summary_box_changes_language_and_glyphs_as_everywhere(tmp_path, wait_for):
    """A modal screen hides the app's keys: f2 and f3, which f1 says work everywhere, did nothing there."""
    from tutor.app.screens.done import LessonDoneScreen
    from tutor.app.session import LessonSession

    app = make_app(tmp_path / "p.db", lang="en")
    async with app.run_test(size=(100, 32)) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        lesson = app.lessons[7]
        box = LessonDoneScreen(lesson, LessonSession(lesson).summary())
        await app.push_screen(box)
        await pilot.pause()
        await pilot.press("f2")
        await wait_for(pilot, lambda: "레슨을 떠납니다" in str(box.query_one("#done-text").render()))
        await pilot.press("f3")
        await wait_for(pilot, lambda: app.ascii)


@pytest.mark.anyio
async def test_first_visit_opens_at_step_1_and_later_visits_resume(tmp_path, open_lesson, wait_for):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_lesson(pilot, "chain-rule")
        assert screen.step_index == 0 and not screen.lesson.steps[0].blanks  # the chain rule's definition
        field = await to_step(pilot, screen, "dz-dt")
        await type_answer(pilot, field, right(screen, "dz-dt"))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        screen = await open_lesson(pilot, "chain-rule")
        assert screen.step_index == screen.session.step_of("dt-dx")
        assert app.focused.parent.problem.id == "dt-dx"


@pytest.mark.anyio
async def test_enter_goes_on_to_the_next_step_then_lesson_with_a_summary(tmp_path, open_lesson, wait_for,
                                                                         screen_text):
    from tutor.app.screens.done import LessonDoneScreen

    app = make_app(tmp_path / "p.db", lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        await pilot.press("enter")  # step 1 has no blanks: Enter goes on
        await pilot.pause()
        assert screen.step_index == 1
        blanks = [pid for step in screen.lesson.steps for pid in step.blanks]
        hinted = blanks[0]
        for pid in blanks:
            field = await to_step(pilot, screen, pid)
            if pid == hinted:
                await pilot.press("ctrl+t")
                await type_answer(pilot, field, "1")  # one wrong try: not first-try
            await type_answer(pilot, field, right(screen, pid))
            if pid in screen.step.blanks[-1:] and screen.step_index < len(screen.lesson.steps) - 1:
                assert "next step" in screen_text(app)
        assert "next lesson" in screen_text(app)
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonDoneScreen))
        await pilot.pause()
        shown = flat(screen_text(app))
        assert "Lesson complete" in shown
        assert f"{len(blanks) - 1} on the first try" in shown and "Hints used: 1" in shown
        following = app.lessons[[lesson.id for lesson in app.lessons].index("apple-backward") + 1]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.lesson.id == following.id)


@pytest.mark.anyio
async def test_finishing_the_course_says_so(tmp_path, open_lesson, wait_for, screen_text):
    """The fixture course has two lessons; with the first solved, finishing the last ends the course."""
    from tutor.app.screens.done import LessonDoneScreen

    app = make_app(tmp_path / "p.db", lessons=FIXTURES / "course", lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        first, last = app.lessons
        solve_all(app.store, app.pack, first)
        screen = await open_lesson(pilot, last.id)
        for pid in [pid for step in last.steps for pid in step.blanks]:
            field = await to_step(pilot, screen, pid)
            await type_answer(pilot, field, right(screen, pid))
        while screen.step_index < len(last.steps) - 1:
            await pilot.press("pagedown")
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonDoneScreen))
        await pilot.pause()
        assert "finished the course" in flat(screen_text(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


@pytest.mark.anyio
async def test_the_list_cursor_starts_on_the_next_lesson(tmp_path, open_lesson, wait_for):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_lesson(pilot, "gradient-descent")
        for pid in [pid for step in screen.lesson.steps for pid in step.blanks]:
            field = await to_step(pilot, screen, pid)
            await type_answer(pilot, field, right(screen, pid))
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause()
        assert app.screen.query_one("#lessons").highlighted == 1  # ▶ 02, not the 01 just finished


@pytest.mark.anyio
async def test_after_the_last_hint_the_way_to_the_solution_is_said(tmp_path, open_lesson, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await to_step(pilot, screen, "d-tax")
        _, texts = screen.session.shown_hints("d-tax", "ko")
        for _ in texts:
            await pilot.press("ctrl+t")
        await pilot.pause()
        assert "힌트는 여기까지입니다" in flat(screen_text(app)) and "세 번 시도한 뒤" in flat(screen_text(app))
        await type_answer(pilot, field, right(screen, "d-tax"))
        shown = flat(screen_text(app))
        assert texts[-1] in shown and "힌트는 여기까지입니다" not in shown  # solved: nothing is left to do


@pytest.mark.anyio
async def test_after_three_tries_and_the_last_hint_ctrl_r_is_said_to_show_the_solution(tmp_path, open_lesson,
                                                                                        screen_text):
    from tutor.app.i18n import STRINGS

    app = make_app(tmp_path / "p.db", lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await to_step(pilot, screen, "d-tax")
        for wrong in ("1", "2", "3"):
            await type_answer(pilot, field, wrong)
        _, texts = screen.session.shown_hints("d-tax", "en")
        for _ in texts:
            await pilot.press("ctrl+t")
        await pilot.pause()
        shown = flat(screen_text(app))
        assert texts[-1] in shown and flat(STRINGS["lesson.last_hint"]["en"]) in shown
        assert "after three tries" not in shown


@pytest.mark.anyio
async def test_a_revealed_solution_shows_the_worked_derivation(tmp_path, open_lesson, screen_text):
    """Lesson 6's ∂payment/∂tax: the local derivative of the multiply node is the other input, the
    apples' cost, whose value the engine computes."""
    from tutor.render.numbers import format_value

    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await to_step(pilot, screen, "d-tax")
        for wrong in ("1", "2", "3"):
            await type_answer(pilot, field, wrong)
        await pilot.press("ctrl+r")
        await pilot.pause()
        graph = screen.session.instance.graph("apple")
        labels = screen.lesson.graphs["apple"].labels
        shown = flat(screen_text(app))
        worked = (f"풀이: ∂{labels['payment'].ko}/∂{labels['tax'].ko} = {labels['apple_total'].ko} = "
                  f"{format_value(graph.grad('tax'))}")
        assert worked in shown


@pytest.mark.anyio
async def test_progress_keeps_the_check_mark_of_a_cut_title(tmp_path, open_lesson, wait_for, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        lesson = max(app.lessons, key=lambda lesson: len(lesson.title.ko))
        solve_all(app.store, app.pack, lesson)
        assert app.is_complete(lesson)
        await pilot.press("f4")
        await pilot.pause()
        line = next(line for line in screen_text(app).splitlines() if lesson.title.ko[:8] in line)
        assert "…" in line and "✓" in line


@pytest.mark.anyio
async def test_choice_options_each_on_their_own_lines(tmp_path, open_lesson, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson(pilot, "gradient-descent")
        field = next(f for f in screen.query(BlankField) if f.problem.type == "choice")
        lines = screen_text(app).splitlines()
        for number, option in enumerate(field.problem.options, 1):
            words = option.text.ko.split()
            line = next(line for line in lines if f"{number}) " in line)
            assert line.split(f"{number}) ", 1)[1].startswith(words[0])
            assert sum(f"{n}) " in line for n in range(1, len(field.problem.options) + 1)) == 1
        # wrapped at word boundaries: every word of every option appears whole on some line
        for option in field.problem.options:
            for word in option.text.ko.split():
                assert any(word in line for line in lines), word


@pytest.mark.anyio
async def test_the_next_lesson_follows_the_course_yaml_order(tmp_path, open_lesson, wait_for, screen_text):
    """course.yaml puts the apple lesson (file 06) before add-mul-nodes (file 05): leaving it leads to
    add-mul-nodes, and it is not the course's last lesson."""
    import shutil

    from tutor.app.screens.done import LessonDoneScreen

    folder = tmp_path / "pack"
    shutil.copytree(FIXTURES / "course", folder)
    (folder / "course.yaml").write_text("lessons: [apple-backward, add-mul-nodes]\n", encoding="utf-8")
    app = make_app(tmp_path / "p.db", lessons=folder, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        apples = app.lessons[0]
        assert apples.id == "apple-backward"
        solve_all(app.store, app.pack, apples)
        screen = await open_lesson(pilot, apples.id)
        while screen.step_index < len(apples.steps) - 1:
            await pilot.press("pagedown")
        await pilot.press("pagedown")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonDoneScreen))
        await pilot.pause()
        shown = flat(screen_text(app))
        assert "02 Backward through add and multiply nodes" in shown and "last lesson" not in shown
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.lesson.id == "add-mul-nodes")


def test_the_derivation_adds_the_products_of_every_path():
    """z = x·y + x: ∂z/∂x takes two paths (through x·y and straight into +), each a product of local
    derivatives, summed; the last number is the engine's gradient."""
    from tutor.engine import Graph
    from tutor.render.derivation import chain_derivation
    from tutor.render.numbers import format_value

    graph = Graph.parse(inputs={"x": 2, "y": 5}, nodes={"p": "x * y", "z": "p + x"}, output="z")
    worked = chain_derivation(graph, "x", {"p": "xy"})
    symbols, *_, value = worked.split(" = ")
    assert symbols == "∂z/∂x" and value == format_value(graph.grad("x"))
    assert "∂z/∂xy × ∂xy/∂x + ∂z/∂x" in worked  # both paths, by name
    assert f"1 × {format_value(graph.value('y'))} + 1" in worked  # and by number
    assert chain_derivation(graph, "z", {}) is None  # the output itself: nothing to work out
