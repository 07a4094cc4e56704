"""The learner's progress: the store the app and the quiz use. They call its methods, never write
SQL, and never learn which database is behind it: an SQLite file (sqlite.py, the default) or a
class's PostgreSQL database (postgres.py, for a `postgresql://` URL).

A store belongs to one learner (`TUTOR_LEARNER`, else the user's name): every write carries the
learner's id and every read asks for that learner's rows only; reports read a whole class through
the `class_*` methods.

Nothing acknowledged is lost silently. A write is committed before its method returns. When the
database cannot take it (the server gone, the file locked past a few tries with backoff, the disk
full, an I/O error), the write waits in the outbox (outbox.py) and the learner is told at once
(`listen`); waiting writes are sent, oldest first and each exactly once, before the next write, on
`retry()`, and when the store closes. What could not be kept anywhere stays in memory and is
counted in `unsaved`, so that the caller can say so at the end. When the database can never be
written in this session (a read-only place, a schema newer than this program, a failed migration),
the store carries on in memory from what the database held, and says so in `warning`.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, NamedTuple

from . import target
from .backend import TABLES, Backend, Unavailable, Unwritable
from .outbox import Outbox, OutboxError, Write

# Waits between tries of a write that met a lock (each try also waits BUSY_TIMEOUT inside SQLite):
# about 5 s in all, then the write goes to the outbox and the learner goes on.
RETRY_DELAYS = (0.1, 0.2, 0.4, 0.8)

# A database that fails slowly (an unreachable host: the connect timeout) is left alone for a while
# after each slow failure (5 s, then 10, 20, 40, 60 at most), so that the learner's screen does not
# freeze at every answer and every redraw; what waits is tried again after that, and when tutor closes.
SLOW_FAILURE_SECONDS = 1.0
QUIET_SECONDS = (5, 10, 20, 40, 60)

# What the store tells the learner, (Korean, English); `Store.warning_in(lang)` fills them in.
WARNINGS: dict[str, tuple[str, str]] = {
    "moved-aside": ("진도 파일이 손상되어 있었습니다({problem}): {database}. 손상된 파일은 지우지 않고 옮겨 두었고, "
                    "새 파일로 시작했습니다. 옮겨 둔 곳: {aside}",
                    "The progress file {database} was damaged ({problem}). It was moved aside to {aside} "
                    "and a fresh one was started."),
    "not-replaced": ("진도 파일이 손상되어 있고({problem}) 새 파일로 바꾸지 못했습니다({error}): {database}.",
                     "The progress file {database} is damaged ({problem}) and could not be replaced ({error})."),
    "newer": ("진도 데이터베이스를 더 새로운 버전의 tutor가 썼습니다(스키마 {version}, 이 프로그램은 "
              "{known}까지 압니다). 읽기 전용으로 엽니다: {database}.",
              "The progress database {database} was written by a newer version of tutor (schema {version}, "
              "this program knows {known}). It is opened read-only."),
    "cannot-write": ("진도를 {database}에 쓸 수 없습니다: {error}.", "Cannot write progress to {database}: {error}."),
    "not-saved": ("계속 공부할 수 있지만, 지금부터의 진도는 저장되지 않습니다.",
                  "You can go on; progress from now on is not saved."),
    "waiting": ("지금은 진도를 {database}에 저장할 수 없습니다({error}). 계속 공부해도 됩니다. 답은 보관해 두었다가 "
                "저장할 수 있게 되면 바로 저장합니다.",
                "Progress cannot be saved to {database} right now ({error}). You can go on: your answers are kept "
                "and saved as soon as that works again."),
    "waiting-count": ("아직 저장되지 않은 답: {count}개.", "Answers not saved yet: {count}."),
    "memory-only": ("보관 파일 {outbox}에도 쓸 수 없어 답을 메모리에만 두었습니다. 저장되기 전에 tutor를 끝내면 "
                    "그 답은 사라집니다.",
                    "They could not be written to {outbox} either and are kept in memory only: quitting tutor "
                    "before they are saved loses them."),
    "saved-again": ("진도를 다시 {database}에 저장할 수 있습니다.", "Progress is saved to {database} again."),
    "saved-count": ("기다리던 기록 {count}건을 저장했습니다.", "Waiting changes saved now: {count}."),
    "kept-at-exit": ("답 {count}개는 아직 {database}에 저장되지 않았습니다. {outbox}에 보관해 두었으니 다음에 tutor를 "
                     "실행하면 저장합니다.",
                     "Answers not saved to {database} yet: {count}. They are kept in {outbox} and saved the next "
                     "time tutor runs."),
    "lost-at-exit": ("답 {count}개는 저장하지 못했습니다. {database}에도, 보관 파일 {outbox}에도 쓸 수 없었습니다({error}).",
                     "Answers that could not be saved: {count} (neither {database} nor {outbox} could be written: "
                     "{error})."),
    "not-saved-at-exit": ("이번에 푼 답 {count}개는 저장되지 않았습니다.", "Answers of this session not saved: {count}."),
}


def timestamp(moment: datetime | None = None) -> str:
    """ISO-8601 UTC with microseconds; strings of this one format sort in time order."""
    moment = moment or datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


def storable(text: str) -> str:
    """Text as every backend can keep it: a lone surrogate (pasted from a broken terminal) cannot be
    stored as UTF-8 and becomes '?'; PostgreSQL text cannot hold NUL, which becomes U+FFFD."""
    return text.encode("utf-8", "replace").decode("utf-8").replace("\x00", "\ufffd")


@dataclass(frozen=True)
class Attempt:
    """One answer the learner submitted. `id`, `at` and `learner` are filled in when it is recorded."""

    pack: str
    lesson: str
    problem: str
    seed: int | None
    answer: str
    correct: bool
    mistake: str | None = None
    hints_used: int = 0
    seconds: float = 0.0
    at: str | None = None
    id: int | None = None
    learner: str | None = None


# The columns of an exported attempt (tutor progress --csv / --json), in order.
ATTEMPT_FIELDS = ("id", "learner", "pack", "lesson", "problem", "seed", "answer", "correct", "mistake",
                  "hints_used", "seconds", "at")


class ProblemState(NamedTuple):
    solved: bool = False
    solved_first_try: bool = False
    revealed: bool = False
    attempts: int = 0
    hints_used: int = 0
    box: int = 0
    due: str | None = None


class ProblemRow(NamedTuple):
    """One problem of one learner, for reports over a class."""

    learner: str
    pack: str
    lesson: str
    problem: str
    state: ProblemState


class LessonSummary(NamedTuple):
    learner: str
    pack: str
    lesson: str
    solved: int  # problems solved
    attempted: int  # problems with at least one attempt
    solved_first_try: int
    problem_count: int | None  # as last noted by note_lesson; None if never noted
    attempts: int
    last_activity: str | None
    completed_at: str | None
    changed_at: str | None  # when the lesson file was last seen with a different content hash
    content_hash: str | None

    @property
    def first_try_accuracy(self) -> float | None:
        """Share of attempted problems that were right on the first attempt."""
        return self.solved_first_try / self.attempted if self.attempted else None


class ReviewItem(NamedTuple):
    pack: str
    lesson: str
    problem: str
    box: int
    due: str | None


class StoreError(Exception):
    """A problem the learner must be told about (e.g. a backup could not be written)."""


# ---- what each kind of write does, the same on every backend --------------------------------


def _attempt(run, args: dict, uid: str) -> int | None:
    """The database counts a new attempt in its problem's row itself (a trigger); one sent again is
    refused by its unique id and counts nothing. Returns the new attempt's id, or None for such a one."""
    inserted = run("insert_attempt", uid=uid, **args)
    return inserted[0][0] if inserted else None


