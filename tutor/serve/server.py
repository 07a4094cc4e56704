"""The class's web server (aiohttp): join links, session cookies, and one `tutor start` process per
browser tab, driven through textual-serve's ``AppService`` (its process protocol and its xterm.js page
bundle are reused; its ``Server`` is not: that one starts a process for anyone who opens the page).

    GET  /join        the join page: its script posts the token from the link's fragment
    POST /join        a right token sets the session cookie (HttpOnly, SameSite=Strict) and sends the
                      browser to /; a wrong one gets 403, and failures from one address are slowed down
    GET  /            with a live session: the terminal page; without: 403 (no process)
    GET  /ws[/LANG]   with a live session and a free place: the learner's app process (in LANG, which
                      the page takes from the browser's Accept-Language); else 403/503
    GET  /static/...  this package's page files and textual-serve's (xterm.js, Roboto Mono)

Limits: ``max_sessions`` processes at once (a friendly 503 page beyond), ``max_tabs`` per learner,
``starting`` processes starting at once (the rest wait their turn, so sessions already running keep
their echo), and a session with no input for ``idle_seconds`` is asked to quit (each answer is saved
when it is given; the app saves the rest as it exits).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import shlex
import shutil
import signal
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import textual_serve
from aiohttp import WSMsgType, web
from textual_serve.app_service import AppService
from textual_serve.download_manager import DownloadManager

from .classroom import Classroom
from .messages import say
from .pages import app_page, full_page, join_page, refused_page
from .roster import SESSION_DAYS, RosterUnavailable

TEXTUAL_STATIC = Path(textual_serve.__file__).parent / "static"
TUTOR_STATIC = Path(__file__).parent / "static"
# One command for every learner, run by /bin/sh: paths are quoted, and everything per-learner travels in
# the environment (LearnerApp._build_environment), never in the command. `exec`: the shell becomes the
# process. COLD starts the app from nothing; WARM asks the zygote for a forked, already-imported one.
COLD_COMMAND = f"exec {shlex.quote(sys.executable)} -m tutor start"
LAUNCHER = Path(__file__).with_name("launcher.py")
STOP_GRACE_SECONDS = 5.0  # how long an app gets to quit before its process is ended
START_TIMEOUT_SECONDS = 60.0  # a start slot is given back after this even if the app never drew
MAX_TERMINAL = 500  # columns or rows a browser may ask for (the app allocates its screen from them)


class ServeError(Exception):
    """A reason `tutor serve` cannot start, already in the instructor's language."""


@dataclass
class Limits:
    max_sessions: int = 100
    max_tabs: int = 3
    idle_seconds: float = 30 * 60
    starting: int = 2


class LearnerApp(AppService):
    """One learner's app process: their environment, the time of their last input, and a stop that
    cannot hang on an app that does not answer."""

    def __init__(self, command: str, learner: str, environment: dict[str, str], websocket: web.WebSocketResponse,
                 downloads: DownloadManager):
        super().__init__(command, write_bytes=websocket.send_bytes, write_str=websocket.send_str,
                         close=websocket.close, download_manager=downloads)
        self.learner = learner
        self.environment = environment
        self.last_input = time.monotonic()
        self.drawn = asyncio.Event()  # set at the app's first output
        self.stopping = False

    def _build_environment(self, width: int = 80, height: int = 24) -> dict[str, str]:
        return super()._build_environment(width, height) | self.environment

    async def send_bytes(self, data: bytes) -> bool:
        self.last_input = time.monotonic()
        return await super().send_bytes(data)

    async def on_data(self, payload: bytes) -> None:
        self.drawn.set()
        await super().on_data(payload)

    async def run(self) -> None:
        await super().run()
        self.drawn.set()
        await self.remote_close()  # the app ended (quit, idle, or failed to start): so does the page

    async def stop(self) -> None:
        self.stopping = True
        try:
            await asyncio.wait_for(super().stop(), STOP_GRACE_SECONDS)
        except (asyncio.TimeoutError, ConnectionError):
            process = self._process
            if process is not None and process.returncode is None:
                process.kill()
                await process.wait()


