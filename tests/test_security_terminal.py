"""`tutor start` in a real pseudo-terminal, fed a lesson pack full of hostile text (tests/hostile/):
none of the lesson's escape sequences reach the terminal, its Rich markup runs no action, and the app
keeps running; ctrl+c, a closed terminal and a crash in a screen handler lose no submitted answer.

The loader refuses these lessons (their YAML escapes; tests/test_security.py holds that), so the child
runs with the loader's check switched off: the app gets every hostile text, as if a lesson had got it
past the loader, and what reaches the terminal is the app's own defence.

Textual writes escape codes of its own (alternate screen, colours, its own OSC 8 links), so the
assertions look for the lesson's own payloads, which nothing but the lesson contains."""

import fcntl
import os
import re
import select
import struct
import subprocess
import sys
import termios
import time
from pathlib import Path

import pytest

from tutor.progress import Store

HOSTILE = Path(__file__).parent / "hostile"
COLUMNS, ROWS = 100, 30
ENTER, BACKSPACE, CTRL_C, CTRL_Q, CTRL_T = b"\r", b"\x7f", b"\x03", b"\x11", b"\x14"

# The payloads of tests/hostile/*.md, as bytes a terminal would obey.
PAYLOADS = {
    "OSC 52 clipboard write": b"]52;c;SE9TVElMRQ",  # base64 of HOSTILE
    "OSC 8 link to a file": re.compile(rb"\x1b\]8;[^;\x07\x1b]*;(file|javascript):"),
    "CSI 2J clear screen": b"\x1b[2J",  # Textual's own driver never writes it (only its inline driver does)
    "C1 CSI (U+009B)": "\x9b".encode(),
    "RIGHT-TO-LEFT OVERRIDE (U+202E)": "\u202e".encode(),
}
LEAVE_ALTERNATE_SCREEN = b"\x1b[?1049l"
# Run in the child first: the loader's forbidden characters become none (a pattern that matches nothing).
LOADER_CHECK_OFF = "import re, tutor.lessons.safe_yaml\ntutor.lessons.safe_yaml.UNSAFE_CHARACTER = re.compile('(?!)')"


class Terminal:
    """A child process whose controlling terminal is a new pseudo-terminal of COLUMNS × ROWS."""

    def __init__(self, args: list[str], env: dict[str, str]):
        self.master, self.slave = os.openpty()
        fcntl.ioctl(self.slave, termios.TIOCSWINSZ, struct.pack("HHHH", ROWS, COLUMNS, 0, 0))
        self.modes = termios.tcgetattr(self.slave)  # what "the terminal is restored" means
        self.output = bytearray()
        self.process = subprocess.Popen(
            args, stdin=self.slave, stdout=self.slave, stderr=self.slave, env=env, close_fds=True,
            start_new_session=True, preexec_fn=lambda: fcntl.ioctl(0, termios.TIOCSCTTY, 0))

    def read(self, seconds: float) -> None:
        """Collect what the app writes for ``seconds`` (or until the terminal is gone)."""
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.master], [], [], left)
            if not ready:
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:  # EIO: the child closed its side
                return
            if not chunk:
                return
            self.output += chunk

    def wait_for(self, text: str, timeout: float = 30) -> None:
        """Read until ``text`` has been drawn (a hang guard, not a timing)."""
        wanted = text.encode()
        end = time.monotonic() + timeout
        while wanted not in self.output:
            if time.monotonic() > end or self.process.poll() is not None:
                raise AssertionError(f"{text!r} never appeared; the app wrote:\n{bytes(self.output[-3000:])!r}")
            self.read(0.1)

    def send(self, keys: bytes, settle: float = 0.3) -> None:
        os.write(self.master, keys)
        self.read(settle)

    def type(self, text: str) -> None:
        for character in text:
            self.send(character.encode(), settle=0.05)

    def click(self, x: int, y: int) -> None:
        """A left click at 0-based column ``x``, row ``y`` (SGR mouse reporting, as Textual asks for)."""
        os.write(self.master, f"\x1b[<0;{x + 1};{y + 1}M\x1b[<0;{x + 1};{y + 1}m".encode())

    def exit_code(self, timeout: float = 20) -> int:
        end = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < end:
            self.read(0.1)
        self.read(0.2)
        return self.process.wait(timeout=1)

    def restored(self) -> bool:
        """The modes are those from before the app started, and it left the alternate screen last."""
        last_enter = self.output.rfind(b"\x1b[?1049h")
        return termios.tcgetattr(self.slave) == self.modes and self.output.rfind(LEAVE_ALTERNATE_SCREEN) > last_enter

    def hang_up(self) -> None:
        """Close the terminal, as closing its window does: the app gets SIGHUP."""
        os.close(self.master)
        self.master = None

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for fd in (self.master, self.slave):
            if fd is not None:
                os.close(fd)


def leaked_payloads(output: bytes) -> list[str]:
    return [name for name, payload in PAYLOADS.items()
            if (payload.search(output) if isinstance(payload, re.Pattern) else payload in output)]


