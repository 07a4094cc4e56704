"""SVG snapshots of the app (pytest-textual-snapshot): home, a step with its graph, wrong-answer
feedback, the backward walk-through, the help screen, the quiz, and the charts (lesson 8's training
panel in Korean and English, Unicode and ASCII; an author's chart), at 80×24 and 120×40. Each test starts
from an empty progress database, so the pictures do not depend on the machine.

Update after a deliberate change with `pytest tests/test_app_snapshots.py --snapshot-update`, then
look at every changed SVG before committing it.

The lessons are copies of course lessons in tests/app_fixtures/ (course/, and charts/ with lesson 8
and a lesson of charts), so that editing the course does not change these pictures."""

from pathlib import Path

import pytest

from tutor.app.main import TutorApp
from tutor.app.screens.lesson import BlankField, LessonScreen
from tutor.progress import Store


LESSONS = Path(__file__).parent / "app_fixtures" / "course"
CHARTS = Path(__file__).parent / "app_fixtures" / "charts"


@pytest.fixture
def app(tmp_path):
    return TutorApp(LESSONS, store=Store.open(tmp_path / "progress.db"), lang="ko", resume=False)


async def lessons_loaded(pilot) -> None:
    while not pilot.app.lessons_loaded:
        await pilot.pause(0.02)
    await pilot.pause()


def opening(lesson_id: str, keys: tuple[str, ...] = ()):
    """A run_before that opens a lesson at its first step, then presses ``keys``."""

    async def run_before(pilot) -> None:
        await lessons_loaded(pilot)
        app = pilot.app
        lesson = next(lesson for lesson in app.lessons if lesson.id == lesson_id)
        app.push_screen(LessonScreen(lesson, step=0))
        while not isinstance(app.screen, LessonScreen) or not app.screen.query(".graph-panel, .blank"):
            await pilot.pause(0.02)
        await pilot.pause()
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
        await pilot.pause(0.1)

    return run_before


def test_home_80x24(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=lessons_loaded)


def test_lesson_graph_80x24(snap_compare, app):
    assert snap_compare(app, terminal_size=(80, 24), run_before=opening("apple-backward"))


def test_lesson_graph_120x40(snap_compare, app):
    assert snap_compare(app, terminal_size=(120, 40), run_before=opening("apple-backward"))


def test_wrong_answer_feedback_80x24(snap_compare, app):
    keys = ("pagedown", "pagedown", *"110", "enter")  # 110 for the apple price: the swapped input
    assert snap_compare(app, terminal_size=(80, 24), run_before=opening("apple-backward", keys))


def test_backward_walk_120x40(snap_compare, app):
    assert snap_compare(app, terminal_size=(120, 40), run_before=opening("apple-backward", ("ctrl+b", "right")))


def test_help_80x24(snap_compare, app):
    async def run_before(pilot) -> None:
        await lessons_loaded(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(app, terminal_size=(80, 24), run_before=run_before)


def test_quiz_80x24(snap_compare):
    """The quiz screen on its first question (the apple lesson, a fixed seed: fixed numbers)."""
    from tutor.app.quiz_screen import QuizApp
    from tutor.lessons import load_lessons
    from tutor.quiz.session import QuizSession, plan_quiz

    lessons, _ = load_lessons(LESSONS)
    store = Store.in_memory()
    questions, _ = plan_quiz(lessons, store, "snapshots", ("apple-backward",), count=3, seed=1)
    assert snap_compare(QuizApp(QuizSession(questions, store, "snapshots", "ko"), lessons), terminal_size=(80, 24))


def test_wrong_answer_is_in_the_snapshot_state(app):
    """The wrong-answer snapshot shows what it claims: the apple-price blank, answered 110."""
    import asyncio

    async def check() -> None:
        async with app.run_test(size=(80, 24)) as pilot:
            await opening("apple-backward", ("pagedown", "pagedown", *"110", "enter"))(pilot)
            field = next(a for a in app.focused.ancestors if isinstance(a, BlankField))
            state = app.screen.session.blanks[field.problem.id]
            assert field.problem.id == "d-apple-price" and state.verdict.mistake == "own-input"

    asyncio.run(check())


def training(keys: tuple[str, ...], answer: bool = True):
    """A run_before at lesson 8's GD step: its blanks answered (so the panel shows its numbers), then
    ``keys`` pressed on the training panel."""
    from tutor.app.screens.charts import TrainingPanel
    from tutor.grading.grade import shown_answer

    async def run_before(pilot) -> None:
        await lessons_loaded(pilot)
        app = pilot.app
        lesson = next(lesson for lesson in app.lessons if lesson.id == "y-equals-2x")
        app.push_screen(LessonScreen(lesson, step=next(i for i, s in enumerate(lesson.steps) if "gd-w2" in s.blanks)))
        while not isinstance(app.screen, LessonScreen) or not app.screen.query(TrainingPanel):
            await pilot.pause(0.02)
        await pilot.pause()
        screen = app.screen
        for field in list(screen.query(BlankField)) if answer else []:
            field.input.focus()
            await pilot.press(*shown_answer(screen.session.instance, field.problem.id), "enter")
            await pilot.pause()
        screen.query_one(TrainingPanel).focus()
        await pilot.pause()
        await pilot.press(*keys)
        await pilot.pause(0.1)

    return run_before


@pytest.mark.parametrize("lang, ascii", [("ko", False), ("en", False), ("ko", True), ("en", True)])
def test_training_panel_chart_80x24(snap_compare, tmp_path, lang, ascii):
    """GD three steps, SGD two: both curves, the current points, the table; the step's blanks answered."""
    app = TutorApp(CHARTS, store=Store.open(tmp_path / "progress.db"), lang=lang, ascii=ascii, resume=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=training(("g", "g", "g", "s", "s")))


def test_training_panel_with_the_blanks_open_120x40(snap_compare, tmp_path):
    """Before the step's blanks are answered: [?] for every number after the start, the y axis bare."""
    app = TutorApp(CHARTS, store=Store.open(tmp_path / "progress.db"), lang="ko", resume=False)
    assert snap_compare(app, terminal_size=(120, 40), run_before=training(("g", "s", "s"), answer=False))


def test_step_chart_80x24(snap_compare, tmp_path):
    """An author's {{chart bowl}}: the loss as w varies, titled, its axes named by the graph's labels."""
    app = TutorApp(CHARTS, store=Store.open(tmp_path / "progress.db"), lang="ko", resume=False)
    assert snap_compare(app, terminal_size=(80, 24), run_before=opening("charts"))
