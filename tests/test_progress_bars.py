"""Progress at a glance (issue 24): a bar beside each lesson's solved/total and first-try share, in the
app's progress screen (f4) and in `tutor progress` on a terminal; ASCII in ASCII mode and on a terminal
that cannot show the blocks; a pipe, --json and --csv get what they always got."""

import os
import pty
import subprocess
import sys

import pytest

from tutor.progress import Attempt, Store
from tutor.render.bars import bar
from tutor.render.glyphs import glyph

BLOCKS = glyph("bar_done", False) + glyph("bar_todo", False)
TUTOR = [sys.executable, "-c", "from tutor.cli import main; main()"]  # the `tutor` command, in this Python
ANSWERS = [("d-apple-price", True), ("d-apple-count", False), ("d-apple-count", True), ("d-tax", True)]


def record(db) -> None:
    """Three of apple-backward's blanks solved, two of them on the first try."""
    with Store.open(db) as store:
        for problem, correct in ANSWERS:
            store.record_attempt(Attempt("course", "apple-backward", problem, None, "1", correct, None, 0, 1.0))


def on_a_terminal(*args: str, env: dict | None = None) -> str:
    """What `tutor ARGS` prints to a terminal (a pseudo-terminal)."""
    leader, follower = pty.openpty()
    process = subprocess.Popen([*TUTOR, *args], stdin=subprocess.DEVNULL,
                               stdout=follower, stderr=follower, env={**os.environ, **(env or {})})
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the command ended and closed the terminal
            break
        if not chunk:
            break
        out += chunk
    process.wait(timeout=60)
    os.close(leader)
    return out.decode().replace("\r\n", "\n")


def apple_line(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("apple-backward"))


@pytest.mark.parametrize("share, width", [(0, 10), (0.75, 10), (2 / 3, 10), (0.999, 10), (1, 8), (None, 5)])
def test_a_bar_is_full_only_when_the_share_is_whole(share, width):
    drawn = bar(share, width)
    assert len(drawn) == width
    if share is None:
        assert drawn == " " * width
    else:
        done = drawn.count(glyph("bar_done", False))
        assert done == int(width * share) and (done == width) == (share == 1)
        assert bar(share, width, ascii=True).isascii()


def test_tutor_progress_on_a_terminal_has_bars_beside_the_numbers(tmp_path):
    from tutor.lessons import bundled_lessons_dir
    from tutor.progress.report import BAR_WIDTH, lesson_rows
    from tutor.authoring.pack import load_pack

    db = tmp_path / "p.db"
    record(db)
    env = {"TUTOR_DB": str(db), "TUTOR_LANG": "en", "PYTHONIOENCODING": "utf-8"}
    pack = load_pack(bundled_lessons_dir())
    with Store.open(db) as store:
        row = next(r for r in lesson_rows(store.lesson_summary(), pack.id, pack.lessons) if r.lesson == "apple-backward")
    line = apple_line(on_a_terminal("progress", env=env))
    solved, first_try = bar(row.solved / row.total, BAR_WIDTH), bar(row.first_try_accuracy, BAR_WIDTH)
    assert f"{solved} {row.solved}/{row.total}" in line and f"{first_try} {row.first_try_accuracy:.0%}" in line
    assert 0 < solved.count(BLOCKS[0]) < BAR_WIDTH
    ascii_line = apple_line(on_a_terminal("progress", "--ascii", env=env))
    assert ascii_line.isascii() and f"{bar(row.solved / row.total, BAR_WIDTH, True)} {row.solved}/{row.total}" in ascii_line
    latin = apple_line(on_a_terminal("progress", env={**env, "PYTHONIOENCODING": "latin-1"}))
    assert latin.isascii() and "#" in latin  # a terminal that cannot show the blocks gets the ASCII twins


def test_a_pipe_and_the_exports_get_no_bars(tmp_path):
    db = tmp_path / "p.db"
    record(db)
    env = {**os.environ, "TUTOR_DB": str(db), "TUTOR_LANG": "en"}
    piped = subprocess.run([*TUTOR, "progress"], capture_output=True, text=True, env=env,
                           timeout=60).stdout
    assert "3/4" in apple_line(piped) and not set(BLOCKS + "#") & set(apple_line(piped))
    for export in ("--json", "--csv"):
        shown = on_a_terminal("progress", export, env={"TUTOR_DB": str(db), "PYTHONIOENCODING": "utf-8"})
        assert not set(BLOCKS) & set(shown)


@pytest.mark.anyio
async def test_the_progress_screen_has_the_same_bars(tmp_path, wait_for, screen_text):
    from tutor.app.main import TutorApp
    from tutor.app.screens.progress import BAR_WIDTH
    from tutor.progress.report import lesson_rows

    db = tmp_path / "p.db"
    record(db)
    app = TutorApp(store=Store.open(db), lang="en", resume=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        await pilot.press("f4")
        await pilot.pause()
        row = next(r for r in lesson_rows(app.store.lesson_summary(), app.pack, app.lessons) if r.lesson == "apple-backward")
        title = next(lesson.title.en for lesson in app.lessons if lesson.id == "apple-backward")[:20]  # cut to fit
        line = next(line for line in screen_text(app).splitlines() if title in line)
        assert f"{bar(row.solved / row.total, BAR_WIDTH)} {row.solved}/{row.total}" in line
        assert f"{bar(row.first_try_accuracy, BAR_WIDTH)} {row.first_try_accuracy:.0%}" in line
        await pilot.press("f3")
        await pilot.pause()
        line = next(line for line in screen_text(app).splitlines() if title in line)
        assert f"{bar(row.solved / row.total, BAR_WIDTH, True)} {row.solved}/{row.total}" in line
