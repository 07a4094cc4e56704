"""`tutor serve` without a browser: the real server in a child process on a free loopback port, learners
played by websocket clients (tests/serving.py). Logins, refusals, the session limits, idle sessions."""

import asyncio
import urllib.request
from pathlib import Path

import pytest

from serving import Lesson6, SocketLearner, answer, need_class_extra, open_first_blank, running_server

need_class_extra()
pytest.importorskip("pyte", reason="pip install '.[test]'")


@pytest.fixture
def classroom(tmp_path):
    from tutor.serve.classroom import Classroom

    with Classroom.open(tmp_path / "class", create=True) as classroom:
        classroom.tokens = classroom.roster.add(["alice", "bob"])
        yield classroom


@pytest.fixture(scope="module")
def lesson6():
    return Lesson6()


def run(coroutine):
    return asyncio.run(coroutine)


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Shows a join's own answer (303 and its cookie) instead of following it."""

    def redirect_request(self, *args):
        return None


def test_without_a_session_everything_is_403_and_no_process_starts(classroom):
    from tutor.serve.pages import WORDS

    async def strangers(server):
        async with SocketLearner(server, None) as nobody:
            status, page = await nobody.page()
            assert status == 403 and WORDS["no_session.heading"][0] in page
            assert await nobody.connect() == 403
            async with nobody.session.post(server.url + "/join", data={"token": "A" * 40}) as response:
                assert response.status == 403 and WORDS["bad_token.heading"][1] in await response.text()
            token = classroom.tokens["alice"]  # a real token's row with another secret: still refused
            async with nobody.session.post(server.url + "/join", data={"token": token[:12] + "B" * 28}) as response:
                assert response.status == 403
            nobody.session.cookie_jar.update_cookies({f"tutor-{classroom.roster.class_id}": token})
            assert await nobody.connect() == 403  # a join token is not a session
        assert server.app_processes() == []

    with running_server(classroom.folder) as server:
        run(strangers(server))


def test_join_sets_a_strict_http_only_cookie_and_only_the_app_starts_a_process(classroom):
    with running_server(classroom.folder) as server:
        request = urllib.request.Request(server.url + "/join", data=f"token={classroom.tokens['alice']}".encode())
        try:
            urllib.request.build_opener(NoRedirect).open(request)
            raise AssertionError("no redirect")
        except urllib.error.HTTPError as response:
            assert response.code == 303 and response.headers["Location"] == "/"
            cookie = response.headers["Set-Cookie"]
        attributes = {part.strip().split("=")[0].lower() for part in cookie.split(";")}
        assert {"httponly", "path"} <= attributes and "samesite=strict" in cookie.lower()
        assert classroom.tokens["alice"] not in cookie
        assert server.app_processes() == []  # joining starts nothing; the app's websocket does

        async def alice():
            async with SocketLearner(server, classroom.tokens["alice"]) as learner:
                assert await learner.connect() == 101
                server.wait_for_sessions(1)

        run(alice())


def test_the_session_limit_refuses_with_a_friendly_page_and_no_process(classroom, lesson6):
    from tutor.serve.pages import WORDS

    async def two_learners(server):
        async with SocketLearner(server, classroom.tokens["alice"]) as alice, \
                SocketLearner(server, classroom.tokens["bob"]) as bob:
            assert await alice.connect() == 101
            await alice.until(lesson6.listed, "alice's lesson list")
            status, page = await bob.page()
            assert status == 503 and WORDS["full.heading"][0] in page and "1" in page
            assert await bob.connect() == 503
            assert len(server.sessions()) == 1
            await alice.websocket.close()
            server.wait_for_sessions(0)
            assert await bob.connect() == 101
            await bob.until(lesson6.listed, "bob's lesson list")

    with running_server(classroom.folder, "--max-sessions", "1") as server:
        run(two_learners(server))


