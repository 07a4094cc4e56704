"""`tutor serve` in a real browser: the system Chromium, headless, driven by Playwright.

Learner A joins by link, opens lesson 6 and answers a blank wrongly, then rightly; the screen shows the
feedback and A's store has both attempts. Learner B, in a second browser context, sees B's own empty
progress. A stranger without a cookie, or with a wrong token, gets 403 and starts no process. Every
request the pages make is routed through the test: none may go to a host but the server.

xterm.js draws on a canvas, so the screen is read from the websocket's frames through pyte.

CI (`CI` set) installs Chromium and this test must run there: it fails instead of skipping.
"""

from __future__ import annotations

import os
import re
import shutil
import time
from urllib.parse import parse_qs, urlsplit

import pytest

from serving import BOX, LESSON, STEP, Lesson6, Terminal, need_class_extra, running_server

INSTALL = "apt-get install -y chromium fonts-noto-cjk (as root), and pip install '.[test]'"


def unavailable(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the browser test ({INSTALL})")
    pytest.skip(f"{reason}; to run it: {INSTALL}")


def chromium() -> str:
    # Debian's /usr/bin/chromium is a shell script; the browser itself is beside it in the package.
    for path in ("/usr/lib/chromium/chromium", shutil.which("chromium"), shutil.which("chromium-browser")):
        if path and os.access(path, os.X_OK):
            return path
    unavailable("no Chromium on this machine")


@pytest.fixture(scope="module")
def browser():
    need_class_extra()
    try:
        from playwright.sync_api import sync_playwright
        import pyte  # noqa: F401  (the screen reader)
    except ImportError as error:
        unavailable(f"{error.name} is not installed")
    executable = chromium()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=[
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",  # no name resolves but loopback
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield browser
        browser.close()


class Learner:
    """One browser context (its own cookies) with one page, the app's screen read from its websocket."""

    def __init__(self, browser, server, requests: list[str]):
        self.server, self.requests = server, requests
        self.context = browser.new_context(locale="ko-KR", viewport={"width": 1280, "height": 800})
        self.context.route("**/*", self.route)
        self.page = self.context.new_page()
        self.terminal = Terminal()
        self.page.on("websocket", self.on_websocket)
        self.errors: list[str] = []  # a resource that failed, a script error, a Content-Security-Policy refusal
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def route(self, route):
        self.requests.append(route.request.url)
        if urlsplit(route.request.url).netloc == self.server.netloc:
            route.continue_()
        else:
            route.abort()

    def on_websocket(self, websocket):
        self.requests.append(websocket.url)
        query = parse_qs(urlsplit(websocket.url).query)
        self.terminal.resize(int(query["width"][0]), int(query["height"][0]))
        websocket.on("framereceived", lambda payload: isinstance(payload, bytes) and self.terminal.feed(payload))
        websocket.on("framesent", self.on_sent)

    def on_sent(self, payload):
        if isinstance(payload, str) and payload.startswith('["resize"'):
            size = re.search(r'"width":(\d+),"height":(\d+)', payload)
            self.terminal.resize(int(size.group(1)), int(size.group(2)))

    def wait_for(self, condition, what: str, seconds: float = 60.0):
        deadline = time.monotonic() + seconds  # a hang guard, not a timing assertion
        while not (found := condition(self.terminal.text)):
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {what}; the screen:\n{self.terminal.text}")
            self.page.wait_for_timeout(50)
        return found

    def press(self, *keys: str) -> None:
        for key in keys:
            self.page.keyboard.press(key)

    def type(self, text: str) -> None:
        self.page.keyboard.type(text)


def test_two_learners_in_a_browser(browser, tmp_path):
    from tutor.app.i18n import t
    from tutor.progress import Store
    from tutor.serve.classroom import Classroom
    from tutor.serve.pages import WORDS

    lesson6 = Lesson6()
    lesson, problem, right, wrong = lesson6.lesson, lesson6.problem, lesson6.right, lesson6.wrong
    with Classroom.open(tmp_path / "class", create=True) as classroom:
        tokens = classroom.roster.add(["alice", "bob"])
        alice_db = classroom.learner_environment("alice")["TUTOR_DB"]
        bob_db = classroom.learner_environment("bob")["TUTOR_DB"]

    requests: list[str] = []
    with running_server(tmp_path / "class") as server:
        a = Learner(browser, server, requests)
        a.page.goto(server.url + "/join#" + tokens["alice"])
        a.wait_for(lesson6.listed, "the lesson list")

        # lesson 6, then its first step with a blank (wherever the lesson opens)
        a.page.focus(".xterm-helper-textarea")  # a click on the canvas would also click a row
        a.press("Home", *["ArrowDown"] * lesson6.number, "Enter")
        while True:
            shown = int(a.wait_for(STEP.search, "the step number").group(1))
            if shown == lesson6.step + 1:
                break
            a.press("PageDown" if shown < lesson6.step + 1 else "PageUp")
            a.wait_for(lambda screen: f"{shown}/{len(lesson.steps)} 단계" not in screen, "the next step")
        footer = a.terminal.text.splitlines()[-1]  # the key bar shows the hint's key a browser passes on
        assert "^g " + t("key.hint", "ko") in footer and "^t" not in footer

        a.type(wrong)
        a.press("Enter")
        a.wait_for(lambda screen: lesson6.feedback(wrong) in screen, "the wrong answer's feedback")
        a.press("Control+g")  # the hint, by the key the footer shows
        a.wait_for(lambda screen: t("lesson.hint", "ko", n=1, total=len(lesson6.hints)) + lesson6.hints[0][:6]
                   in screen, "the first hint")
        a.press("Control+u")  # empty the box, and see it empty: Textual runs ctrl+u's action after the
        a.wait_for(lambda screen: f"{BOX}{wrong}" not in screen, "the emptied box")  # keys queued behind it
        a.type(right)
        a.press("Enter")
        a.wait_for(lambda screen: lesson6.feedback(right) in screen, "the right answer's feedback")

        assert a.errors == []

        with Store.open(alice_db, learner="alice") as store:  # the rows are alice's (TUTOR_LEARNER)
            attempts = [(x.answer, x.correct, x.hints_used) for x in store.attempts(lesson=LESSON)
                        if x.problem == problem]
        assert attempts == [(wrong, False, 0), (right, True, 1)]  # the hint was asked for between them

        # learner B, in a context of their own: their own, empty, progress
        b = Learner(browser, server, requests)
        b.page.goto(server.url + "/join#" + tokens["bob"])
        b.wait_for(lambda screen: t("home.overall", "ko", solved=0, total=lesson6.total, percent=0) in screen,
                   "B's own empty progress")
        with Store.open(bob_db, learner="bob") as store:
            assert store.attempts() == []
        server.wait_for_sessions(2)

        # strangers: no cookie, or a wrong token: 403, and no process is started
        before = sorted(server.app_processes())
        stranger = browser.new_context()
        assert stranger.request.get(server.url + "/").status == 403
        assert stranger.request.get(server.url + "/ws", headers={
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="}).status == 403
        assert stranger.request.post(server.url + "/join", form={"token": "A" * 40}).status == 403
        c = Learner(browser, server, requests)  # the join page with a wrong token in the link
        with c.page.expect_response(lambda r: r.request.method == "POST") as answer:
            c.page.goto(server.url + "/join#" + "B" * 40)
        assert answer.value.status == 403
        c.page.get_by_text(WORDS["bad_token.heading"][0]).wait_for()
        assert c.context.cookies() == []
        assert sorted(server.app_processes()) == before
        stranger.close()

    assert requests and {urlsplit(url).netloc for url in requests} == {server.netloc}