class FailureGate:
    """Wrong join tokens from one address are answered one at a time, each later than the last: the
    first ``FREE`` within ``WINDOW`` seconds at once, then 1, 2, 4… seconds, at most ``MAX_DELAY``."""

    FREE = 5
    WINDOW = 15 * 60
    MAX_DELAY = 30.0

    @dataclass
    class Record:
        times: list[float] = field(default_factory=list)
        lock: asyncio.Lock = field(default_factory=asyncio.Lock)

    def __init__(self):
        self.records: dict[str, FailureGate.Record] = {}

    def delay(self, address: str) -> float:
        record = self.records.get(address)
        count = len(record.times) if record else 0
        return 0.0 if count < self.FREE else min(2.0 ** (count - self.FREE), self.MAX_DELAY)

    @contextlib.asynccontextmanager
    async def turn(self, address: str):
        now = time.monotonic()
        for known, record in list(self.records.items()):  # forget old failures
            record.times = [t for t in record.times if now - t < self.WINDOW]
            if not record.times and not record.lock.locked() and known != address:
                del self.records[known]
        record = self.records.setdefault(address, FailureGate.Record())
        async with record.lock:
            await asyncio.sleep(self.delay(address))
            yield

    def failed(self, address: str) -> None:
        self.records.setdefault(address, FailureGate.Record()).times.append(time.monotonic())

    def succeeded(self, address: str) -> None:
        if address in self.records:
            self.records[address].times.clear()


class WarmStart:
    """The zygote (tutor/serve/zygote.py): started with the server, in the environment textual-serve gives
    its apps; while it runs, sessions start from it. When it cannot start, or ends, sessions start cold
    and it is started again, after 1 s, then 2, 4… at most a minute while it keeps failing."""

    READY_SECONDS = 120.0
    MAX_PAUSE = 60.0

    def __init__(self, lessons_dir: str | None = None):
        self.lessons_dir = lessons_dir  # the lessons the zygote reads ahead
        self.folder = Path(tempfile.mkdtemp(prefix="tutor-serve-"))  # 0700: the socket is the server user's
        self.socket = self.folder / "zygote.sock"
        self.process: asyncio.subprocess.Process | None = None
        self.keeper: asyncio.Task | None = None
        self.ready = asyncio.Event()

    @property
    def command(self) -> str:
        if self.process is not None and self.process.returncode is None:
            return f"exec {shlex.quote(sys.executable)} -S -I {shlex.quote(str(LAUNCHER))} {shlex.quote(str(self.socket))}"
        return COLD_COMMAND

    async def start(self) -> None:
        """Start the zygote and keep it running; returns once it is ready (or failed to be)."""
        self.keeper = asyncio.create_task(self.keep())
        await self.ready.wait()

    async def keep(self) -> None:
        pause = 1.0
        while True:
            process = await self.launch()
            self.ready.set()
            if process is not None:
                self.process = process
                await process.wait()
                pause = 1.0
            await asyncio.sleep(pause)
            pause = min(pause * 2, self.MAX_PAUSE)

    async def launch(self) -> asyncio.subprocess.Process | None:
        self.socket.unlink(missing_ok=True)
        probe = AppService("", write_bytes=None, write_str=None, close=None, download_manager=None)
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "tutor.serve.zygote", str(self.socket), stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, env=probe._build_environment() | {"OPENBLAS_NUM_THREADS": "1"}
            | ({"TUTOR_LESSONS": self.lessons_dir} if self.lessons_dir else {}))
        try:
            ready = await asyncio.wait_for(process.stdout.readline(), self.READY_SECONDS)
        except asyncio.TimeoutError:
            ready = b""
        if ready.strip() == b"ready":
            return process
        if process.returncode is None:
            process.kill()
        await process.wait()
        return None

    async def stop(self) -> None:
        if self.keeper is not None:
            self.keeper.cancel()
        if self.process is not None and self.process.returncode is None:
            self.process.stdin.close()  # the zygote ends; running apps go on until their sessions end
            await self.process.wait()
        shutil.rmtree(self.folder, ignore_errors=True)