def test_a_second_tab_shares_the_learners_progress_and_a_third_is_refused(classroom, lesson6):
    from tutor.app.i18n import t
    from tutor.serve.pages import WORDS

    async def three_tabs(server):
        token = classroom.tokens["alice"]
        async with SocketLearner(server, token) as first, SocketLearner(server, token) as second, \
                SocketLearner(server, token) as third:
            assert await first.connect() == 101
            await open_first_blank(first, lesson6)
            await answer(first, lesson6, lesson6.right)
            assert await second.connect() == 101
            await second.until(lambda screen: lesson6.listed(screen) or "단계" in screen, "the second tab")
            await second.send("escape")  # back to the list, if it resumed into the lesson
            overall = t("home.overall", "ko", solved=1, total=lesson6.total, percent=round(100 / lesson6.total))
            await second.until(lambda screen: overall in screen, "the first tab's answer in the second tab")
            status, page = await third.page()
            assert status == 503 and WORDS["tabs.heading"][0] in page
            assert await third.connect() == 503
            assert len(server.sessions()) == 2

    with running_server(classroom.folder, "--max-tabs", "2") as server:
        run(three_tabs(server))


def test_an_idle_session_is_closed_and_its_progress_kept(classroom, lesson6):
    from tutor.progress import Store

    async def idle(server):
        async with SocketLearner(server, classroom.tokens["bob"]) as bob:
            assert await bob.connect() == 101
            await open_first_blank(bob, lesson6)
            await answer(bob, lesson6, lesson6.wrong)
            await bob.wait_closed()  # nothing typed for the idle time: the server closes the session
        server.wait_for_sessions(0)

    with running_server(classroom.folder, "--idle-minutes", "0.1") as server:
        run(idle(server))
    with Store.open(classroom.learner_environment("bob")["TUTOR_DB"], learner="bob") as store:
        assert [(a.problem, a.answer) for a in store.attempts()] == [(lesson6.problem, lesson6.wrong)]
        assert store.last_position("course")[0] == lesson6.lesson.id


def test_apps_start_warm_from_the_zygote_and_cold_when_it_is_gone(classroom, lesson6):
    import os
    import signal
    import time

    from serving import _alive, _children, _is_zygote

    async def learner(server, name):
        async with SocketLearner(server, classroom.tokens[name]) as someone:
            assert await someone.connect() == 101
            await someone.until(lesson6.listed, f"{name}'s lesson list")
            return server.sessions(), server.forked()

    with running_server(classroom.folder) as server:
        zygote = next(pid for pid in _children(server.process.pid) if _is_zygote(pid))
        sessions, forked = run(learner(server, "alice"))
        assert len(sessions) == 1 and len(forked) == 1  # alice's app is the zygote's child
        os.kill(zygote, signal.SIGKILL)
        sessions, forked = run(learner(server, "bob"))  # started cold, while a new zygote starts
        assert len(sessions) == 1 and forked == []
        deadline = time.monotonic() + 60  # a hang guard: the server starts a new zygote a second after
        while not [pid for pid in _children(server.process.pid) if _is_zygote(pid) and pid != zygote]:
            assert time.monotonic() < deadline, "no new zygote"
            time.sleep(0.1)

        async def launcher_ends():  # the session's process ends: so does the app forked for it
            while True:  # until the new zygote is ready (sessions start cold before)
                alice = await SocketLearner(server, classroom.tokens["alice"]).__aenter__()
                assert await alice.connect() == 101
                await alice.until(lesson6.listed, "alice's lesson list")
                if server.forked():
                    break
                await alice.__aexit__(None, None, None)
                assert time.monotonic() < deadline, "the new zygote never forked an app"
                server.wait_for_sessions(0)
            try:
                (launcher,), (app,) = server.sessions(), server.forked()
                os.kill(launcher, signal.SIGKILL)
                await alice.wait_closed()
                deadline_gone = time.monotonic() + 10  # its pipes close a moment before it is gone
                while _alive(app) and time.monotonic() < deadline_gone:
                    await asyncio.sleep(0.05)
                assert not _alive(app)
            finally:
                await alice.__aexit__(None, None, None)

        server.wait_for_sessions(0)
        run(launcher_ends())