@pytest.fixture
def start(tmp_path):
    """``start(python_code=None)`` runs `tutor start --lessons tests/hostile --db <tmp> --lang en` in a new
    terminal, with the loader's check off; ``python_code`` runs in the child before the command (the crash
    test's trigger)."""
    terminals = []
    env = {**{k: v for k, v in os.environ.items() if not k.startswith(("TUTOR_", "TEXTUAL"))},
           "TERM": "xterm-256color", "COLUMNS": str(COLUMNS), "LINES": str(ROWS),
           "TUTOR_DATA_DIR": str(tmp_path / "data"), "LANG": "C.UTF-8"}

    def run(python_code: str = "") -> Terminal:
        code = f"{LOADER_CHECK_OFF}\n{python_code}\nfrom tutor.cli import main\nmain()"
        terminal = Terminal([sys.executable, "-c", code, "start", "--lessons", str(HOSTILE),
                             "--db", str(tmp_path / "progress.db"), "--lang", "en"], env)
        terminals.append(terminal)
        return terminal

    yield run
    for terminal in terminals:
        terminal.close()


def open_hostile_lesson(terminal: Terminal) -> None:
    terminal.wait_for("LIVE")  # the hostile lesson's title on the home screen (its U+202E removed)
    terminal.wait_for("unknown key")  # the broken lesson's error, listed (with the check on, it is refused earlier)
    terminal.send(ENTER)
    terminal.wait_for("prompt[/]")  # the first blank's prompt, markup shown as text


def attempts(tmp_path) -> list[tuple[str, str, bool]]:
    with Store.open(tmp_path / "progress.db") as store:
        return [(a.problem, a.answer, a.correct) for a in store.attempts()]


def test_hostile_lesson_text_never_reaches_the_terminal_as_escapes(start, tmp_path):
    terminal = start()
    open_hostile_lesson(terminal)
    terminal.type("2")  # the lesson's own mistake (value(x)): its hostile message is shown
    terminal.send(ENTER)
    terminal.wait_for("mistake[/]")
    for _ in range(3):  # every hint, with their payloads: the lesson's two and the graph's rule between them
        terminal.send(CTRL_T)
    terminal.wait_for("second")
    terminal.send(BACKSPACE)  # the answer box keeps the last answer
    terminal.type("3")
    terminal.send(ENTER)
    terminal.type("a")  # the focus moved to the choice blank
    terminal.send(ENTER, settle=1)
    # Click over the whole screen but its key bar: live [@click=app.quit] markup anywhere would quit.
    for y in range(ROWS - 1):
        for x in range(0, COLUMNS, 6):
            terminal.click(x, y)
    terminal.read(3)
    assert terminal.process.poll() is None, "the app stopped: a click ran an action from the lesson"
    shown = bytes(terminal.output)
    assert b"@click=app.quit" in shown  # the markup was drawn as text, not obeyed
    assert leaked_payloads(shown) == []
    terminal.send(CTRL_Q)
    assert terminal.exit_code() == 0
    assert terminal.restored()
    assert attempts(tmp_path) == [("dz-dx", "2", False), ("dz-dx", "3", True), ("which", "a", True)]


# The crash test's trigger: a launcher that makes the lesson screen's answer handler raise right after
# the answer is graded and saved. It lives here, in the test, so no user can reach it; the message
# quotes the lesson's hostile prompt, as an error about lesson text might.
CRASH_AFTER_SUBMIT = """
from tutor.app.screens.lesson import LessonScreen
submit = LessonScreen.submit
def crash_after_submit(self, field, answer):
    submit(self, field, answer)
    raise RuntimeError("a bug in a screen handler, about " + field.problem.prompt)
LessonScreen.submit = crash_after_submit
"""


def test_a_crash_in_a_screen_handler_restores_the_terminal_keeps_the_answer_and_logs(start, tmp_path):
    terminal = start(CRASH_AFTER_SUBMIT)
    open_hostile_lesson(terminal)
    terminal.type("3")
    terminal.send(ENTER)
    code = terminal.exit_code()
    assert code != 0
    assert terminal.restored()
    assert attempts(tmp_path) == [("dz-dx", "3", True)]
    logs = list((tmp_path / "data" / "crash-logs").glob("crash-*.log"))
    assert len(logs) == 1
    log = logs[0].read_text(encoding="utf-8")
    assert "RuntimeError: a bug in a screen handler" in log and "crash_after_submit" in log
    assert str(logs[0]).encode() in terminal.output  # the learner is told where it is
    assert leaked_payloads(bytes(terminal.output)) == [] and leaked_payloads(log.encode()) == []


def answer_wrong_then_type(terminal: Terminal) -> None:
    """One submitted (wrong) answer, then a second one typed but not submitted."""
    open_hostile_lesson(terminal)
    terminal.type("2")
    terminal.send(ENTER)
    terminal.wait_for("mistake[/]")
    terminal.send(BACKSPACE)
    terminal.type("3")


def test_ctrl_c_while_answering_loses_nothing(start, tmp_path):
    terminal = start()
    answer_wrong_then_type(terminal)
    terminal.send(CTRL_C, settle=1)
    if terminal.process.poll() is None:  # Textual reads ctrl+c as a key (copy), not as SIGINT
        terminal.send(CTRL_Q)
    assert terminal.exit_code() == 0
    assert terminal.restored()
    assert attempts(tmp_path) == [("dz-dx", "2", False)]


def test_a_closed_terminal_while_answering_ends_the_app_and_loses_no_submitted_answer(start, tmp_path):
    terminal = start()
    answer_wrong_then_type(terminal)
    terminal.hang_up()
    terminal.process.wait(timeout=20)  # a hang guard: it must not wait forever on a dead terminal
    assert attempts(tmp_path) == [("dz-dx", "2", False)]
    with Store.open(tmp_path / "progress.db") as store:
        assert store.quick_check() == ["ok"]
