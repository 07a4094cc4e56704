"""`tutor start` in a real terminal (tmux): start, open the apple lesson, answer, quit, start again
and land on the next blank. Skipped where tmux is not installed."""

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tutor.progress import Store

pytestmark = [pytest.mark.tmux, pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")]

TUTOR = str(Path(sys.executable).with_name("tutor"))


class Terminal:
    """One tmux session on a private server socket, so it never touches anyone else's tmux."""

    def __init__(self, socket: Path, command: str, width: int = 100, height: int = 30):
        self.base = ["tmux", "-S", str(socket)]
        env = {**os.environ, "TERM": "xterm-256color"}
        subprocess.run(self.base + ["new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height),
                                    f"{command}; echo EXIT=$?; sleep 30"], check=True, env=env)

    def keys(self, *keys: str) -> None:
        for key in keys:
            subprocess.run(self.base + ["send-keys", "-t", "t", key], check=True)
            time.sleep(0.15)  # a person's pace: Textual reads each key on its own

    def screen(self) -> str:
        return subprocess.run(self.base + ["capture-pane", "-p", "-t", "t"], check=True,
                              capture_output=True, text=True).stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            shown = self.screen()
            if text in shown:
                return shown
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen was:\n{self.screen()}")

    def close(self) -> None:
        subprocess.run(self.base + ["kill-server"], capture_output=True)


@pytest.fixture
def terminal(tmp_path):
    opened = []

    def start(db: Path) -> Terminal:
        # a socket of its own each time: a server just killed may still hold the last one
        term = Terminal(tmp_path / f"tmux-{len(opened)}.sock", f"{TUTOR} start --lang en --db {db}")
        opened.append(term)
        return term

    yield start
    for term in opened:
        term.close()


def test_start_answer_quit_and_resume(terminal, tmp_path):
    from tutor.lessons import bundled_lessons_dir, load_lessons

    lessons, _ = load_lessons(bundled_lessons_dir())
    number, apples = next((i, lesson) for i, lesson in enumerate(lessons) if lesson.id == "apple-backward")
    first, second = (p.id for p in apples.problems[:2])
    inst = apples.instance()
    db = tmp_path / "progress.db"
    term = terminal(db)
    term.wait_for("Backpropagation practice")
    term.wait_for("next up")
    term.keys(*["Down"] * number, "Enter")
    term.wait_for(apples.title.en)  # it opens at the step of its first blank, the cursor in it
    term.wait_for("(a) ")
    term.keys(*f"{inst.answer(first):g}", "Enter")
    term.wait_for("✓")
    term.keys("C-q")
    term.wait_for("EXIT=0")
    attempts = Store.open(db).attempts(lesson=apples.id)
    assert [(a.problem, a.correct) for a in attempts] == [(first, True)]
    term.close()

    again = terminal(db)
    shown = again.wait_for(apples.title.en)
    assert "solved" in shown  # the answered blank, and the cursor on the next one
    again.keys(*f"{inst.answer(second):g}", "Enter")
    again.wait_for("✓")
    again.keys("C-q")
    again.wait_for("EXIT=0")
    assert [(a.problem, a.correct) for a in Store.open(db).attempts(lesson=apples.id)] == [(first, True),
                                                                                             (second, True)]
