"""Helpers of the `tutor serve` tests: a real server in a child process on a free loopback port, the app
processes it has started, and a terminal screen read from the websocket's frames (pyte)."""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

URL_LINE = re.compile(rb"(https?://[^ ]*[^ .])")  # the first URL of "Serving the class … at URL. …"


def need_class_extra() -> None:
    """The server's own packages (the `class` extra, which the `test` extra brings)."""
    pytest.importorskip("aiohttp", reason="pip install '.[class]'")
    pytest.importorskip("textual_serve", reason="pip install '.[class]'")


class Server:
    def __init__(self, process: subprocess.Popen, url: str):
        self.process, self.url = process, url

    @property
    def netloc(self) -> str:
        return self.url.split("//", 1)[1]

    def sessions(self) -> list[int]:
        """One process per session: a launcher whose app the zygote forked, or an app started cold."""
        return [pid for pid in _children(self.process.pid) if not _is_zygote(pid)]

    def forked(self) -> list[int]:
        """The apps the zygote has forked (the zygote itself starts with the server)."""
        return [pid for zygote in _children(self.process.pid) if _is_zygote(zygote) for pid in _children(zygote)]

    def app_processes(self) -> list[int]:
        """Every process started for a session."""
        return self.sessions() + self.forked()

    def wait_for_sessions(self, count: int, seconds: float = 20.0) -> list[int]:
        deadline = time.monotonic() + seconds  # a hang guard, not a timing assertion
        while len(pids := self.sessions()) != count or len(self.forked()) > count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{len(pids)} sessions and {len(self.forked())} forked apps, not {count}")
            time.sleep(0.05)
        return pids


def _children(pid: int) -> list[int]:
    try:
        return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split() if _alive(int(child))]
    except OSError:
        return []


def _is_zygote(pid: int) -> bool:
    try:
        return b"tutor.serve.zygote" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@contextmanager
def running_server(class_dir: Path, *options: str, env: dict | None = None, port: int = 0):
    """`tutor serve --class DIR --port PORT` (loopback only; 0: any free port), until the block ends. The
    server's URL is the one it prints, else (a --public-url printed instead) the loopback one on ``port``."""
    command = [sys.executable, "-m", "tutor", "serve", "--class", str(class_dir), "--port", str(port), *options]
    environment = os.environ | {"TUTOR_LANG": "en"} | (env or {})
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    try:
        line = process.stdout.readline()
        found = URL_LINE.search(line)
        if not found:
            process.kill()
            raise AssertionError(f"tutor serve did not start: {line!r} {process.stderr.read()[-2000:]!r}")
        yield Server(process, f"http://127.0.0.1:{port}" if port else found.group(1).decode())
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        process.stdout.close()
        process.stderr.close()


class Terminal:
    """The app's screen as a terminal would show it: the websocket's output frames fed to pyte."""

    def __init__(self, width: int = 80, height: int = 24):
        import pyte

        self.screen = pyte.Screen(width, height)
        self.stream = pyte.ByteStream(self.screen)

    def resize(self, width: int, height: int) -> None:
        self.screen.resize(height, width)

    def feed(self, data: bytes) -> None:
        self.stream.feed(data)

    @property
    def text(self) -> str:
        return "\n".join(line.rstrip() for line in self.screen.display)


KEYS = {"home": "\x1b[H", "down": "\x1b[B", "enter": "\r", "pagedown": "\x1b[6~", "pageup": "\x1b[5~",
        "ctrl+u": "\x15", "escape": "\x1b"}


