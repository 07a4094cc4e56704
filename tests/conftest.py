"""Fixtures shared by the app's Pilot tests (test_app.py, test_app_flow.py, test_preview.py).

Those tests are coroutines run by anyio's pytest plugin (``pytest.mark.anyio``; anyio comes with
watchfiles), on asyncio only: Textual runs on asyncio.
"""

import time

import pytest


@pytest.fixture
def anyio_backend():
    return "asyncio"


def _screen_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


async def _wait_for(pilot, condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds  # a hang guard, not a timing assertion
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("the app did not get there")
        await pilot.pause(0.02)


@pytest.fixture
def screen_text():
    """``screen_text(app)``: what the terminal shows right now, as plain text."""
    return _screen_text


@pytest.fixture
def wait_for():
    """``await wait_for(pilot, condition)``: let the app run until ``condition()`` holds (5 s at most)."""
    return _wait_for


@pytest.fixture
def open_lesson(wait_for):
    """``await open_lesson(pilot, lesson_id)``: from the home screen into that lesson (at the step
    where it opens)."""
    from tutor.app.screens.home import HomeScreen
    from tutor.app.screens.lesson import LessonScreen

    async def open_it(pilot, lesson_id: str) -> LessonScreen:
        app = pilot.app
        await wait_for(pilot, lambda: app.lessons_loaded)
        home = app.screen
        assert isinstance(home, HomeScreen)
        home.open_lesson(next(lesson for lesson in app.lessons if lesson.id == lesson_id))
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen) and app.screen.query("#step-body > *"))
        await pilot.pause()
        return app.screen
    return open_it