def client_address(request: web.Request) -> str:
    """The learner's address: behind a proxy on this machine, the last hop it adds to X-Forwarded-For."""
    remote = request.remote or ""
    forwarded = request.headers.get("X-Forwarded-For")
    if forwarded and remote in ("127.0.0.1", "::1"):
        return forwarded.split(",")[-1].strip()
    return remote


def browser_lang(request: web.Request) -> str | None:
    """ko or en, whichever the browser lists first (Accept-Language), else None."""
    for part in request.headers.get("Accept-Language", "").split(","):
        tag = part.split(";")[0].strip().lower()
        for lang in ("ko", "en"):
            if tag == lang or tag.startswith(lang + "-"):
                return lang
    return None


def _size(value: object, default: int) -> int:
    try:
        return min(max(int(value), 1), MAX_TERMINAL)
    except (TypeError, ValueError):
        return default


class ClassServer:
    def __init__(self, classroom: Classroom, limits: Limits, public_url: str | None = None,
                 lessons_dir: str | None = None):
        self.classroom = classroom
        self.limits = limits
        self.public_url = public_url
        self.lessons_dir = lessons_dir
        self.cookie_name = f"tutor-{classroom.roster.class_id}"
        self.sessions: set[LearnerApp] = set()
        self.gate = FailureGate()
        self.starting = asyncio.Semaphore(limits.starting)
        self.downloads = DownloadManager()
        self.idle_watch: asyncio.Task | None = None
        self.warm = WarmStart(lessons_dir)
        self.roster_lock = threading.Lock()

    # ---- the web application -------------------------------------------------------------------

    def application(self) -> web.Application:
        app = web.Application(middlewares=[self.headers])
        app.add_routes([
            web.get("/", self.index),
            web.get("/join", self.join_page),
            web.post("/join", self.join),
            web.get("/ws", self.websocket),
            web.get("/ws/{lang:ko|en}", self.websocket),
            web.static("/static/tutor", TUTOR_STATIC),
            web.static("/static/textual", TEXTUAL_STATIC),
        ])
        app.on_startup.append(self.on_startup)
        app.on_shutdown.append(self.on_shutdown)
        return app

    @web.middleware
    async def headers(self, request: web.Request, handler):
        try:
            response = await handler(request)
        except web.HTTPException as response_error:
            response = response_error
        except RosterUnavailable:  # its database is away: say so, no traceback, no process
            response = _html(full_page("unavailable"), 503, {"Retry-After": "30"})
        if not response.prepared:  # a websocket has sent its headers already
            websocket = self.origin(request).replace("http", "ws", 1)
            response.headers.setdefault("Content-Security-Policy", (
                "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; font-src 'self'; "
                f"img-src 'self' data:; connect-src 'self' {websocket}; form-action 'self'; base-uri 'none'; "
                "frame-ancestors 'none'"))
            response.headers.setdefault("X-Content-Type-Options", "nosniff")
            response.headers.setdefault("Referrer-Policy", "same-origin")  # "no-referrer" would send "Origin: null"
            if request.path == "/" or request.path == "/join":
                response.headers.setdefault("Cache-Control", "no-store")
        return response

    async def on_startup(self, app: web.Application) -> None:
        self.idle_watch = asyncio.create_task(self.close_idle_sessions())
        await self.warm.start()

    async def on_shutdown(self, app: web.Application) -> None:
        if self.idle_watch:
            self.idle_watch.cancel()
        await asyncio.gather(*(service.stop() for service in list(self.sessions)), return_exceptions=True)
        await self.warm.stop()

    # ---- who is asking -----------------------------------------------------------------------------

    def origin(self, request: web.Request) -> str:
        """This server's origin as the browser sees it: the public URL's, else the request's host."""
        if self.public_url:
            parts = urlsplit(self.public_url)
            return f"{parts.scheme}://{parts.netloc}"
        return f"http://{request.host}"

    def same_origin(self, request: web.Request) -> bool:
        """A browser names the page a request comes from; another site's page may not join or connect
        (a join from elsewhere would log a learner in as someone else)."""
        origin = request.headers.get("Origin")
        if request.headers.get("Sec-Fetch-Site") == "cross-site":
            return False
        return origin is None or origin == self.origin(request)

    async def ask_roster(self, method: str, *args):
        """A roster call in a worker thread, one at a time: a write waits for the disk (and a database for
        the network), and meanwhile everyone's keys go on being relayed."""
        def call():
            with self.roster_lock:
                return getattr(self.classroom.roster, method)(*args)

        return await asyncio.to_thread(call)

    async def learner(self, request: web.Request) -> str | None:
        cookie = request.cookies.get(self.cookie_name)
        return cookie and await self.ask_roster("learner_by_session", cookie)

    def refusal(self, learner: str) -> tuple[str, int] | None:
        """("full", limit) or ("tabs", limit) when no new session may start for ``learner``."""
        if len(self.sessions) >= self.limits.max_sessions:
            return "full", self.limits.max_sessions
        if sum(service.learner == learner for service in self.sessions) >= self.limits.max_tabs:
            return "tabs", self.limits.max_tabs
        return None

    # ---- pages ------------------------------------------------------------------------------------

    async def join_page(self, request: web.Request) -> web.Response:
        return _html(join_page())

    async def join(self, request: web.Request) -> web.StreamResponse:
        if not self.same_origin(request):
            return _html(refused_page("bad_token"), 403)
        address = client_address(request)
        async with self.gate.turn(address):
            form = await request.post()
            learner = await self.ask_roster("learner_by_token", str(form.get("token", "")).strip())
            if learner is None:
                self.gate.failed(address)
                return _html(refused_page("bad_token"), 403)
            self.gate.succeeded(address)
        response = web.HTTPSeeOther("/")
        response.set_cookie(self.cookie_name, await self.ask_roster("open_session", learner), path="/",
                            max_age=SESSION_DAYS * 24 * 3600, httponly=True, samesite="Strict",
                            secure=self.origin(request).startswith("https:"))
        return response

    async def index(self, request: web.Request) -> web.Response:
        learner = await self.learner(request)
        if learner is None:
            return _html(refused_page("no_session"), 403)
        refusal = self.refusal(learner)
        if refusal:
            return _html(full_page(*refusal), 503, {"Retry-After": "30"})
        # The app's language rides in the websocket's path: browsers send no Accept-Language with a websocket.
        lang = browser_lang(request)
        return _html(app_page(self.origin(request).replace("http", "ws", 1) + "/ws" + (f"/{lang}" if lang else "")))

    # ---- the app ----------------------------------------------------------------------------------

    async def websocket(self, request: web.Request) -> web.StreamResponse:
        learner = await self.learner(request) if self.same_origin(request) else None
        if learner is None:
            return web.Response(status=403, text="no session: open your join link\n")
        refusal = self.refusal(learner)
        if refusal:
            return web.Response(status=503, text=f"{refusal[0]}: at most {refusal[1]}\n", headers={"Retry-After": "30"})
        websocket = web.WebSocketResponse(heartbeat=30, max_msg_size=64 * 1024)
        service = LearnerApp(self.warm.command, learner, self.environment(learner, request), websocket,
                             self.downloads)
        self.sessions.add(service)  # counted from here: no await between the limit check and this
        try:
            await websocket.prepare(request)
            async with self.starting:
                await service.start(_size(request.query.get("width"), 80), _size(request.query.get("height"), 24))
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(service.drawn.wait(), START_TIMEOUT_SECONDS)
            await self.relay(websocket, service)
        finally:
            self.sessions.discard(service)
            await service.stop()
        return websocket

    def environment(self, learner: str, request: web.Request) -> dict[str, str]:
        environment = self.classroom.learner_environment(learner)
        if self.lessons_dir:
            environment["TUTOR_LESSONS"] = self.lessons_dir
        if lang := request.match_info.get("lang"):
            environment["TUTOR_LANG"] = lang
        return environment

    async def relay(self, websocket: web.WebSocketResponse, service: LearnerApp) -> None:
        """The browser's messages to the app: keys, resizes, focus. Anything else is ignored."""
        async for message in websocket:
            if message.type != WSMsgType.TEXT:
                continue
            try:
                kind, *rest = json.loads(message.data)
            except (ValueError, TypeError):
                continue
            if kind == "stdin" and rest and isinstance(rest[0], str):
                await service.send_bytes(rest[0].encode("utf-8", "replace"))
            elif kind == "resize" and rest and isinstance(rest[0], dict):
                await service.set_terminal_size(_size(rest[0].get("width"), 80), _size(rest[0].get("height"), 24))
            elif kind == "ping" and rest:
                await websocket.send_json(["pong", str(rest[0])[:32]])
            elif kind == "blur":
                await service.blur()
            elif kind == "focus":
                await service.focus()

    async def close_idle_sessions(self) -> None:
        every = min(30.0, max(self.limits.idle_seconds / 4, 0.1))
        while True:
            await asyncio.sleep(every)
            now = time.monotonic()
            for service in list(self.sessions):
                if not service.stopping and now - service.last_input > self.limits.idle_seconds:
                    asyncio.create_task(service.stop())


