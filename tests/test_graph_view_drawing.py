"""A graph view keeps its drawing until something it shows changes (tutor/app/screens/lesson.py,
``GraphView.drawing``). Each test changes one thing the drawing shows and checks that the view on
screen shows it: the kept drawing equals one drawn from scratch, and the screen shows the change."""

from pathlib import Path

import pytest

from tutor.app.main import TutorApp
from tutor.app.preview import PreviewApp, PreviewScreen
from tutor.app.screens.lesson import BlankField, GraphView, LessonScreen
from tutor.app.session import LessonSession
from tutor.lessons import load_lesson
from tutor.lessons.commands import new_lesson

SIZE = (100, 40)


def kept_and_fresh(view: GraphView) -> tuple[str, str]:
    """The view's drawing as it renders now, and the same view's drawing made from scratch."""
    kept = view.render().plain
    view.drawn = None
    return kept, view.render().plain


async def graph_step(pilot, screen: LessonScreen, wanted=lambda view: True) -> GraphView:
    """The first step on from here whose graph view is ``wanted`` (default: any graph)."""
    while not (screen.query(GraphView) and wanted(screen.query_one(GraphView))):
        await pilot.press("pagedown")
        await pilot.pause()
    return screen.query_one(GraphView)


@pytest.mark.anyio
async def test_a_solved_blank_shows_its_value_in_the_same_view(open_lesson):
    app = TutorApp(resume=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        view = await graph_step(pilot, screen, lambda view: any(
            view.graph_name == screen.lesson.problem(pid).graph for pid in screen.step.blanks))
        pid = next(pid for pid in screen.step.blanks if screen.lesson.problem(pid).graph == view.graph_name)
        marker = f"[{screen.letters[pid]}]"
        assert marker in view.render().plain
        field = next(f for f in screen.query(BlankField) if f.problem.id == pid)
        field.input.value = f"{screen.session.instance.answer(pid):g}"
        field.input.focus()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.session.blanks[pid].solved and screen.query_one(GraphView) is view  # the same view, redrawn
        kept, fresh = kept_and_fresh(view)
        assert kept == fresh and marker not in kept


@pytest.mark.anyio
async def test_language_ascii_and_walk_each_redraw(open_lesson):
    app = TutorApp(resume=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        view = await graph_step(pilot, screen)
        labels = screen.lesson.graphs[view.graph_name].labels
        assert labels, "the apple lesson's graph names its nodes in both languages"
        korean = next(iter(labels.values())).ko
        assert korean in view.render().plain

        app.lang = "en"  # what f2 sets (the step is built again; its views must not show the Korean drawing)
        await pilot.pause()
        view = screen.query_one(GraphView)
        english = next(iter(labels.values())).en
        kept, fresh = kept_and_fresh(view)
        assert kept == fresh and english in kept and korean not in kept

        app.ascii = True  # what f3 sets
        await pilot.pause()
        view = screen.query_one(GraphView)
        kept, fresh = kept_and_fresh(view)
        assert kept == fresh and "─" not in kept and "-" in kept

        before = view.render().plain
        view.start_walk()  # ctrl+b: the walk highlights a node and shows the gradients
        await pilot.pause()
        kept, fresh = kept_and_fresh(view)
        assert kept == fresh and kept != before


@pytest.mark.anyio
async def test_a_narrower_terminal_redraws_the_graph_narrower(open_lesson):
    app = TutorApp(resume=False)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "relu-sigmoid")  # its relu graph is drawn narrower below 63 columns
        view = await graph_step(pilot, screen)
        before = view.render().plain
        await pilot.resize_terminal(52, 40)
        await pilot.pause()
        kept, fresh = kept_and_fresh(view)
        assert kept == fresh and kept != before


@pytest.mark.anyio
async def test_another_variant_draws_its_own_values(open_lesson, wait_for):
    app = TutorApp(resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        lesson = next(lesson for lesson in app.lessons if lesson.id == "apple-backward")
        step = next(i for i, s in enumerate(lesson.steps) if s.graphs)
        drawings = {}
        for seed in range(1, 6):
            session = LessonSession(lesson, seed=seed)
            screen = LessonScreen(lesson, session, step)
            await app.push_screen(screen)
            await wait_for(pilot, lambda: screen.query(GraphView))
            await pilot.pause()
            view = screen.query_one(GraphView)
            kept, fresh = kept_and_fresh(view)
            assert kept == fresh
            price = session.instance.graph(view.graph_name).value("apple_price")
            assert f"{float(price):g}" in kept
            drawings[seed] = kept
            await app.pop_screen()
            await pilot.pause()
        assert len(set(drawings.values())) > 1  # the variants' numbers differ, and so do their drawings


@pytest.mark.anyio
async def test_an_edited_lesson_draws_its_new_values_after_reload(tmp_path: Path, wait_for):
    path = new_lesson("redraw-me", tmp_path)
    app = PreviewApp(path, lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, PreviewScreen) and app.screen.query("#step-body > *"))
        screen = app.screen
        view = await graph_step(pilot, screen)
        old = load_lesson(path).instance().graph(view.graph_name).value("apple_price")
        assert f"{float(old):g}" in view.render().plain
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("apple_price: 100", "apple_price: 137", 1), encoding="utf-8")
        assert await screen.reload()
        await pilot.pause()
        view = screen.query_one(GraphView)
        kept, fresh = kept_and_fresh(view)
        assert kept == fresh and "137" in kept


@pytest.mark.anyio
async def test_a_terminal_resized_under_a_lesson_lays_out_the_home_screen_again(open_lesson, screen_text):
    """The lesson screen stops the Resize event that repeats its first layout (LessonScreen.on_resize);
    a real resize still lays out the screen under it, and the lesson's own graph (test above)."""
    app = TutorApp(resume=False)
    async with app.run_test(size=SIZE) as pilot:
        await open_lesson(pilot, "apple-backward")
        home = app.screen_stack[-2]
        await pilot.resize_terminal(80, 30)
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home and home.size == (80, 30)
        assert max(len(line.rstrip()) for line in screen_text(app).splitlines()) <= 80


def test_kept_highlighting_follows_the_code_and_its_language():
    from tutor.app.screens.lesson import PlainFence

    first = PlainFence.highlight("x = 1", "python")
    assert PlainFence.highlight("x = 1", "python") is first  # kept
    assert PlainFence.highlight("x = 2", "python").plain == "x = 2"  # another code is highlighted anew
    assert PlainFence.highlight("x = 1", "").spans != first.spans  # no language: plain text, not Python's colours