class SocketLearner:
    """A learner without a browser: joins with their token (aiohttp keeps the cookie), opens the app's
    websocket and reads the screen through pyte. Use ``async with SocketLearner(server, token) as x``."""

    def __init__(self, server: Server, token: str | None, width: int = 100, height: int = 30):
        self.server, self.token, self.size = server, token, (width, height)
        self.terminal = Terminal(width, height)
        self.session = self.websocket = None
        self.closed = False

    async def __aenter__(self) -> "SocketLearner":
        import aiohttp

        self.session = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))  # unsafe: an IP host
        if self.token:
            async with self.session.post(self.server.url + "/join", data={"token": self.token}) as response:
                assert response.status == 200, response.status  # after the redirect to the app's page
        return self

    async def __aexit__(self, *exc) -> None:
        if self.websocket is not None:
            await self.websocket.close()
        await self.session.close()

    async def page(self) -> tuple[int, str]:
        async with self.session.get(self.server.url + "/") as response:
            return response.status, await response.text()

    async def connect(self) -> int:
        """Open the app's websocket: 101 when the app starts, else the refusal's status."""
        import aiohttp

        try:
            self.websocket = await self.session.ws_connect(
                self.server.url + f"/ws/ko?width={self.size[0]}&height={self.size[1]}", max_msg_size=0)
        except aiohttp.WSServerHandshakeError as refused:
            return refused.status
        return 101

    async def until(self, condition, what: str, seconds: float = 60.0):
        """Read frames until ``condition(screen text)`` holds; a closed connection ends the wait too."""
        import aiohttp

        deadline = time.monotonic() + seconds  # a hang guard, not a timing assertion
        while not (found := condition(self.terminal.text)):
            left = deadline - time.monotonic()
            if left <= 0 or self.closed:
                raise AssertionError(f"never saw {what}; the screen:\n{self.terminal.text}")
            try:
                message = await asyncio.wait_for(self.websocket.receive(), left)
            except asyncio.TimeoutError:
                continue
            if message.type == aiohttp.WSMsgType.BINARY:
                self.terminal.feed(message.data)
            elif message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR):
                self.closed = True
        return found

    async def wait_closed(self, seconds: float = 30.0) -> None:
        import aiohttp

        deadline = time.monotonic() + seconds
        while not self.closed and time.monotonic() < deadline:
            message = await asyncio.wait_for(self.websocket.receive(), max(deadline - time.monotonic(), 0.01))
            self.closed = message.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED, aiohttp.WSMsgType.ERROR)
        assert self.closed, "the session was not closed"

    async def send(self, *keys: str) -> None:
        """Keys by name (KEYS) or text typed as is."""
        for key in keys:
            await self.websocket.send_str(json.dumps(["stdin", KEYS.get(key, key)]))


LESSON = "apple-backward"  # lesson 6 of the bundled course


class Lesson6:
    """Lesson 6 as the engine has it: where it is in the list, its first step with a blank, that blank,
    and the engine's right answer to it with a wrong one beside it."""

    def __init__(self):
        from tutor.authoring.pack import lessons_dir, load_pack
        from tutor.grading import grade, hints
        from tutor.authoring.sheet import answer_key

        lessons = load_pack(lessons_dir(None)).lessons
        self.number = next(i for i, lesson in enumerate(lessons) if lesson.id == LESSON)
        self.lesson = lessons[self.number]
        self.total = sum(len(lesson.problems) for lesson in lessons)  # blanks in the course
        self.step = next(i for i, step in enumerate(self.lesson.steps) if step.blanks)
        self.problem = self.lesson.steps[self.step].blanks[0]
        self.right = str(answer_key(self.lesson, None)["answers"][self.problem])
        self.wrong = str(float(self.right) * 10 + 7)
        instance = self.lesson.instance()
        self.hints = hints(instance, self.problem, "ko")
        self.verdicts = {answer: grade(instance, self.problem, answer, "ko") for answer in (self.right, self.wrong)}
        assert self.verdicts[self.right].correct and not self.verdicts[self.wrong].correct

    def listed(self, screen: str) -> bool:
        from tutor.lessons import text

        return text(self.lesson.title, "ko") in screen

    def feedback(self, answer: str) -> str:
        """The start of the feedback line the app shows for ``answer``."""
        verdict = self.verdicts[answer]
        return ("✓ " if verdict.correct else "✗ ") + verdict.message[:8]


STEP = re.compile(r"(\d+)/\d+ 단계")
BOX = "▊ "  # the answer box's left edge, before what is typed in it (tutor/app/tutor.tcss)


async def open_first_blank(learner: SocketLearner, lesson6: Lesson6) -> None:
    """From the lesson list, into lesson 6 and its first step with a blank (wherever the lesson opens)."""
    await learner.until(lesson6.listed, "the lesson list")
    await learner.send("home", *["down"] * lesson6.number, "enter")
    while True:
        shown = int((await learner.until(STEP.search, "the step number")).group(1))
        if shown == lesson6.step + 1:
            return
        await learner.send("pagedown" if shown < lesson6.step + 1 else "pageup")
        await learner.until(lambda screen: f"{shown}/" not in (STEP.search(screen) or [""])[0], "another step")


async def answer(learner: SocketLearner, lesson6: Lesson6, text: str, replacing: str | None = None) -> None:
    """Type ``text`` into the focused answer box, as a person does: after emptying it of ``replacing``
    (and seeing it empty: Textual runs ctrl+u's action after keys already queued behind it, so text
    typed in the same burst would be erased), then Enter, then the feedback."""
    if replacing is not None:
        await learner.send("ctrl+u")
        await learner.until(lambda screen: f"{BOX}{replacing}" not in screen, "the emptied answer box")
    await learner.send(text)
    await learner.until(lambda screen: f"{BOX}{text}" in screen, f"{text} in the answer box")
    await learner.send("enter")
    await learner.until(lambda screen: lesson6.feedback(text) in screen, f"the feedback on {text}")
