"""`tutor start` opens the progress store after the app's first frame (issue 23: the store's modules
and its database cost the first frame nothing). What the store does must still happen: a damaged
file is told, the learner resumes where they left off, a store that cannot be had at all ends the
command with its reason."""

import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from tutor.app.launch import open_store
from tutor.app.main import TutorApp
from tutor.app.screens.lesson import LessonScreen
from tutor.progress import Store

SIZE = (100, 40)

# The real `tutor start` (the command line, the launch, TutorApp), headless: only the terminal check is answered
# "fine", as bench/_first_frame.py does. The probe app says what it saw through os.write (Textual takes
# print() while an app runs).
START = """
import os, sys
import tutor.environment
from tutor.app import main as app_main
from tutor.cli import main

tutor.environment.no_terminal_reason = lambda **_: None

class Probe(app_main.TutorApp):
    def on_ready(self):  # runs before TutorApp's own on_ready
        loaded = [name for name in ("tutor.progress", "sqlite3") if name in sys.modules]
        os.write(1, f"first frame: store {self.store} modules {loaded}\\n".encode())

    def lessons_ready(self, pack):
        super().lessons_ready(pack)
        os.write(1, f"lessons: store {type(self.store).__name__}\\n".encode())
        self.exit()

    def run(self, **options):
        return super().run(headless=True, size=(100, 40))

app_main.TutorApp = Probe
sys.argv = ["tutor", "start", "--db", sys.argv[1]]
main()
"""


def test_the_store_opens_after_the_first_frame_and_before_the_lessons_are_shown(tmp_path):
    db = tmp_path / "p.db"
    run = subprocess.run([sys.executable, "-c", START, str(db)], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "first frame: store None modules []" in run.stdout, run.stdout
    assert "lessons: store Store" in run.stdout
    assert db.exists()


def test_a_store_that_cannot_be_had_ends_tutor_start_with_its_reason(tmp_path):
    """A postgresql:// URL without psycopg: one line saying so, exit code 2, no traceback."""
    blocked = "import sys; sys.modules['psycopg'] = None  # as if the extra `class` were not installed\n"
    run = subprocess.run([sys.executable, "-c", blocked + START, "postgresql://tutor@localhost/class"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 2, run.stdout + run.stderr
    assert "tutor: a postgresql:// database needs psycopg" in run.stderr
    assert "Traceback" not in run.stderr


@pytest.mark.anyio
async def test_a_damaged_progress_file_opened_after_the_first_frame_is_told(tmp_path, wait_for, screen_text):
    bad = tmp_path / "p.db"
    bad.write_bytes(b"not a database" * 100)  # moved aside, a fresh store started, and a warning
    app = TutorApp(None, open_store=partial(open_store, str(bad)), lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        await pilot.pause()
        warning = app.store.warning_in("en")
        shown = " ".join(screen_text(app).split())
        assert "damaged" in warning and warning[:40] in shown
        # where the line always was: under the overall progress, above the lessons
        assert shown.index("Overall:") < shown.index(warning[:40]) < shown.index(app.lessons[0].title.en)
    assert app.store.moved_aside is not None and app.store.moved_aside.exists()


@pytest.mark.anyio
async def test_a_courses_description_is_shown_under_its_title(tmp_path, wait_for, screen_text):
    """The description line is mounted only when a course has one; it goes where it always was."""
    import shutil

    folder = tmp_path / "pack"
    shutil.copytree(Path(__file__).parent / "app_fixtures" / "course", folder)
    (folder / "course.yaml").write_text("title: Backprop lab\ndescription: Apples first.\n", encoding="utf-8")
    app = TutorApp(folder, open_store=partial(open_store, str(tmp_path / "p.db")), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        await pilot.pause()
        shown = " ".join(screen_text(app).split())
        assert shown.index("Backprop lab") < shown.index("Apples first.") < shown.index("Overall:")


@pytest.mark.anyio
async def test_the_learner_resumes_in_the_lesson_left_with_the_store_opened_after_the_first_frame(tmp_path, wait_for):
    db = tmp_path / "p.db"
    with Store.open(db) as store:
        store.set_position("course", "apple-backward", "d-apple-price")
    app = TutorApp(None, open_store=partial(open_store, str(db)), lang="en")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.lesson.id == "apple-backward"