def test_a_launcher_that_cannot_reach_the_zygote_becomes_the_app_itself(tmp_path):
    import os
    import subprocess
    import sys

    from tutor.environment import WEB_DRIVER
    from tutor.serve.server import LAUNCHER

    environment = os.environ | {"TEXTUAL_DRIVER": WEB_DRIVER, "TUTOR_DB": str(tmp_path / "p.sqlite3"),
                                "TUTOR_DATA_DIR": str(tmp_path)}
    app = subprocess.Popen([sys.executable, "-S", "-I", str(LAUNCHER), str(tmp_path / "no-zygote.sock")],
                           stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    try:
        assert app.stdout.readline() == b"__GANGLION__\n"  # the web driver's first words: the app runs
    finally:
        quit = b'{"type": "quit"}'  # what textual-serve sends an app to end it
        app.stdin.write(b"M" + len(quit).to_bytes(4, "big") + quit)
        app.stdin.close()
        assert app.wait(30) == 0


def test_the_zygote_outlives_ctrl_c_quietly_and_ends_with_the_servers_pipe(tmp_path):
    """Ctrl+C at `tutor serve`'s terminal reaches the zygote too: it printed a KeyboardInterrupt traceback."""
    import os
    import signal
    import subprocess
    import sys

    from tutor.environment import WEB_DRIVER

    environment = os.environ | {"TEXTUAL_DRIVER": WEB_DRIVER, "TUTOR_DATA_DIR": str(tmp_path)}
    zygote = subprocess.Popen([sys.executable, "-m", "tutor.serve.zygote", str(tmp_path / "z.sock")],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=environment)
    try:
        assert zygote.stdout.readline() == b"ready\n"
        zygote.send_signal(signal.SIGINT)
        with pytest.raises(subprocess.TimeoutExpired):
            zygote.wait(0.5)  # still serving
    finally:
        zygote.stdin.close()  # the server has ended
        assert zygote.wait(30) == 0
    assert b"Traceback" not in zygote.stderr.read()


def test_the_zygote_has_imported_every_package_a_started_app_uses():
    """A package the app imports only once it runs (as charts brought plotext) would be paid again by
    every login; the zygote must have it already. Textual's and Rich's own lazy parts, and the standard
    library's, are not counted: they are small, and a headless test app loads other drivers than a served one."""
    import subprocess
    import sys

    from tutor.environment import WEB_DRIVER

    probe = """
import asyncio, os, sys
from tutor.serve.zygote import warm
warm()
before = set(sys.modules)
os.environ.pop("TEXTUAL_DRIVER")  # the test app runs headless
from tutor.app.main import TutorApp
async def run():
    app = TutorApp(None, store=None, lang="ko")
    async with app.run_test(size=(100, 30)) as pilot:
        while not app.lessons_loaded:
            await pilot.pause(0.05)
        await pilot.pause(0.2)
asyncio.run(run())
new = {name.split(".")[0] for name in set(sys.modules) - before}
print(sorted(new - set(sys.stdlib_module_names) - {"textual", "rich"}))
"""
    import os

    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=120,
                            env=os.environ | {"TEXTUAL_DRIVER": WEB_DRIVER})
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "[]"


def test_another_sites_page_can_neither_join_nor_connect(classroom):
    async def from_elsewhere(server):
        async with SocketLearner(server, classroom.tokens["alice"]) as alice:  # a real session, then:
            evil = {"Origin": "http://evil.example"}
            async with alice.session.post(server.url + "/join", data={"token": classroom.tokens["bob"]},
                                          headers=evil, allow_redirects=False) as response:
                assert response.status == 403 and "Set-Cookie" not in response.headers
            async with alice.session.post(server.url + "/join", data={"token": classroom.tokens["bob"]},
                                          headers={"Sec-Fetch-Site": "cross-site"}, allow_redirects=False) as response:
                assert response.status == 403
            with pytest.raises(Exception) as refused:
                await alice.session.ws_connect(server.url + "/ws", headers=evil)
            assert getattr(refused.value, "status", None) == 403
        assert server.app_processes() == []

    with running_server(classroom.folder) as server:
        run(from_elsewhere(server))


def test_hostile_websocket_messages_are_ignored_or_clamped(classroom, lesson6):
    async def hostile(server):
        async with SocketLearner(server, classroom.tokens["alice"]) as alice:
            assert await alice.connect() == 101
            await alice.until(lesson6.listed, "the lesson list")
            for message in ("not json", "[]", '["stdin"]', '["stdin", 5]', '["resize", "wide"]', "[1, 2, 3]",
                            '["resize", {"width": 1000000000, "height": 1000000000}]', '["ping", "x"]'):
                await alice.websocket.send_str(message)
            await alice.websocket.send_str('["resize", {"width": 100, "height": 30}]')
            await asyncio.sleep(0.5)
            await alice.until(lesson6.listed, "the list, still there")
            before = alice.terminal.text
            await alice.send("down")  # the app still answers keys: the cursor moves
            await alice.until(lambda screen: screen != before and lesson6.listed(screen), "the cursor moved")
            assert len(server.sessions()) == 1

    with running_server(classroom.folder) as server:
        run(hostile(server))


