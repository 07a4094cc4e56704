"""Nothing acknowledged is lost, and nothing is lost silently (issue 20; issue 22, item 9).

When the database cannot take a write — the PostgreSQL server stopped, the SQLite file locked by
another writer, the disk full, a file-size limit — the learner is told at once, the write waits in
the outbox (else in memory) and is saved later, in order and exactly once. What could not be kept
anywhere is counted and reported when the session ends; `tutor quiz --plain` then exits 3.
"""

import os
import queue
import re
import resource
import sqlite3
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest

from test_app import answer, go_to_blank
from test_quiz_plain import TUTOR, planned, typed
from tutor.progress import Attempt, Store
from tutor.progress.outbox import Outbox, OutboxError
from tutor.progress.store import WARNINGS


def attempt(n, lesson="apple"):
    return Attempt("course", lesson, f"p{n % 3}", n, f"answer {n}", n % 2 == 0)


def stored(db, learner=None):
    with Store.open(db, learner=learner) as store:
        return store.attempts()


@contextmanager
def server_stopped(cluster):
    cluster.stop()
    try:
        yield
    finally:
        cluster.start()


@contextmanager
def locked(db: Path, seconds: float):
    """Another process holds the SQLite file's write lock (BEGIN EXCLUSIVE) for `seconds`."""
    code = ("import sqlite3, sys, time\n"
            "conn = sqlite3.connect(sys.argv[1], isolation_level=None)\n"
            "conn.execute('BEGIN EXCLUSIVE')\nprint('locked', flush=True)\n"
            "time.sleep(float(sys.argv[2]))\nconn.execute('COMMIT')\n")
    holder = subprocess.Popen([sys.executable, "-c", code, str(db), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline() == "locked\n"
    try:
        yield holder
    finally:
        holder.wait(timeout=seconds + 30)


# ---- the store itself --------------------------------------------------------------------------


def test_writes_wait_while_the_server_is_down_and_are_saved_once_in_order(pg_cluster, pg_url):
    events = []
    with Store.open(pg_url, learner="ana") as store:
        store.listen(events.append)
        store.record_attempt(attempt(0))
        store.note_lesson("course", "apple", "h", 3)
        assert store.problem_state("course", "apple", "p0").attempts == 1
        with server_stopped(pg_cluster):
            ids = [store.record_attempt(attempt(n)) for n in range(1, 21)]
            store.record_hint("course", "apple", "p1", 2)
            store.set_review("course", "apple", "p1", 3, "2026-12-01T00:00:00.000000+00:00")
            assert ids == [None] * 20 and store.waiting and store.unsaved == 20
            assert events == ["waiting"] + ["kept"] * 19  # told at once, and at every answer kept
            assert "cannot be saved" in store.warning and "Answers not saved yet: 20." in store.warning
            assert "저장되지 않은 답: 20개" in store.warning_in("ko")
            assert store.problem_state("course", "apple", "p0").attempts == 1  # as last read, not an error
        assert store.retry() and events[-1] == "saved" and not store.waiting and store.unsaved == 0
        assert "Waiting changes saved now: 22." in store.saved_again_in("en")
        assert [a.answer for a in store.attempts()] == [f"answer {n}" for n in range(21)]
        assert store.problem_state("course", "apple", "p1").hints_used == 2
        assert store.review_state("course", "apple", "p1") == (3, "2026-12-01T00:00:00.000000+00:00")
    assert store.closing_words_in("en") is None


def test_writes_kept_when_the_session_ends_are_sent_by_the_next_one(pg_cluster, pg_url):
    with server_stopped(pg_cluster):
        with Store.open(pg_url, learner="ana") as store:
            assert store.needs_retry and "cannot be saved" in store.warning  # not reachable from the start
            for n in range(5):
                store.record_attempt(attempt(n))
        words = store.closing_words_in("en")
        assert store.unsaved == 5 and "yet: 5." in words and str(store._outbox.path) in words
        assert stored_outbox_count(store) == 5
    with Store.open(pg_url, learner="bo") as other:  # another learner's session leaves them alone
        assert other.attempts() == []
    assert stored_outbox_count(store) == 5
    assert [a.answer for a in stored(pg_url, "ana")] == [f"answer {n}" for n in range(5)]
    assert stored_outbox_count(store) == 0


def stored_outbox_count(store):
    return Outbox(store._outbox.path).count(store._key, store.learner)[0]


def test_a_write_sent_twice_is_stored_once(db, request, monkeypatch):
    """The database took a waiting write, then the outbox could not forget it (the process died, or
    its disk filled): it is sent again, and the attempt's unique id keeps it single."""
    with Store.open(db) as store:
        with gone(db, request, monkeypatch):
            store.record_attempt(attempt(1))
            store.record_attempt(attempt(2))
        forget = Outbox.remove
        monkeypatch.setattr(Outbox, "remove", lambda self, write: (_ for _ in ()).throw(OutboxError("disk full")))
        assert not store.retry()  # the first was stored; the outbox still holds it
        monkeypatch.setattr(Outbox, "remove", forget)
        assert store.retry()
        assert [a.answer for a in store.attempts()] == ["answer 1", "answer 2"]
        assert store.problem_state("course", "apple", "p1").attempts == 1


def test_a_locked_sqlite_file_is_retried_then_kept_and_saved_when_the_lock_is_gone(tmp_path):
    db = tmp_path / "progress.sqlite3"
    events = []
    with Store.open(db) as store:
        store.listen(events.append)
        with locked(db, 8):
            assert store.record_attempt(attempt(1)) is None  # tried with backoff, then kept
            store.record_attempt(attempt(2))
            assert events == ["waiting", "kept"] and store.unsaved == 2
            assert "database is locked" in store.warning
        store.record_attempt(attempt(3))  # the lock is gone: the waiting ones go first
        assert events[-1] == "saved" and not store.waiting
        assert [a.answer for a in store.attempts()] == ["answer 1", "answer 2", "answer 3"]


def test_a_full_disk_keeps_the_writes_and_saves_them_when_there_is_room(tmp_path, monkeypatch):
    from tutor.progress import sqlite as sqlite_module

    real = sqlite_module._connect

    def small_disk(target, uri=False):
        conn = real(target, uri)
        if target != ":memory:":
            conn.execute("PRAGMA max_page_count = 16")
        return conn

    db = tmp_path / "db"
    monkeypatch.setattr(sqlite_module, "_connect", small_disk)
    with Store.open(db) as store:
        for n in range(200):
            store.record_attempt(attempt(n))
        assert store.waiting and "full" in store.warning
        in_file = len(store.attempts())
        assert 0 < in_file < 200 and store.unsaved == 200 - in_file
    assert f"yet: {200 - in_file}." in store.closing_words_in("en")
    monkeypatch.setattr(sqlite_module, "_connect", real)  # room again
    with Store.open(db) as store:
        assert store.warning is None and not store.waiting
        assert [a.answer for a in store.attempts()] == [f"answer {n}" for n in range(200)]
        assert store.quick_check() == ["ok"]


def test_when_the_outbox_cannot_be_written_either_answers_wait_in_memory_and_a_loss_is_said(db, request,
                                                                                              monkeypatch):
    monkeypatch.setattr(Outbox, "put", lambda *args: (_ for _ in ()).throw(OutboxError("No space left on device")))
    with Store.open(db, learner="ana") as store:
        store.record_attempt(attempt(0))
        with gone(db, request, monkeypatch):
            store.record_attempt(attempt(1))
            store.record_attempt(attempt(2))
            assert store.unsaved == 2 and "in memory only" in store.warning
        store.record_attempt(attempt(3))  # back: the two in memory go first
        assert [a.answer for a in store.attempts()] == [f"answer {n}" for n in range(4)]
        with gone(db, request, monkeypatch):
            store.record_attempt(attempt(4))
            store.close()
    words = store.closing_words_in("en")
    assert store.unsaved == 1 and "Answers that could not be saved: 1 " in words and "No space left" in words
    assert "답 1개는 저장하지 못했습니다" in store.closing_words_in("ko")


@contextmanager
def gone(db, request, monkeypatch):
    """The database cannot be written for a while: a stopped server, or a file another connection
    locks (waited for briefly: the backoff is the locked-file test's)."""
    if db.startswith("postgresql://"):
        with server_stopped(request.getfixturevalue("pg_cluster")):
            yield
    else:
        from tutor.progress import sqlite as sqlite_module
        from tutor.progress import store as store_module

        monkeypatch.setattr(store_module, "RETRY_DELAYS", ())
        monkeypatch.setattr(sqlite_module, "BUSY_TIMEOUT_SECONDS", 0.05)
        conn = sqlite3.connect(db, isolation_level=None)
        conn.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            conn.execute("COMMIT")
            conn.close()


# ---- a learner's session: tutor quiz --plain ----------------------------------------------------


class Quiz:
    """`tutor quiz --plain` running, its answers written as the test goes, its verdicts counted."""

    def __init__(self, env, count):
        self.process = subprocess.Popen([*TUTOR, "quiz", "--plain", f"--count={count}", "--seed=11"], env=env,
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                        text=True)
        self.lines = queue.Queue()
        threading.Thread(target=lambda: [self.lines.put(line) for line in self.process.stdout], daemon=True).start()
        self.out = []

    def wait_for(self, pattern, count=1, seconds=60):
        deadline = time.monotonic() + seconds  # a hang guard, not a timing assertion
        while sum(bool(re.match(pattern, line)) for line in self.out) < count:
            self.out.append(self.lines.get(timeout=max(0.1, deadline - time.monotonic())))

    def send(self, *answers):
        for text in answers:
            self.process.stdin.write(text + "\n")
            self.process.stdin.flush()

    def end(self):
        stdout, stderr = self.process.communicate(timeout=120)
        return self.process.returncode, "".join(self.out) + stdout, stderr


def quiz_env(db, tmp_path):
    return {**os.environ, "TUTOR_DATA_DIR": str(tmp_path / "data"), "TUTOR_DB": str(db), "TUTOR_LANG": "en"}


def test_a_quiz_goes_on_while_the_server_is_down_and_all_20_answers_are_stored_once(pg_cluster, pg_url, tmp_path):
    env = quiz_env(pg_url, tmp_path)
    questions = planned(env, count=21)
    quiz = Quiz(env, count=21)
    quiz.wait_for(r"Review quiz")  # the session is open
    with server_stopped(pg_cluster):
        quiz.send(*(typed(question) for question in questions[:20]))
        quiz.wait_for(r"[✓✗] ", count=20)  # every answer acknowledged while the server was away
    quiz.send(":quit")
    code, out, err = quiz.end()
    assert code == 0, err
    assert err.count("cannot be saved to postgresql://") == 1 and "Answers not saved yet: 19." in err
    assert "Progress is saved to postgresql://" in err  # said when the server was back
    attempts = stored(pg_url)
    assert [(a.problem, a.seed) for a in attempts] == [(q.problem.id, q.seed) for q in questions[:20]]
    assert [a.correct for a in attempts] == [line.startswith("✓") for line in out.splitlines() if line[:2] in ("✓ ", "✗ ")]


def test_a_quiz_goes_on_while_another_writer_locks_the_file_for_10_seconds(tmp_path):
    db = tmp_path / "progress.sqlite3"
    env = quiz_env(db, tmp_path)
    questions = planned(env, count=21)
    quiz = Quiz(env, count=21)
    quiz.wait_for(r"Review quiz")
    with locked(db, 10):
        quiz.send(*(typed(question) for question in questions[:20]))
        quiz.wait_for(r"[✓✗] ", count=20)
    quiz.send(":quit")
    code, out, err = quiz.end()
    assert code == 0, err
    assert "cannot be saved" in err and "database is locked" in err
    assert [(a.problem, a.seed, a.answer) for a in stored(db)] == [(q.problem.id, q.seed, typed(q)) for q in questions[:20]]


# ---- a full disk, a file-size limit (issue 22, item 9) ---------------------------------------------


@contextmanager
def small_filesystem(tmp_path, kind):
    """A folder where writing soon fails: a tiny tmpfs the test mounts, or (for any user) a file-size
    limit set on the quiz's process (`limit` is then its preexec function)."""
    folder = tmp_path / "small"
    folder.mkdir()
    if kind == "tmpfs":
        mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=192k", "tmpfs", str(folder)],
                                 capture_output=True, text=True)
        if mounted.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here ({mounted.stderr.strip()}); the file-size limit case runs")
        try:
            yield folder, None
        finally:
            subprocess.run(["umount", str(folder)], check=True)
    else:
        yield folder, lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (48 * 1024, 48 * 1024))


