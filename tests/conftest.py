"""Fixtures shared by the app's Pilot tests (test_app.py, test_app_flow.py, test_preview.py).

Those tests are coroutines run by anyio's pytest plugin (``pytest.mark.anyio``; anyio comes with
watchfiles), on asyncio only: Textual runs on asyncio.
"""

import os
import shutil
import tempfile
import time

import pytest


def pytest_configure(config):
    """No module reading the course as it is collected writes into the user's cache folder: the front
    matter is kept in a folder of this run's own, removed at its end (each test has its own, below)."""
    config.front_cache = tempfile.mkdtemp(prefix="tutor-test-cache-")
    os.environ["TUTOR_CACHE_DIR"] = config.front_cache


def pytest_unconfigure(config):
    shutil.rmtree(config.front_cache, ignore_errors=True)


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


# ---- progress stores: an SQLite file, or a database of a throwaway PostgreSQL cluster --------------


@pytest.fixture(autouse=True)
def _own_data_dir(tmp_path, monkeypatch):
    """No test writes into the real data directory (the outbox, crash logs, backups of a URL's store), and
    each test has its own front matter cache: a test that turns a check of the reader off (test_security)
    must not leave what it read for the next test to find."""
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("TUTOR_DB", raising=False)
    monkeypatch.delenv("TUTOR_LEARNER", raising=False)


@pytest.fixture(scope="session")
def pg_cluster():
    """One cluster for the whole run (about a second to start). Where PostgreSQL or psycopg is missing
    this skips with the install command, but in CI (the CI variable set) it fails: there, the
    PostgreSQL tests must run."""
    import os

    from pg_cluster import Cluster, NoPostgres

    cluster = None
    try:
        import psycopg  # noqa: F401
        cluster = Cluster()
        cluster.start()
    except (ImportError, NoPostgres) as error:
        if cluster is not None:
            cluster.remove()
        from pg_cluster import INSTALL_HINT

        reason = f"no PostgreSQL to test against ({error}); install: {INSTALL_HINT}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    yield cluster
    cluster.remove()


@pytest.fixture
def pg_url(pg_cluster):
    """A fresh database of the session's cluster, as a postgresql:// URL (socket directory, no password)."""
    return pg_cluster.url(pg_cluster.create_database())


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    """The progress database of a test that runs on both backends: a file path, or a URL."""
    if request.param == "sqlite":
        return str(tmp_path / "progress.sqlite3")
    return request.getfixturevalue("pg_url")