def test_wrong_tokens_from_one_address_are_answered_later_and_later():
    from tutor.serve.server import FailureGate

    gate = FailureGate()
    delays = []
    for _ in range(12):
        delays.append(gate.delay("10.0.0.7"))
        gate.failed("10.0.0.7")
    assert delays[:FailureGate.FREE] == [0.0] * FailureGate.FREE
    assert delays[FailureGate.FREE:] == [1.0, 2.0, 4.0, 8.0, 16.0, 30.0, 30.0]
    assert gate.delay("10.0.0.8") == 0.0  # another address is not slowed
    gate.succeeded("10.0.0.7")
    assert gate.delay("10.0.0.7") == 0.0


def test_behind_a_proxy_the_public_url_is_the_origin_links_and_websocket_and_the_cookie_is_secure(classroom):
    import socket
    import urllib.error

    from cli_runner import CliRunner

    from tutor.cli import main

    public = "https://tutor.example.org"
    for wrong in ("tutor.example.org", "https://tutor.example.org/class", "ftp://tutor.example.org"):
        refused = CliRunner().invoke(main, ["serve", "--class", str(classroom.folder), "--public-url", wrong,
                                           "--lang", "en"])
        assert refused.exit_code != 0 and "--public-url" in refused.output and wrong in refused.output
        assert refused.exception is None or isinstance(refused.exception, SystemExit)

    with socket.socket() as probe:  # the server prints the public URL, so the test picks the port
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with running_server(classroom.folder, "--public-url", public, port=port) as server:
        def join(origin: str):
            request = urllib.request.Request(server.url + "/join", headers={"Origin": origin},
                                             data=f"token={classroom.tokens['alice']}".encode())
            try:
                urllib.request.build_opener(NoRedirect).open(request)
            except urllib.error.HTTPError as response:
                return response
            raise AssertionError("neither a redirect nor a refusal")

        assert join(server.url).code == 403  # the loopback address is not where the learners' pages are
        joined = join(public)
        assert joined.code == 303 and "secure" in joined.headers["Set-Cookie"].lower()
        session = joined.headers["Set-Cookie"].split(";")[0]
        page = urllib.request.urlopen(urllib.request.Request(server.url + "/", headers={"Cookie": session}))
        assert 'data-session-websocket-url="wss://tutor.example.org/ws' in page.read().decode()

    remembered = CliRunner().invoke(main, ["class", "links", "alice", "--class", str(classroom.folder)])
    assert remembered.exit_code == 0 and f"{public}/join#" in remembered.output


def test_a_class_folder_named_like_shell_code_is_only_a_folder(tmp_path, lesson6):
    """Each app is started by /bin/sh; what is per-learner or per-class travels in the environment, so
    a folder name the shell would run stays a name."""
    from tutor.serve.classroom import Classroom

    marker = f"ran-{tmp_path.name}"
    folder = tmp_path / f"반 $(mkdir {marker}); `mkdir {marker}` '\"x"
    with Classroom.open(folder, create=True) as classroom:
        token = classroom.roster.add(["김민수"])["김민수"]
        store = classroom.learner_environment("김민수")["TUTOR_DB"]

    async def learner(server):
        async with SocketLearner(server, token) as kim:
            assert await kim.connect() == 101
            await open_first_blank(kim, lesson6)
            await answer(kim, lesson6, lesson6.right)

    try:
        with running_server(folder) as server:
            run(learner(server))
        from tutor.progress import Store

        with Store.open(store, learner="김민수") as opened:
            assert [(a.problem, a.correct) for a in opened.attempts()] == [(lesson6.problem, True)]
    finally:
        ran = [path for path in (Path.cwd() / marker, folder / marker, Path.home() / marker) if path.exists()]
        for path in ran:
            path.rmdir()
    assert ran == []