@pytest.mark.parametrize("kind", ["tmpfs", "file-size-limit"])
def test_a_full_disk_mid_quiz_loses_no_answer_silently(tmp_path, kind, monkeypatch):
    with small_filesystem(tmp_path, kind) as (folder, limit):
        db = folder / "progress.sqlite3"
        env = {**quiz_env(db, tmp_path), "TUTOR_DATA_DIR": str(folder / "data")}
        questions = planned(env, count=18)  # the learner's file exists; then the disk fills
        if kind == "tmpfs":
            room = os.statvfs(folder)
            (folder / "filler").write_bytes(b"\0" * (room.f_bavail * room.f_frsize - 64 * 1024))
        run = subprocess.run([*TUTOR, "quiz", "--plain", "--count=18", "--seed=11"], env=env, text=True,
                             input="".join(typed(q) + "\n" for q in questions), capture_output=True, timeout=120,
                             preexec_fn=limit)
        acknowledged = len(re.findall(r"^[✓✗] ", run.stdout, flags=re.M))
        assert acknowledged == 18 and "Traceback" not in run.stderr
        kept = _count(WARNINGS["kept-at-exit"][1], run.stderr)
        lost = _count(WARNINGS["lost-at-exit"][1], run.stderr)
        in_store = len(stored(db))
        assert kept + lost > 0 and run.returncode == 3  # the disk did fill, and the quiz says so
        assert "cannot be saved" in run.stderr  # said at once, during the quiz
        assert in_store + kept + lost == 18  # each answer is in the store or reported unsaved
        if kind == "tmpfs":
            (folder / "filler").unlink()
        monkeypatch.setenv("TUTOR_DATA_DIR", env["TUTOR_DATA_DIR"])
        assert len(stored(db)) == 18 - lost  # room again: the next session saves the kept ones