def _lesson(run, args: dict, uid: str) -> bool:
    before = run("lesson_hash", **args)
    changed = bool(before) and before[0][0] is not None and before[0][0] != args["content_hash"]
    run("note_lesson", **args)
    if changed:
        run("lesson_changed", **args)
    return changed


def _one(statement: str) -> Callable:
    return lambda run, args, uid: run(statement, **args)


APPLY: dict[str, Callable] = {
    "attempt": _attempt,
    "hint": _one("record_hint"),
    "revealed": _one("mark_revealed"),
    "review": _one("set_review"),
    "position": _one("set_position"),
    "lesson": _lesson,
    "completed": _one("complete_lesson"),
}


class Store:
    """Progress of one learner. Open with `Store.open()`; check `warning` and tell the learner; `listen`
    to hear at once when writes start to wait and when they are saved again."""

    def __init__(self, backend: Backend, learner: str, outbox: Outbox | None = None):
        self._backend = backend
        self.where = backend.shown  # the database, as people may see it (a URL without its password)
        self._key = backend.key  # its name in the outbox
        self.learner = learner
        self._outbox = outbox
        self._opened = self._closed = False
        self.read_only = False  # True: nothing reaches the database; the session runs in memory
        self.keeps_nothing = False  # True: a store made to save nothing (`in_memory`): nothing to report
        self._notice: tuple[str, dict] | None = None  # (a key of WARNINGS, its values) since opening
        self._problem: str | None = None  # why writes wait now (None: they do not)
        self._in_outbox = (0, 0)  # writes of ours waiting in the outbox, and how many are attempts
        self._in_memory: list[Write] = []  # writes neither the database nor the outbox could take
        self._outbox_error: str | None = None
        self._unsaved_read_only = 0  # attempts recorded while read-only
        self._saved_again = 0  # writes sent by the last flush that emptied the waiting list
        self._listeners: list[Callable[[str], None]] = []
        self._last_reads: dict[tuple, list[tuple]] = {}
        self._quiet_until = 0.0  # time.monotonic() before which the database is not tried (see QUIET_SECONDS)
        self._slow_failures = 0
        self._quiet_reason = ""
        self.moved_aside: Path | None = None  # where a corrupt file went, if one did
        self.last_backup: Path | None = None  # the backup written before a migration, if one was

    # ---- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, db: str | os.PathLike | None = None, learner: str | None = None) -> "Store":
        """Open (creating or migrating) the progress database: `db` (a file path or a postgresql://
        URL), else `TUTOR_DB`, else the data directory's file. Never raises for a bad file or an
        absent server: the problem is in `store.warning`. Raises StoreError when a URL is given but
        psycopg is not installed, ValueError for a learner name that cannot be one."""
        learner = target.learner_name(learner)
        where, folder = target.database(db), target.data_dir()
        if isinstance(where, target.Secret):
            try:
                from .postgres import PostgresBackend  # here: psycopg only when a URL asks for it
            except ImportError as missing:
                raise StoreError(str(missing)) from None
            backend = PostgresBackend(where, folder / "backups")
        else:
            from .sqlite import SqliteBackend

            backend = SqliteBackend(where, where.parent / "backups")
        store = cls(backend, learner, Outbox(folder / target.OUTBOX_FILE_NAME))
        store._start()
        return store

    @classmethod
    def in_memory(cls, learner: str | None = None) -> "Store":
        """A store that saves nothing (tests, or when the caller wants no file at all)."""
        from .sqlite import SqliteBackend

        store = cls(SqliteBackend.memory(), target.learner_name(learner))
        store._start()
        store.read_only = store.keeps_nothing = True
        return store

    def _start(self) -> None:
        try:
            self._io(self._ensure_open, insist=False)
        except Unavailable as error:
            self._problem = target.redact(str(error))
        if self._outbox is not None and not self.read_only:
            self._in_outbox = self._outbox.count(self._key, self.learner)
            if self._in_outbox[0]:  # left by an earlier session: send them now if we can
                self._flush()

    def _ensure_open(self) -> None:
        """Connect (create, migrate) if not done yet. Raises Unavailable; a database that can never
        be written here sends the store to memory."""
        if self._opened:
            return
        try:
            self._notice = self._backend.open(self.learner)
            self._opened = True
        except Unwritable as unwritable:
            self._go_memory(*unwritable.args)
        finally:
            self.moved_aside = getattr(self._backend, "moved_aside", None) or self.moved_aside
            self.last_backup = getattr(self._backend, "last_backup", None) or self.last_backup

    def _go_memory(self, key: str, values: dict) -> None:
        """From now on work in memory, starting from what the database holds if it can be read."""
        from .sqlite import SqliteBackend

        memory = SqliteBackend.memory()
        memory.open(self.learner)
        try:
            memory.load(self._backend.export(self.learner))
        except Unavailable:
            pass  # nothing readable: start empty
        self._backend.close()
        self._backend, self._opened, self.read_only = memory, True, True
        self._notice = (key, values)

    # ---- what the learner is told --------------------------------------------------------------

    @property
    def warning(self) -> str | None:
        """What the learner must be told, in English; None when all is well."""
        return self.warning_in("en")

    def warning_in(self, lang: str) -> str | None:
        """The warning in ``lang`` ("ko" or "en"); the system's own error text stays as it came."""
        parts = []
        if self._notice is not None:
            key, values = self._notice
            parts.append(self._say(key, lang, **values))
            if self.read_only and not self.keeps_nothing:
                parts.append(self._say("not-saved", lang))
        if self._problem is not None and not self.read_only:
            parts.append(self._say("waiting", lang, error=self._problem))
            if self._in_outbox[1] + self._memory_attempts():
                parts.append(self.waiting_count_in(lang))
            if self._in_memory:
                parts.append(self._say("memory-only", lang))
        return " ".join(parts) or None

    def waiting_count_in(self, lang: str) -> str:
        """How many answers wait to be saved, in a few words."""
        return self._say("waiting-count", lang, count=self._in_outbox[1] + self._memory_attempts())

    def saved_again_in(self, lang: str) -> str:
        """What to say when saving works again (and what waited is saved)."""
        said = self._say("saved-again", lang)
        return said + " " + self._say("saved-count", lang, count=self._saved_again) if self._saved_again else said

    def _say(self, key: str, lang: str, **values) -> str:
        outbox = str(self._outbox.path) if self._outbox is not None else "-"
        values = {"database": self.where, "outbox": outbox, **values}
        return target.redact(WARNINGS[key][1 if lang == "en" else 0].format(**values))

    def listen(self, callback: Callable[[str], None]) -> None:
        """Call `callback(event)` at once when writes start to wait ("waiting"), when one more answer
        waits ("kept"), and when the waiting ones are saved ("saved")."""
        self._listeners.append(callback)

    def _tell(self, event: str) -> None:
        for callback in self._listeners:
            callback(event)

    @property
    def needs_retry(self) -> bool:
        """Whether the database could not be reached or written lately (`retry` until it can)."""
        return self._problem is not None and not self.read_only

    @property
    def waiting(self) -> bool:
        """Whether writes wait to be saved (in the outbox or in memory)."""
        return bool(self._in_outbox[0] or self._in_memory)

    @property
    def unsaved(self) -> int:
        """Answers (attempts) of this learner not in the database: waiting, or made while read-only."""
        if self.keeps_nothing:
            return 0
        return self._unsaved_read_only + self._in_outbox[1] + self._memory_attempts()

    def _memory_attempts(self) -> int:
        return sum(write.kind == "attempt" for write in self._in_memory)

    def closing_words_in(self, lang: str) -> str | None:
        """After `close`, what the learner must hear last: what became of answers that were not saved,
        or why nothing was saved; None when all is well."""
        if self.keeps_nothing:
            return None
        if self.read_only:
            count = self._unsaved_read_only
            return "\n".join([self.warning_in(lang)] + [self._say("not-saved-at-exit", lang, count=count)] * bool(count))
        lines = []
        if self._in_outbox[1]:
            lines.append(self._say("kept-at-exit", lang, count=self._in_outbox[1]))
        if self._memory_attempts():
            lines.append(self._say("lost-at-exit", lang, count=self._memory_attempts(),
                                   error=self._outbox_error or self._problem))
        if not lines and self._notice is not None:
            lines.append(self.warning_in(lang))
        return "\n".join(lines) or None

    # ---- writing ---------------------------------------------------------------------------

    def _write(self, kind: str, **args) -> object:
        """Make one write now if the database takes it (after any that wait, in order); else keep it."""
        args = {"learner": self.learner, **{k: storable(v) if isinstance(v, str) else v for k, v in args.items()}}
        write = Write(kind, args, uuid.uuid4().hex)
        if self.read_only:
            self._unsaved_read_only += kind == "attempt"
            with self._backend.transaction() as run:
                return APPLY[kind](run, args, write.uid)
        if self.waiting:
            self._flush()
        if not self.waiting:
            try:
                result = self._send(write, patient=True, insist=False)
            except Unavailable as error:
                self._problem = target.redact(str(error))
            else:
                self._saving_works(sent=0)
                return result
        self._keep(write)
        return None

    def _send(self, write: Write, patient: bool, insist: bool) -> object:
        """Apply one write in its own transaction. A lock or a lost connection (`soon`) is tried again
        after each of RETRY_DELAYS when `patient`; otherwise (a quick look between answers) the lock
        is hardly waited for and one more try made at once. Raises Unavailable."""

        def send() -> object:
            self._ensure_open()
            with self._backend.transaction(patient) as run:
                return APPLY[write.kind](run, write.args, write.uid)

        delays = iter(RETRY_DELAYS if patient else (0,))
        while True:
            try:
                return self._io(send, insist)
            except Unavailable as error:
                delay = next(delays, None) if error.soon else None
                if delay is None:
                    raise
                time.sleep(delay)

    def _io(self, work: Callable[[], object], insist: bool) -> object:
        """`work()`, unless the database failed slowly a moment ago (then Unavailable at once, unless
        `insist`: closing and resetting always try)."""
        if not insist and time.monotonic() < self._quiet_until:
            raise Unavailable(self._quiet_reason)
        started = time.monotonic()
        try:
            result = work()
        except Unavailable as error:
            # A lock (`soon`) is waited for by the retries; a slow failure of another kind is a host
            # that does not answer.
            if not error.soon and time.monotonic() - started > SLOW_FAILURE_SECONDS:
                self._quiet_until = time.monotonic() + QUIET_SECONDS[min(self._slow_failures, len(QUIET_SECONDS) - 1)]
                self._slow_failures, self._quiet_reason = self._slow_failures + 1, str(error)
            raise
        self._slow_failures = 0
        return result

    def _keep(self, write: Write) -> None:
        """Keep a write that could not be made: in the outbox, else (its disk full too) in memory.
        Once one is in memory, the later ones follow it there, so that the order holds."""
        first = not self.waiting
        if self._outbox is not None and not self._in_memory:
            try:
                self._outbox.put(self._key, write, timestamp())
                writes, attempts = self._in_outbox
                self._in_outbox = (writes + 1, attempts + (write.kind == "attempt"))
            except OutboxError as error:
                self._outbox_error = str(error)
                self._in_memory.append(write)
        else:
            self._in_memory.append(write)
        if first or write.kind == "attempt":
            self._tell("waiting" if first else "kept")

    def _flush(self, patient: bool = False) -> bool:
        """Send the waiting writes, oldest first; stop at the first that still cannot be made.
        `patient`: when closing or resetting (wait for locks, try even a database that failed slowly).
        Returns True when none is left."""
        sent = 0
        try:
            if self._outbox is not None and self._in_outbox[0]:
                for write in self._outbox.waiting(self._key, self.learner):
                    self._send(write, patient, insist=patient)
                    self._outbox.remove(write)  # if this fails, sending it again changes nothing
                    sent += 1
            while self._in_memory:
                self._send(self._in_memory[0], patient, insist=patient)
                self._in_memory.pop(0)
                sent += 1
        except (Unavailable, OutboxError) as error:
            self._problem = target.redact(str(error))
            return False
        finally:
            if self._outbox is not None and (sent or patient):
                self._in_outbox = self._outbox.count(self._key, self.learner)
        if self.waiting:  # another process of this learner added some meanwhile
            return False
        self._saving_works(sent)
        return True

    def _saving_works(self, sent: int) -> None:
        """The database took what it was given: if it had failed before, say that it works again."""
        if self._problem is not None:
            self._problem, self._saved_again = None, sent
            self._tell("saved")

    def retry(self) -> bool:
        """Try again now to save what waits (the app calls this every few seconds while something
        does). Returns True when nothing waits any more."""
        if self.read_only or self._problem is None:
            return True
        if not self.waiting:
            def ping() -> None:
                self._ensure_open()
                self._backend.ping()

            try:
                self._io(ping, insist=False)
            except Unavailable as error:
                self._problem = target.redact(str(error))
                return False
        return self._flush()

    def record_attempt(self, attempt: Attempt) -> int | None:
        """Store an attempt and update the problem's state; returns the attempt's id (None while it
        waits to be saved)."""
        if attempt.learner not in (None, self.learner):
            raise ValueError(f"an attempt of {attempt.learner!r} given to the store of {self.learner!r}")
        return self._write("attempt", pack=attempt.pack, lesson=attempt.lesson, problem=attempt.problem,
                           seed=None if attempt.seed is None else int(attempt.seed), answer=attempt.answer,
                           correct=bool(attempt.correct), mistake=attempt.mistake, hints_used=int(attempt.hints_used),
                           seconds=float(attempt.seconds), at=attempt.at or timestamp())

    def record_hint(self, pack: str, lesson: str, problem: str, hints_used: int) -> None:
        """The learner has now seen `hints_used` hints of this problem."""
        self._write("hint", pack=pack, lesson=lesson, problem=problem, hints_used=int(hints_used), at=timestamp())

    def mark_revealed(self, pack: str, lesson: str, problem: str) -> None:
        """The learner asked to see the answer."""
        self._write("revealed", pack=pack, lesson=lesson, problem=problem, at=timestamp())

    def set_position(self, pack: str, lesson: str, problem: str | None = None) -> None:
        """Where the learner is now (the app calls this when they open a lesson). Only this moves
        it: a quiz records attempts too, and must not move the lesson the app resumes at."""
        self._write("position", pack=pack, lesson=lesson, problem=problem, at=timestamp())

    def note_lesson(self, pack: str, lesson: str, content_hash: str, problem_count: int) -> bool:
        """Remember a lesson's content hash and size. Returns True when the lesson was seen
        before with different content (progress is kept; the app may tell the learner)."""
        return bool(self._write("lesson", pack=pack, lesson=lesson, content_hash=content_hash,
                                problem_count=int(problem_count), at=timestamp()))

    def complete_lesson(self, pack: str, lesson: str) -> None:
        """Mark a lesson finished (the first completion time is kept)."""
        self._write("completed", pack=pack, lesson=lesson, at=timestamp())

    def set_review(self, pack: str, lesson: str, problem: str, box: int, due: str | None) -> None:
        """Store the quiz's Leitner box and due time (see `timestamp`); the policy is the quiz's."""
        self._write("review", pack=pack, lesson=lesson, problem=problem, box=int(box), due=due)

    def reset(self, lesson: str | None = None, pack: str | None = None) -> Path | None:
        """Forget this learner's progress (one lesson, or everything; one pack, or all) after writing
        a backup. Returns the backup's path (None when saving is off). Raises StoreError when the
        database cannot be reached or the backup cannot be written; then nothing is deleted."""
        backup = None
        if not self.read_only:
            try:
                if not self._flush(patient=True):  # waiting answers are part of what is backed up
                    raise Unavailable(self._problem or "")
                self._ensure_open()
                reason = "before-reset" if lesson is None else f"before-reset-{_safe(lesson)}"
                backup = self._backend.backup(self.learner, reason)
            except Unavailable as error:
                raise StoreError(f"cannot reach {self.where} ({target.redact(str(error))}); "
                                 "nothing was deleted") from None
            except OSError as error:
                raise StoreError(f"could not write a backup to {self._backend.backups} ({error}); "
                                 "nothing was deleted") from None
        params = dict(learner=self.learner, pack=pack, lesson=lesson)
        try:
            with self._backend.transaction() as run:
                for table in TABLES:
                    run(f"reset_{table}", **params)
        except Unavailable as error:
            raise StoreError(f"cannot reach {self.where} ({target.redact(str(error))}); "
                             f"nothing was deleted; the backup is {backup}") from None
        self._last_reads.clear()
        return backup

    # ---- reading ---------------------------------------------------------------------------

    def _read(self, name: str, everyone: bool = False, **params) -> list[tuple]:
        """The rows of a named query for this learner (all learners: `everyone`). When the database
        cannot be read now, the rows it gave last time (nothing, if none) and a warning."""
        params = {"learner": self.learner, "everyone": everyone, "pack": None, "lesson": None, "due_by": None,
                  **params}
        key = (name, *sorted(params.items()))
        def read() -> list[tuple]:
            self._ensure_open()
            return self._backend.read(name, **params)

        try:
            rows = self._io(read, insist=False)
        except Unavailable as error:
            first = self._problem is None
            self._problem = target.redact(str(error)) or self._problem
            if first:
                self._tell("waiting")
            return self._last_reads.get(key, [])
        if not self.waiting:
            self._saving_works(sent=0)
        if not (everyone or name == "attempts"):  # what the app shows, small; exports are read again
            self._last_reads[key] = rows
        return rows

    def problem_state(self, pack: str, lesson: str, problem: str) -> ProblemState:
        return self.problem_states(pack, lesson).get(problem, ProblemState())

    def problem_states(self, pack: str, lesson: str) -> dict[str, ProblemState]:
        """Every problem of a lesson that has any state, by problem id."""
        return {row.problem: row.state for row in self._problem_rows(False, pack=pack, lesson=lesson)}

    def first_unsolved(self, pack: str, lesson: str, problem_ids: list[str]) -> str | None:
        """The first of `problem_ids` (in lesson order) not solved yet; None if all are."""
        states = self.problem_states(pack, lesson)
        return next((pid for pid in problem_ids if not states.get(pid, ProblemState()).solved), None)

    def last_position(self, pack: str) -> tuple[str, str | None] | None:
        """(lesson, problem) the learner last worked on in this pack, or None."""
        rows = self._read("last_position", pack=pack)
        return (rows[0][0], rows[0][1]) if rows else None

    def review_state(self, pack: str, lesson: str, problem: str) -> tuple[int, str | None]:
        state = self.problem_state(pack, lesson, problem)
        return state.box, state.due

    def reviews(self, pack: str | None = None, due_by: str | None = None) -> list[ReviewItem]:
        """Problems with a review due time, earliest first; `due_by` keeps those due by then."""
        return [ReviewItem(*row) for row in self._read("reviews", pack=pack, due_by=due_by)]

    def lesson_summary(self, pack: str | None = None) -> list[LessonSummary]:
        """One summary per lesson that has any record, ordered by pack and lesson id."""
        return [LessonSummary(*row) for row in self._read("lesson_summary", pack=pack)]

    def attempts(self, pack: str | None = None, lesson: str | None = None) -> list[Attempt]:
        """Every stored attempt of this learner, oldest first (for export)."""
        return [_attempt_of(row) for row in self._read("attempts", pack=pack, lesson=lesson)]

    def quick_check(self) -> list[str]:
        """["ok"] for a healthy database (SQLite's `PRAGMA quick_check`)."""
        self._ensure_open()
        return self._backend.quick_check()

    # ---- reading a whole class (reports; never the app) --------------------------------------

    def learners(self) -> list[str]:
        """Every learner with any record, by name."""
        return [row[0] for row in self._read("learners", everyone=True)]

    def class_summary(self, pack: str | None = None) -> list[LessonSummary]:
        """`lesson_summary` of every learner, ordered by learner, pack and lesson."""
        return [LessonSummary(*row) for row in self._read("lesson_summary", everyone=True, pack=pack)]

    def class_attempts(self, pack: str | None = None, lesson: str | None = None) -> list[Attempt]:
        """Every attempt of every learner, oldest first."""
        return [_attempt_of(row) for row in self._read("attempts", everyone=True, pack=pack, lesson=lesson)]

    def class_problems(self, pack: str | None = None) -> list[ProblemRow]:
        """Every problem of every learner that has any state."""
        return self._problem_rows(True, pack=pack)

    def _problem_rows(self, everyone: bool, **params) -> list[ProblemRow]:
        return [ProblemRow(learner, pack, lesson, problem, _problem_state(rest))
                for learner, pack, lesson, problem, *rest in self._read("problem_states", everyone, **params)]

    # ---- the end -------------------------------------------------------------------------------

    def close(self) -> None:
        """Send what waits (trying a while), then close. See `unsaved` and `closing_words_in`."""
        if self._closed:
            return
        self._closed = True
        if self.waiting and not self.read_only:
            self._flush(patient=True)
        self._backend.close()
        if self._outbox is not None:
            self._outbox.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Store {self._backend.kind} {self.where} learner={self.learner!r}>"


def _problem_state(row) -> ProblemState:
    solved, first_try, revealed, attempts, hints, box, due = row
    return ProblemState(bool(solved), bool(first_try), bool(revealed), attempts, hints, box, due)


def _attempt_of(row) -> Attempt:
    values = dict(zip(ATTEMPT_FIELDS, row))
    values["correct"] = bool(values["correct"])
    return Attempt(**values)


def _safe(text: str) -> str:
    """A lesson id fit for a file name (ids are [a-z0-9-]+, but the store does not rely on it)."""
    return "".join(c if c.isalnum() or c == "-" else "_" for c in text)[:60]
