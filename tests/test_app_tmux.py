"""`tutor start` in a real terminal (tmux): start, open the apple lesson, answer, quit, start again
and land on the next blank; at 80×24, a wrong answer's ✗ line is on screen wherever the blank sits.
Skipped where tmux is not installed."""

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

    def write(self, text: str) -> None:
        """Type ``text`` as it is (tmux reads no key names in it)."""
        subprocess.run(self.base + ["send-keys", "-t", "t", "-l", text], check=True)
        time.sleep(0.15)

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

    def start(db: Path, width: int = 100, height: int = 30) -> Terminal:
        # a socket of its own each time: a server just killed may still hold the last one
        term = Terminal(tmp_path / f"tmux-{len(opened)}.sock", f"{TUTOR} start --lang en --db {db}", width, height)
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
    term.wait_for(apples.title.en)  # a first visit opens at step 1, which has no blank: Enter goes on
    term.wait_for("Enter or pgdn: next step")
    term.keys("Enter")
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


def typed(instance, pid: str) -> str:
    """The engine's answer as a person types it (a choice by its number)."""
    import numpy as np

    problem = instance.lesson.problem(pid)
    if problem.type == "choice":
        return str([o.id for o in problem.options].index(problem.answer) + 1)
    return ", ".join(f"{v:g}" for v in np.ravel(instance.answer(pid)))


def wrong(instance, pid: str) -> str:
    import numpy as np

    return ", ".join(f"{v + 7:g}" for v in np.ravel(instance.answer(pid)))


# (lesson, step) where the ✗ line of the step's last blank fell below an 80×24 or 100×30 screen (issue 18)
LOW_BLANKS = [("add-mul-nodes", 3), ("apple-backward", 2), ("fruit-backward", 3), ("relu-sigmoid", 2),
              ("affine-softmax", 1)]


def test_a_wrong_answer_is_on_screen_at_80x24(terminal, tmp_path):
    from tutor.lessons import bundled_lessons_dir, load_lessons

    lessons, _ = load_lessons(bundled_lessons_dir())
    numbers = {lesson.id: i for i, lesson in enumerate(lessons)}
    term = terminal(tmp_path / "progress.db", 80, 24)
    term.wait_for("next up")
    for lesson_id, step in LOW_BLANKS:
        lesson = lessons[numbers[lesson_id]]
        inst = lesson.instance()
        term.keys("Home", *["Down"] * numbers[lesson_id], "Enter")
        term.wait_for(lesson.title.en)
        term.keys(*["PageUp"] * len(lesson.steps))  # a first visit opens at step 1: this changes nothing
        term.wait_for(f"step 1 of {len(lesson.steps)}")
        term.keys(*["PageDown"] * (step - 1))
        term.wait_for(f"step {step} of {len(lesson.steps)}")
        *before, last = lesson.steps[step - 1].blanks
        for pid in before:  # the cursor moves on to the next blank by itself
            term.write(typed(inst, pid))
            term.keys("Enter")
        term.write(wrong(inst, last))
        term.keys("Enter")
        shown = term.wait_for("✗")
        assert any(line.lstrip("█ ").startswith("✗") for line in shown.splitlines()), shown
        term.keys("Escape")
        term.wait_for("next up")
    term.keys("C-q")
    term.wait_for("EXIT=0")


def test_ascii_mode_draws_nothing_but_ascii_and_the_lessons_own_text(terminal, tmp_path):
    """f3 in a lesson: the graph, the math, the marks, the borders, the title line all in ASCII; what is
    left outside ASCII is Korean (the lesson's own, and 한국어 on the language key) and what the lesson's
    author typed (a ∂ in a label)."""
    import re

    from tutor.lessons import bundled_lessons_dir, load_lessons
    from tutor.lessons.mathspans import MATH

    lessons, _ = load_lessons(bundled_lessons_dir())
    number, lesson = next((i, lesson) for i, lesson in enumerate(lessons) if lesson.id == "add-mul-nodes")
    source = MATH.sub(" ", lesson.path.read_text(encoding="utf-8"))  # the author's own characters, math aside
    own = {ch for ch in source if not ch.isascii()}
    term = terminal(tmp_path / "progress.db")
    term.wait_for("next up")
    term.keys(*["Down"] * number, "Enter")
    term.wait_for(lesson.title.en)
    term.keys("F3")
    seen = ""
    for step in range(len(lesson.steps)):
        time.sleep(1.0)
        screen = term.screen()
        seen += screen
        stray = {ch for ch in screen if not ch.isascii() and ch not in own and not "가" <= ch <= "힣"}
        assert not stray, f"step {step + 1} shows {sorted(stray)}:\n{screen}"
        term.keys("PageDown")
    assert "dL/dz" in seen  # the prose's $\partial L/\partial z$, in ASCII
    assert re.search(r"<- .*dL/dz|<- ∂L/∂z", seen) or "(+)" in seen  # the upstream arrow, or at least a drawing