def _count(template: str, text: str) -> int:
    """The number said by the line made from `template` (its {count}), 0 when that line is not there."""
    pattern = re.sub(r"\\\{(\w+)\\\}", lambda m: r"(\d+)" if m.group(1) == "count" else ".*?", re.escape(template))
    found = re.search(pattern, text)
    return int(found.group(1)) if found else 0


# ---- the app: the warning is on the screen the learner is on -----------------------------------


def read(screen: str) -> str:
    """The screen's words in one line, a notification's left border (▌) left out."""
    return " ".join(screen.replace("▌", " ").split())


@pytest.mark.anyio
async def test_the_lesson_screen_warns_at_once_and_says_when_saving_works_again(pg_cluster, pg_url, open_lesson,
                                                                                screen_text, wait_for, monkeypatch):
    from tutor.app import main as app_main
    from tutor.app.main import TutorApp
    from tutor.app.screens.lesson import LessonScreen

    monkeypatch.setattr(app_main, "SAVING_RETRY_SECONDS", 0.2)
    app = TutorApp(None, store=Store.open(pg_url), lang="en", resume=False)
    async with app.run_test(size=(100, 40), notifications=True) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await go_to_blank(pilot, screen, "d-apple-price")
        with server_stopped(pg_cluster):
            await answer(pilot, field, "100")
            shown = read(screen_text(app))
            assert isinstance(app.screen, LessonScreen) and "cannot be saved" in shown  # at once, right here
            for n in range(1, 20):
                await answer(pilot, field, str(100 + n))
            assert screen.session.blanks["d-apple-price"].tries == 20  # the lesson went on
            assert "Answers not saved yet: 20." in read(screen_text(app))
        await wait_for(pilot, lambda: not app.store.waiting, seconds=30)  # the app's own retries save them
        await pilot.pause()
        assert "Progress is saved to" in read(screen_text(app))
    answers = [a.answer for a in stored(pg_url) if a.problem == "d-apple-price"]
    assert answers == [str(100 + n) for n in range(20)]


def test_a_server_that_does_not_answer_is_left_alone_for_a_while(tmp_path):
    """A host that takes every connection and never answers (each try ends at the connect timeout):
    after one slow failure the store does not try again at every answer and every read (the screen
    would freeze each time); closing tries once more, and the answers wait in the outbox."""
    import socket

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(100)
    tries = []

    def take_every_connection():
        while True:
            try:
                tries.append(listener.accept())
            except OSError:  # the listener closed at the end of the test: the thread ends with it
                return

    threading.Thread(target=take_every_connection, daemon=True).start()
    url = f"postgresql://tutor@127.0.0.1:{listener.getsockname()[1]}/class?connect_timeout=2"
    store = Store.open(url)
    assert store.needs_retry and len(tries) == 1
    for n in range(5):
        store.record_attempt(attempt(n))
        store.problem_states("course", "apple")
        store.retry()
    assert len(tries) == 1 and store.unsaved == 5  # left alone: no new connection for any of them
    store.close()
    assert len(tries) == 2 and "Answers not saved to postgresql://tutor@127.0.0.1" in store.closing_words_in("en")
    listener.close()
