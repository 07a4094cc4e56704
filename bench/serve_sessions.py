"""`serve_sessions`: a class of N learners in `tutor serve`, each typing a key every 2 s (issue 19).

Targets: 100 learners typing with key-echo p95 < 100 ms on 2 cores; a login ≤ 0.3 CPU-s to the first
screen (the lesson list); opening a lesson step ≤ 0.15 CPU-s.

How: a class of N learners is made in a temporary folder and `tutor serve` started on a free loopback
port. Each learner joins (POST /join), opens the app's websocket, waits for the lesson list (the screen
read through pyte), opens lesson 6 and goes to its first step with a blank, then types ``1`` and
backspace in turn into the answer box, one key every 2 s, all N at once, their keys spread over the
2 s. A key's echo is the time from sending it to the app's next frame (served, the answer box's cursor
does not blink, so nothing else draws); a key with no frame within 10 s is unanswered. CPU seconds come
from /proc: the app processes (the server's children) and the server; RSS and PSS per session too.

The peer is the same app run directly: the same command started by textual-serve's ``AppService``
with no web server and no websocket, one learner alone, going through the same login, lesson and
typing. ``python -m bench.serve_sessions N SECONDS`` runs the class alone and prints what it measured.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

from .harness import Result, figure, skipped

KEY_EVERY = 2.0  # seconds between one learner's keys
UNANSWERED = 10.0  # seconds after which a key counts as unanswered
SIZE = (100, 30)
LESSON = "apple-backward"  # lesson 6
KEYS = {"home": "\x1b[H", "down": "\x1b[B", "enter": "\r", "pagedown": "\x1b[6~", "pageup": "\x1b[5~"}
STEP = re.compile(r"(\d+)/\d+ 단계")
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def memory_mb(pid: int) -> tuple[float, float]:
    """(RSS, PSS) in MB: PSS shares each shared page among the processes that map it."""
    try:
        rollup = Path(f"/proc/{pid}/smaps_rollup").read_text()
    except OSError:
        return 0.0, 0.0
    kb = {line.split(":")[0]: int(line.split()[1]) for line in rollup.splitlines()[1:] if line.split()[1].isdigit()}
    return kb["Rss"] / 1024, kb["Pss"] / 1024


def children(pid: int) -> list[int]:
    try:
        return [int(child) for task in Path(f"/proc/{pid}/task").iterdir()
                for child in (task / "children").read_text().split()]
    except OSError:
        return []


def is_zygote(pid: int) -> bool:
    try:
        return b"tutor.serve.zygote" in Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False


def sessions(server: int) -> list[int]:
    """Every process the server runs for its sessions: the launchers and the apps the zygote forked
    for them (or the apps themselves, started cold); not the zygote, a cost paid once."""
    found = []
    for child in children(server):
        if is_zygote(child):
            found += children(child)
        else:
            found += [child, *children(child)]
    return found


def zygote_of(server: int) -> list[int]:
    return [child for child in children(server) if is_zygote(child)]


class Course:
    """What a learner looks for on the screen, from the bundled course itself."""

    def __init__(self):
        from tutor.authoring.pack import lessons_dir, load_pack
        from tutor.lessons import text

        lessons = load_pack(lessons_dir(None)).lessons
        self.number = next(i for i, lesson in enumerate(lessons) if lesson.id == LESSON)
        self.lesson = lessons[self.number]
        self.title = text(self.lesson.title, "ko")
        self.blank_step = next(i for i, step in enumerate(self.lesson.steps) if step.blanks) + 1


class Learner:
    """One learner's app, served (a websocket) or direct (an ``AppService`` on pipes); its frames are
    timed, and read through pyte while ``watching``."""

    def __init__(self):
        import pyte

        self.screen = pyte.Screen(*SIZE)
        self.stream = pyte.ByteStream(self.screen)
        self.watching = True
        self.frame = asyncio.Event()
        self.pid: int | None = None

    async def got(self, data: bytes) -> None:
        if self.watching:
            self.stream.feed(data)
        self.frame.set()

    @property
    def text(self) -> str:
        return "\n".join(self.screen.display)

    async def until(self, condition, seconds: float = 300.0):
        deadline = time.monotonic() + seconds
        while not (found := condition(self.text)):
            if time.monotonic() > deadline:
                raise RuntimeError(f"a learner's screen never got there:\n{self.text}")
            self.frame.clear()
            try:
                await asyncio.wait_for(self.frame.wait(), 1.0)
            except asyncio.TimeoutError:
                pass
        return found

    async def keys(self, *names: str) -> None:
        for name in names:
            await self.send(KEYS.get(name, name))

    async def open_lesson(self, course: Course) -> int:
        """From the list into lesson 6 and on to its first step with a blank; the steps opened."""
        await self.keys("home", *["down"] * course.number, "enter")
        opened = 1
        while True:
            shown = int((await self.until(lambda text: STEP.search(text) if course.title in text else None)).group(1))
            if shown == course.blank_step:
                return opened
            await self.keys("pagedown")
            opened += 1
            await self.until(lambda text: (m := STEP.search(text)) and int(m.group(1)) != shown)

    async def type_keys(self, until: float, offset: float) -> tuple[list[float], int]:
        """A key every KEY_EVERY seconds until ``until``: echo times, and the keys never answered."""
        self.watching = False
        echoes, unanswered, typed = [], 0, 0
        await asyncio.sleep(offset)
        while time.monotonic() < until:
            sent = time.monotonic()
            self.frame.clear()
            await self.send("1" if typed % 2 == 0 else "\x7f")
            typed += 1
            try:
                await asyncio.wait_for(self.frame.wait(), UNANSWERED)
                echoes.append(time.monotonic() - sent)
            except asyncio.TimeoutError:
                unanswered += 1
            await asyncio.sleep(max(0.0, sent + KEY_EVERY - time.monotonic()))
        return echoes, unanswered


class Served(Learner):
    def __init__(self, url: str, token: str):
        super().__init__()
        self.url, self.token = url, token

    async def start(self) -> None:
        import aiohttp

        self.http = aiohttp.ClientSession(cookie_jar=aiohttp.CookieJar(unsafe=True))  # unsafe: an IP host
        async with self.http.post(self.url + "/join", data={"token": self.token}) as response:
            if response.status != 200:
                raise RuntimeError(f"join refused: {response.status}")
        self.websocket = await self.http.ws_connect(f"{self.url}/ws/ko?width={SIZE[0]}&height={SIZE[1]}",
                                                    max_msg_size=0)
        self.reader = asyncio.create_task(self.read())

    async def read(self) -> None:
        import aiohttp

        async for message in self.websocket:
            if message.type == aiohttp.WSMsgType.BINARY:
                await self.got(message.data)

    async def send(self, text: str) -> None:
        await self.websocket.send_str(json.dumps(["stdin", text]))

    async def stop(self) -> None:
        await self.websocket.close()
        await self.http.close()


class Direct(Learner):
    def __init__(self, environment: dict[str, str]):
        super().__init__()
        self.environment = environment

    async def start(self) -> None:
        from textual_serve.download_manager import DownloadManager

        from tutor.serve.server import COLD_COMMAND, LearnerApp

        async def ignore(*args) -> None:
            return None

        pipes = SimpleNamespace(send_bytes=self.got, send_str=ignore, close=ignore)  # no websocket: the frames
        self.service = LearnerApp(COLD_COMMAND, "bench", self.environment, pipes, DownloadManager())
        await self.service.start(*SIZE)
        self.pid = self.service._process.pid

    async def send(self, text: str) -> None:
        await self.service.send_bytes(text.encode())

    async def stop(self) -> None:
        await self.service.stop()


async def _class(learners: list[Learner], course: Course, typing: float, pids) -> dict:
    """Log every learner in, open the lesson, type; CPU of ``pids()`` around each phase."""
    def cpu() -> float:
        return sum(cpu_seconds(pid) for pid in pids())

    began = time.monotonic()
    await asyncio.gather(*(learner.start() for learner in learners))
    await asyncio.gather(*(learner.until(lambda text: course.title in text) for learner in learners))
    logins_took = time.monotonic() - began
    logged_in = cpu()
    opened = await asyncio.gather(*(learner.open_lesson(course) for learner in learners))
    in_lesson = cpu()
    memory = [memory_mb(pid) for pid in pids()]  # the launchers' too: their share of a session
    until = time.monotonic() + typing
    typed = await asyncio.gather(*(learner.type_keys(until, KEY_EVERY * i / len(learners))
                                   for i, learner in enumerate(learners)))
    typing_cpu = cpu() - in_lesson
    await asyncio.gather(*(learner.stop() for learner in learners), return_exceptions=True)
    echoes = sorted(e * 1000 for each, _ in typed for e in each)
    return {"login_cpu": logged_in / len(learners), "logins_took": logins_took,
            "step_cpu": (in_lesson - logged_in) / sum(opened),
            "echoes": echoes, "unanswered": sum(u for _, u in typed),
            "key_cpu": typing_cpu / max(1, len(echoes) + sum(u for _, u in typed)),
            "rss": sum(m[0] for m in memory) / len(learners), "pss": sum(m[1] for m in memory) / len(learners)}


def percentile(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, int(p / 100 * len(values)))] if values else float("nan")


def served_class(count: int, typing: float) -> dict:
    from tutor.serve.classroom import Classroom

    with tempfile.TemporaryDirectory() as folder:
        with Classroom.open(Path(folder) / "class", create=True) as classroom:
            tokens = classroom.roster.add([f"learner{i:03d}" for i in range(count)])
        server = subprocess.Popen([sys.executable, "-m", "tutor", "serve", "--class", str(Path(folder) / "class"),
                                   "--port", "0", "--max-sessions", str(count), "--lang", "en"],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        try:
            url = re.search(rb"http://127\.0\.0\.1:\d+", server.stdout.readline()).group(0).decode()
            started = cpu_seconds(server.pid)
            measured = asyncio.run(_class([Served(url, token) for token in tokens.values()], Course(), typing,
                                          lambda: sessions(server.pid)))
            measured["server_cpu"] = cpu_seconds(server.pid) - started
            measured["server_rss"] = memory_mb(server.pid)[0]
            measured["zygote_cpu"] = sum(cpu_seconds(pid) for pid in zygote_of(server.pid))
            measured["zygote_rss"] = sum(memory_mb(pid)[0] for pid in zygote_of(server.pid))
        finally:
            server.terminate()
            server.wait(60)
    return measured


def direct_app(typing: float) -> dict:
    with tempfile.TemporaryDirectory() as folder:
        learner = Direct({"TUTOR_DB": str(Path(folder) / "progress.sqlite3"), "TUTOR_DATA_DIR": folder,
                          "TUTOR_LANG": "ko"})
        return asyncio.run(_class([learner], Course(), typing, lambda: [learner.pid]))


@figure
def serve_sessions(quick: bool) -> list[Result]:
    try:
        import aiohttp  # noqa: F401
        import pyte  # noqa: F401
        import textual_serve  # noqa: F401
    except ImportError as missing:
        return skipped("serve_sessions", "ms", f"{missing.name} is not installed: pip install -e '.[test]'", "< 100")
    count, typing = (4, 4.0) if quick else (100, 60.0)
    direct = direct_app(typing)
    served = served_class(count, typing)
    echoes, alone = served["echoes"], direct["echoes"]
    keys = len(echoes) + served["unanswered"]
    how = f"{count} learners, a key every {KEY_EVERY:g} s each for {typing:g} s ({keys} keys)"
    return [
        Result("serve_sessions", percentile(echoes, 95), f"ms key-echo p95, {count} learners typing; peer: one "
               "learner, app run directly", percentile(alone, 95), None, "< 100",
               f"{how}; p50 {percentile(echoes, 50):.0f} ms, p99 {percentile(echoes, 99):.0f} ms, max "
               f"{echoes[-1] if echoes else float('nan'):.0f} ms; server {served['server_cpu']:.1f} CPU-s in all"),
        Result("serve_unanswered", served["unanswered"], f"keys with no frame within {UNANSWERED:g} s",
               direct["unanswered"], None, "< 1", how),
        Result("serve_login_cpu", served["login_cpu"], "CPU-s per login, app to its lesson list; peer: direct",
               direct["login_cpu"], None, "≤ 0.3", f"app processes (and launchers); {count} logins at once, the "
               f"last list after {served['logins_took']:.0f} s; the zygote's {served['zygote_cpu']:.2f} CPU-s once"),
        Result("serve_key_cpu", served["key_cpu"] * 1000, "ms CPU per key typed (app and launcher); peer: direct",
               direct["key_cpu"] * 1000, None, "", f"while {count} learners type; the server's own CPU is in "
               "serve_sessions' note"),
        Result("serve_step_cpu", served["step_cpu"], "CPU-s per lesson step opened; peer: direct",
               direct["step_cpu"], None, "≤ 0.15", "lesson 6 opened from the list, then pgdn to its first "
               "step with a blank; the CPU of those openings over their number"),
        Result("serve_rss", served["rss"], "MB RSS per session (its app and launcher); peer: direct", direct["rss"], None,
               "", f"PSS {served['pss']:.1f} MB per session (shared pages split among {count}); server RSS "
               f"{served['server_rss']:.0f} MB, the zygote's {served['zygote_rss']:.0f} MB"),
    ]


if __name__ == "__main__":
    learners, seconds = int(sys.argv[1]), float(sys.argv[2])
    result = served_class(learners, seconds)
    echoes = result.pop("echoes")
    print(json.dumps(result | {"keys": len(echoes), **{f"p{p}": round(percentile(echoes, p), 1)
                                                      for p in (50, 90, 95, 99, 100)}}, indent=1))