def _html(page: str, status: int = 200, headers: dict | None = None) -> web.Response:
    return web.Response(text=page, status=status, content_type="text/html", charset="utf-8", headers=headers)


def check_public_url(url: str | None, lang: str) -> str | None:
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/") or parts.query:
        raise ServeError(say("serve.bad_public_url", lang, url=url))
    return f"{parts.scheme}://{parts.netloc}"


def serve(classroom: Classroom, lang: str, host: str = "127.0.0.1", port: int = 8000, public_url: str | None = None,
          lessons_dir: str | None = None, limits: Limits | None = None) -> None:
    """Run until SIGINT or SIGTERM; then every app is asked to quit (their progress is saved)."""
    limits = limits or Limits()
    public_url = check_public_url(public_url, lang)
    if public_url:
        classroom.roster.set_setting("url", public_url)
    asyncio.run(_serve(ClassServer(classroom, limits, public_url, lessons_dir), classroom, lang, host, port))


async def _serve(server: ClassServer, classroom: Classroom, lang: str, host: str, port: int) -> None:
    runner = web.AppRunner(server.application(), access_log=None, handle_signals=False)
    await runner.setup()
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as error:
        await runner.cleanup()
        raise ServeError(say("serve.port_taken", lang, host=host, port=port, error=error.strerror or error)) from None
    bound = runner.addresses[0]
    url = server.public_url or f"http://{bound[0] if ':' not in bound[0] else f'[{bound[0]}]'}:{bound[1]}"
    count = len(classroom.roster.learners())
    print(say("serve.started", lang, store=classroom.store_shown, folder=classroom.folder, count=count, url=url),
          flush=True)
    limits = server.limits
    print(say("serve.limits", lang, sessions=limits.max_sessions, tabs=limits.max_tabs,
              idle=f"{limits.idle_seconds / 60:g}"), flush=True)
    if host not in ("127.0.0.1", "::1", "localhost") and not url.startswith("https:"):
        print(say("serve.open", lang, host=host), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signal_number in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signal_number, stop.set)
    try:
        await stop.wait()
    finally:
        await runner.cleanup()  # on_shutdown asks every app to quit

