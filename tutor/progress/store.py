"""The learner's progress in one SQLite file (standard library `sqlite3`).

Every write is one transaction that is committed (and fsynced: WAL with `synchronous=FULL`)
before the method returns, so a killed process loses at most the attempt it was writing.
When the file cannot be written (read-only directory, full disk, a schema newer than this
program, a failed migration) the store keeps working in memory and says so in
`Store.warning`; the learner goes on, nothing is saved. A corrupt file is moved aside as
`*.corrupt-<timestamp>` (never deleted) and a fresh database is started.

Callers never write SQL: the app and the quiz use the methods of `Store` only.
"""

from __future__ import annotations

import glob
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable, NamedTuple

APP_NAME = "backprop-tutor"
DB_FILE_NAME = "progress.sqlite3"
BUSY_TIMEOUT_SECONDS = 5.0

# Migration i takes a database from schema version i to i + 1 (`PRAGMA user_version`).
# Append to this list; never edit a migration that has shipped.
MIGRATIONS: list[str] = [
    """
    CREATE TABLE attempts (
        id         INTEGER PRIMARY KEY,
        pack       TEXT    NOT NULL,
        lesson     TEXT    NOT NULL,
        problem    TEXT    NOT NULL,
        seed       INTEGER,
        answer     TEXT    NOT NULL,
        correct    INTEGER NOT NULL,
        mistake    TEXT,
        hints_used INTEGER NOT NULL DEFAULT 0,
        seconds    REAL    NOT NULL DEFAULT 0,
        at         TEXT    NOT NULL
    );
    CREATE INDEX attempts_by_problem ON attempts (pack, lesson, problem);
    CREATE TABLE problems (
        pack             TEXT    NOT NULL,
        lesson           TEXT    NOT NULL,
        problem          TEXT    NOT NULL,
        solved           INTEGER NOT NULL DEFAULT 0,
        solved_first_try INTEGER NOT NULL DEFAULT 0,
        revealed         INTEGER NOT NULL DEFAULT 0,
        attempts         INTEGER NOT NULL DEFAULT 0,
        hints_used       INTEGER NOT NULL DEFAULT 0,
        box              INTEGER NOT NULL DEFAULT 0,
        due              TEXT,
        last_at          TEXT,
        PRIMARY KEY (pack, lesson, problem)
    );
    CREATE TABLE lessons (
        pack          TEXT NOT NULL,
        lesson        TEXT NOT NULL,
        content_hash  TEXT,
        problem_count INTEGER,
        changed_at    TEXT,
        completed_at  TEXT,
        PRIMARY KEY (pack, lesson)
    );
    CREATE TABLE positions (
        pack    TEXT PRIMARY KEY,
        lesson  TEXT NOT NULL,
        problem TEXT,
        at      TEXT NOT NULL
    );
    """,
]
SCHEMA_VERSION = len(MIGRATIONS)

# What the store tells the learner, (Korean, English); `Store.warning_in(lang)` fills them in.
WARNINGS: dict[str, tuple[str, str]] = {
    "moved-aside": ("진도 파일이 손상되어 있었습니다({problem}): {database}. 손상된 파일은 지우지 않고 옮겨 두었고, "
                    "새 파일로 시작했습니다. 옮겨 둔 곳: {aside}",
                    "The progress file {database} was damaged ({problem}). It was moved aside to {aside} "
                    "and a fresh one was started."),
    "not-replaced": ("진도 파일이 손상되어 있고({problem}) 새 파일로 바꾸지 못했습니다({error}): {database}.",
                     "The progress file {database} is damaged ({problem}) and could not be replaced ({error})."),
    "newer": ("진도 파일을 더 새로운 버전의 tutor가 썼습니다(스키마 {version}, 이 프로그램은 "
              "{known}까지 압니다). 읽기 전용으로 엽니다: {database}.",
              "The progress file {database} was written by a newer version of tutor (schema {version}, "
              "this program knows {known}). It is opened read-only."),
    "cannot-write": ("진도를 {database}에 쓸 수 없습니다: {error}.", "Cannot write progress to {database}: {error}."),
    "save-failed": ("진도를 {database}에 저장하지 못했습니다({error}).", "Saving progress to {database} failed ({error})."),
    "not-saved": ("계속 공부할 수 있지만, 지금부터의 진도는 저장되지 않습니다.",
                  "You can go on; progress from now on is not saved."),
}

# SQLite's primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
_CORRUPT_CODES = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB


def _and(tests: dict[str, object]) -> tuple[str, list]:
    """`` AND <test>`` for each test whose value is given (not None), and those values: the optional
    filters of a query."""
    given = {test: value for test, value in tests.items() if value is not None}
    return "".join(f" AND {test}" for test in given), list(given.values())


def timestamp(moment: datetime | None = None) -> str:
    """ISO-8601 UTC with microseconds; strings of this one format sort in time order."""
    moment = moment or datetime.now(timezone.utc)
    return moment.astimezone(timezone.utc).isoformat(timespec="microseconds")


class Paths(NamedTuple):
    data_dir: Path
    database: Path
    backups: Path
    crash_logs: Path


def paths(db: str | os.PathLike | None = None) -> Paths:
    """Where things live: `db`, else `TUTOR_DB`, else `<user data dir>/progress.sqlite3`.
    `TUTOR_DATA_DIR` overrides the data directory (tests use it). Backups sit beside the
    database, in `backups/`; crash logs in `<data dir>/crash-logs/`."""
    data_dir = os.environ.get("TUTOR_DATA_DIR")
    if data_dir:
        data_dir = Path(data_dir)
    else:
        import platformdirs  # only here: paths are resolved once, at startup

        data_dir = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    database = Path(db or os.environ.get("TUTOR_DB") or data_dir / DB_FILE_NAME).expanduser()
    return Paths(data_dir, database, database.parent / "backups", data_dir / "crash-logs")


@dataclass(frozen=True)
class Attempt:
    """One answer the learner submitted. `id` and `at` are filled in when it is recorded."""

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


ATTEMPT_FIELDS = ("id", "pack", "lesson", "problem", "seed", "answer", "correct", "mistake",
                  "hints_used", "seconds", "at")


class ProblemState(NamedTuple):
    solved: bool = False
    solved_first_try: bool = False
    revealed: bool = False
    attempts: int = 0
    hints_used: int = 0
    box: int = 0
    due: str | None = None


class LessonSummary(NamedTuple):
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


def _connect(target: str, uri: bool = False) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing stays half-open.
    return sqlite3.connect(target, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, uri=uri)


def _is_corrupt(error: sqlite3.Error) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in _CORRUPT_CODES
    return "malformed" in str(error) or "not a database" in str(error)


def _migrate(conn: sqlite3.Connection) -> None:
    """Bring the schema up to SCHEMA_VERSION in one transaction, the version bump inside it.
    The version is read under the write lock: another process may have just migrated."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        start = conn.execute("PRAGMA user_version").fetchone()[0]
        for version in range(start, SCHEMA_VERSION):
            for statement in MIGRATIONS[version].split(";"):
                if statement.strip():
                    conn.execute(statement)
        conn.execute(f"PRAGMA user_version = {max(start, SCHEMA_VERSION)}")
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise


def _remove_abandoned_drafts(database: Path) -> None:
    """``_create``'s temporary files left by a process killed while making the database (``.NAME.PID.new``
    whose process is gone); a live process's draft is its own."""
    for draft in database.parent.glob(f".{glob.escape(database.name)}.*.new"):
        pid = draft.name[len(database.name) + 2:-len(".new")]
        if pid.isdigit() and int(pid) != os.getpid() and not _running(int(pid)):
            draft.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError):
        return True  # someone else's process (or a number that is no pid): not ours to judge
    return True


def _create(database: Path) -> None:
    """Make a new database file whole, so no other process ever sees it half-made (empty, or
    without tables): build it under a temporary name, then link it into place."""
    temp = database.with_name(f".{database.name}.{os.getpid()}.new")
    conn = _connect(str(temp))
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        _migrate(conn)
    finally:
        conn.close()  # the last connection checkpoints: everything is in the file itself
    try:
        os.link(temp, database)
    except FileExistsError:
        pass  # another process created it first; use theirs
    except OSError:  # a file system without hard links
        if not database.exists():
            os.replace(temp, database)
    finally:
        temp.unlink(missing_ok=True)


def backup_copy(conn: sqlite3.Connection, folder: Path, stem: str, reason: str) -> Path:
    """Copy the open database with SQLite's backup API to `folder/<stem>-<reason>-<time>.sqlite3`."""
    folder.mkdir(parents=True, exist_ok=True)
    moment = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    target = folder / f"{stem}-{reason}-{moment}.sqlite3"
    copy = _connect(str(target))
    try:
        conn.backup(copy)
    except BaseException:
        copy.close()
        target.unlink(missing_ok=True)
        raise
    copy.close()
    return target


def move_aside(path: Path) -> Path:
    """Rename a corrupt database (and its -wal/-shm, renamed to match so SQLite can still
    open the pair for rescue) to `<name>.corrupt-<time>`. Nothing is deleted."""
    moment = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    aside = path.with_name(f"{path.name}.corrupt-{moment}")
    for suffix in ("-wal", "-shm"):
        sidecar = path.with_name(path.name + suffix)
        if sidecar.exists():
            sidecar.rename(aside.with_name(aside.name + suffix))
    path.rename(aside)
    return aside


class Store:
    """Progress of one learner. Open with `Store.open()`; check `warning` and tell the learner."""

    def __init__(self, conn: sqlite3.Connection, path: Path | None, backups: Path, read_only: bool = False):
        self._conn = conn
        self.path = path  # the file on disk (None: an in-memory store from the start)
        self.backups = backups
        self.read_only = read_only  # True: nothing reaches the file; the session runs in memory
        self._warning: tuple[str, dict] | None = None  # (a key of WARNINGS, its values), or None
        self.moved_aside: Path | None = None  # where a corrupt file went, if one did
        self.last_backup: Path | None = None  # the backup written before a migration, if one was

    # ---- opening -------------------------------------------------------------------------

    @classmethod
    def open(cls, path: str | os.PathLike | None = None) -> "Store":
        """Open (creating or migrating) the progress database. Never raises for a bad file:
        the problem is in `store.warning` and the store works in memory if it must."""
        where = paths(path)
        database = where.database
        store = cls(None, database, where.backups)  # type: ignore[arg-type]
        try:
            database.parent.mkdir(parents=True, exist_ok=True)
            store._conn = store._open_file(database)
        except _Corrupt as corrupt:
            try:
                store.moved_aside = move_aside(database)
                store._conn = store._open_file(database)
                store._warning = ("moved-aside", dict(database=database, problem=corrupt, aside=store.moved_aside))
            except (OSError, sqlite3.Error, _Corrupt) as error:
                store._go_memory("not-replaced", dict(database=database, problem=corrupt, error=error), copy=False)
        except _NewerSchema as newer:
            store._go_memory("newer", dict(database=database, version=newer.args[0], known=SCHEMA_VERSION))
        except (OSError, sqlite3.Error, StoreError) as error:
            store._go_memory("cannot-write", dict(database=database, error=error))
        return store

    @classmethod
    def in_memory(cls) -> "Store":
        """A store that saves nothing (tests, or when the caller wants no file at all)."""
        conn = _connect(":memory:")
        _migrate(conn)
        return cls(conn, None, Path("."), read_only=True)

    @property
    def warning(self) -> str | None:
        """What the learner must be told, in English; None when all is well."""
        return self.warning_in("en")

    def warning_in(self, lang: str) -> str | None:
        """The warning in ``lang`` ("ko" or "en"); the system's own error text stays as it came."""
        if self._warning is None:
            return None
        key, values = self._warning
        say = 1 if lang == "en" else 0
        message = WARNINGS[key][say].format(**values)
        return message + " " + WARNINGS["not-saved"][say] if self.read_only else message

    def _open_file(self, database: Path) -> sqlite3.Connection:
        # SQLite takes a zero-byte file for a valid empty database. Ours is never empty (`_create`
        # builds it whole), so something truncated it: say so and keep it, not start silently.
        _remove_abandoned_drafts(database)
        if not database.exists():
            _create(database)
        elif database.stat().st_size == 0:
            raise _Corrupt("the file is empty, 0 bytes")
        conn = _connect(str(database))
        try:
            try:
                problems = [row[0] for row in conn.execute("PRAGMA quick_check")]
            except sqlite3.DatabaseError as error:
                if _is_corrupt(error):
                    raise _Corrupt(str(error)) from None
                raise
            if problems != ["ok"]:
                raise _Corrupt("; ".join(problems[:3]))
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if version > SCHEMA_VERSION:
                raise _NewerSchema(version)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            if version < SCHEMA_VERSION:
                self.last_backup = backup_copy(conn, self.backups, database.stem, f"before-migration-v{version}")
                _migrate(conn)
            # A read-only file (or SQLite's read-only mode) only refuses the first write: try
            # one now, rolled back, so that the learner hears at once, not mid-lesson.
            conn.execute("BEGIN IMMEDIATE")
            try:
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
            finally:
                conn.execute("ROLLBACK")
            return conn
        except BaseException:
            conn.close()
            raise

    def _go_memory(self, key: str, values: dict, copy: bool = True) -> None:
        """From now on work in memory, starting from what the file holds if it can be read."""
        memory = _connect(":memory:")
        if copy and self.path is not None:
            self._copy_file_into(memory)
        if memory.execute("PRAGMA user_version").fetchone()[0] == 0:
            _migrate(memory)
        if self._conn is not None:
            self._conn.close()
        self._conn = memory
        self.read_only = True
        self._warning = (key, values)

    def _copy_file_into(self, memory: sqlite3.Connection) -> None:
        # mode=ro reads the WAL too; immutable=1 still works where the -shm cannot be created.
        for options in ("mode=ro", "mode=ro&immutable=1"):
            try:
                source = _connect(f"{self.path.resolve().as_uri()}?{options}", uri=True)
                try:
                    source.backup(memory)
                    return
                finally:
                    source.close()
            except (sqlite3.Error, OSError):
                continue

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # ---- writing -------------------------------------------------------------------------

    def _write(self, work: Callable[[sqlite3.Connection], object]) -> object:
        """Run `work` in one IMMEDIATE transaction, committed before returning. If the file
        fails us (disk full, read-only, damaged), carry on in memory and warn."""
        try:
            return self._transaction(work)
        except sqlite3.DatabaseError as error:
            if not (isinstance(error, sqlite3.OperationalError) or _is_corrupt(error)):
                raise  # a bug in this program, not a failing file: let the tests see it
            if self.read_only:  # already in memory: a write there failing is not worth a crash
                return None
            self._go_memory("save-failed", dict(database=self.path, error=error))
            return self._write(work)

    def _transaction(self, work: Callable[[sqlite3.Connection], object]) -> object:
        self._conn.execute("BEGIN IMMEDIATE")
        try:
            result = work(self._conn)
            self._conn.execute("COMMIT")
            return result
        except BaseException:
            if self._conn.in_transaction:
                self._conn.execute("ROLLBACK")
            raise

    def record_attempt(self, attempt: Attempt) -> int | None:
        """Store an attempt and update the problem's state; returns the attempt's id."""
        at = attempt.at or timestamp()

        def work(db: sqlite3.Connection) -> int:
            cursor = db.execute(
                "INSERT INTO attempts (pack, lesson, problem, seed, answer, correct, mistake,"
                " hints_used, seconds, at) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (attempt.pack, attempt.lesson, attempt.problem,
                 None if attempt.seed is None else int(attempt.seed),
                 # A lone surrogate (pasted from a broken terminal) cannot be stored as UTF-8.
                 attempt.answer.encode("utf-8", "replace").decode("utf-8"),
                 int(bool(attempt.correct)), attempt.mistake, attempt.hints_used,
                 float(attempt.seconds), at))
            _ensure_problem(db, attempt.pack, attempt.lesson, attempt.problem)
            # First try: the first attempt is right and the answer was not revealed before it.
            db.execute(
                "UPDATE problems SET attempts = attempts + 1,"
                " solved_first_try = CASE WHEN attempts = 0 AND NOT revealed THEN ? ELSE solved_first_try END,"
                " solved = MAX(solved, ?), hints_used = MAX(hints_used, ?), last_at = ?"
                " WHERE pack = ? AND lesson = ? AND problem = ?",
                (int(bool(attempt.correct)), int(bool(attempt.correct)), attempt.hints_used, at,
                 attempt.pack, attempt.lesson, attempt.problem))
            return cursor.lastrowid

        return self._write(work)

    def record_hint(self, pack: str, lesson: str, problem: str, hints_used: int) -> None:
        """The learner has now seen `hints_used` hints of this problem."""

        def work(db: sqlite3.Connection) -> None:
            _ensure_problem(db, pack, lesson, problem)
            db.execute("UPDATE problems SET hints_used = MAX(hints_used, ?), last_at = ?"
                       " WHERE pack = ? AND lesson = ? AND problem = ?",
                       (hints_used, timestamp(), pack, lesson, problem))

        self._write(work)

    def mark_revealed(self, pack: str, lesson: str, problem: str) -> None:
        """The learner asked to see the answer."""

        def work(db: sqlite3.Connection) -> None:
            _ensure_problem(db, pack, lesson, problem)
            db.execute("UPDATE problems SET revealed = 1, last_at = ?"
                       " WHERE pack = ? AND lesson = ? AND problem = ?", (timestamp(), pack, lesson, problem))

        self._write(work)

    def set_position(self, pack: str, lesson: str, problem: str | None = None) -> None:
        """Where the learner is now (the app calls this when they open a lesson). Only this moves
        it: a quiz records attempts too, and must not move the lesson the app resumes at."""
        self._write(lambda db: _set_position(db, pack, lesson, problem, timestamp()))

    def note_lesson(self, pack: str, lesson: str, content_hash: str, problem_count: int) -> bool:
        """Remember a lesson's content hash and size. Returns True when the lesson was seen
        before with different content (progress is kept; the app may tell the learner)."""

        def work(db: sqlite3.Connection) -> bool:
            row = db.execute("SELECT content_hash FROM lessons WHERE pack = ? AND lesson = ?",
                             (pack, lesson)).fetchone()
            changed = row is not None and row[0] is not None and row[0] != content_hash
            db.execute(
                "INSERT INTO lessons (pack, lesson, content_hash, problem_count) VALUES (?,?,?,?)"
                " ON CONFLICT (pack, lesson) DO UPDATE SET content_hash = excluded.content_hash,"
                " problem_count = excluded.problem_count",
                (pack, lesson, content_hash, problem_count))
            if changed:
                db.execute("UPDATE lessons SET changed_at = ? WHERE pack = ? AND lesson = ?",
                           (timestamp(), pack, lesson))
            return changed

        return bool(self._write(work))

    def complete_lesson(self, pack: str, lesson: str) -> None:
        """Mark a lesson finished (the first completion time is kept)."""
        self._write(lambda db: db.execute(
            "INSERT INTO lessons (pack, lesson, completed_at) VALUES (?,?,?)"
            " ON CONFLICT (pack, lesson) DO UPDATE SET"
            " completed_at = COALESCE(completed_at, excluded.completed_at)",
            (pack, lesson, timestamp())))

    def set_review(self, pack: str, lesson: str, problem: str, box: int, due: str | None) -> None:
        """Store the quiz's Leitner box and due time (see `timestamp`); the policy is the quiz's."""

        def work(db: sqlite3.Connection) -> None:
            _ensure_problem(db, pack, lesson, problem)
            db.execute("UPDATE problems SET box = ?, due = ? WHERE pack = ? AND lesson = ? AND problem = ?",
                       (box, due, pack, lesson, problem))

        self._write(work)

    def reset(self, lesson: str | None = None, pack: str | None = None) -> Path | None:
        """Forget progress (one lesson, or everything; one pack, or all) after writing a backup.
        Returns the backup's path (None when saving is off). Raises StoreError when the backup
        cannot be written; then nothing is deleted."""
        backup = None
        if not self.read_only:
            try:
                backup = backup_copy(self._conn, self.backups, self.path.stem,
                                     "before-reset" if lesson is None else f"before-reset-{_safe(lesson)}")
            except (OSError, sqlite3.Error) as error:
                raise StoreError(f"could not write a backup to {self.backups} ({error}); "
                                 "nothing was deleted") from None
        where, args = _and({"lesson = ?": lesson, "pack = ?": pack})

        def work(db: sqlite3.Connection) -> None:
            for table in ("attempts", "problems", "lessons", "positions"):
                db.execute(f"DELETE FROM {table} WHERE 1{where}", args)

        self._write(work)
        return backup

    # ---- reading -------------------------------------------------------------------------

    def problem_state(self, pack: str, lesson: str, problem: str) -> ProblemState:
        row = self._conn.execute(
            "SELECT solved, solved_first_try, revealed, attempts, hints_used, box, due FROM problems"
            " WHERE pack = ? AND lesson = ? AND problem = ?", (pack, lesson, problem)).fetchone()
        return _problem_state(row) if row else ProblemState()

    def problem_states(self, pack: str, lesson: str) -> dict[str, ProblemState]:
        """Every problem of a lesson that has any state, by problem id."""
        rows = self._conn.execute(
            "SELECT problem, solved, solved_first_try, revealed, attempts, hints_used, box, due"
            " FROM problems WHERE pack = ? AND lesson = ?", (pack, lesson))
        return {row[0]: _problem_state(row[1:]) for row in rows}

    def first_unsolved(self, pack: str, lesson: str, problem_ids: list[str]) -> str | None:
        """The first of `problem_ids` (in lesson order) not solved yet; None if all are."""
        states = self.problem_states(pack, lesson)
        return next((pid for pid in problem_ids if not states.get(pid, ProblemState()).solved), None)

    def last_position(self, pack: str) -> tuple[str, str | None] | None:
        """(lesson, problem) the learner last worked on in this pack, or None."""
        row = self._conn.execute("SELECT lesson, problem FROM positions WHERE pack = ?", (pack,)).fetchone()
        return (row[0], row[1]) if row else None

    def review_state(self, pack: str, lesson: str, problem: str) -> tuple[int, str | None]:
        state = self.problem_state(pack, lesson, problem)
        return state.box, state.due

    def reviews(self, pack: str | None = None, due_by: str | None = None) -> list[ReviewItem]:
        """Problems with a review due time, earliest first; `due_by` keeps those due by then."""
        where, args = _and({"pack = ?": pack, "due <= ?": due_by})
        query = "SELECT pack, lesson, problem, box, due FROM problems WHERE due IS NOT NULL" + where
        return [ReviewItem(*row) for row in self._conn.execute(query + " ORDER BY due, rowid", args)]

    def lesson_summary(self, pack: str | None = None) -> list[LessonSummary]:
        """One summary per lesson that has any record, ordered by pack and lesson id."""
        query = """
            WITH keys AS (SELECT pack, lesson FROM lessons UNION SELECT pack, lesson FROM problems),
            per_problem AS (
                SELECT pack, lesson, SUM(solved) AS solved, SUM(attempts > 0) AS attempted,
                       SUM(solved_first_try) AS first_try, SUM(attempts) AS attempts
                FROM problems GROUP BY pack, lesson),
            last AS (SELECT pack, lesson, MAX(at) AS at FROM attempts GROUP BY pack, lesson)
            SELECT k.pack, k.lesson, COALESCE(p.solved, 0), COALESCE(p.attempted, 0),
                   COALESCE(p.first_try, 0), l.problem_count, COALESCE(p.attempts, 0),
                   last.at, l.completed_at, l.changed_at, l.content_hash
            FROM keys k
            LEFT JOIN per_problem p USING (pack, lesson)
            LEFT JOIN lessons l USING (pack, lesson)
            LEFT JOIN last USING (pack, lesson)
            WHERE 1"""
        where, args = _and({"k.pack = ?": pack})
        query += where
        return [LessonSummary(*row) for row in self._conn.execute(query + " ORDER BY k.pack, k.lesson", args)]

    def attempts(self, pack: str | None = None, lesson: str | None = None) -> list[Attempt]:
        """Every stored attempt, oldest first (for export)."""
        where, args = _and({"pack = ?": pack, "lesson = ?": lesson})
        query = f"SELECT {', '.join(ATTEMPT_FIELDS)} FROM attempts WHERE 1" + where
        rows = self._conn.execute(query + " ORDER BY id", args)
        return [_attempt(row) for row in rows]

    def quick_check(self) -> list[str]:
        """SQLite's `PRAGMA quick_check`: ['ok'] for a healthy database."""
        return [row[0] for row in self._conn.execute("PRAGMA quick_check")]


class _Corrupt(Exception):
    pass


class _NewerSchema(Exception):
    pass


def _ensure_problem(db: sqlite3.Connection, pack: str, lesson: str, problem: str) -> None:
    db.execute("INSERT OR IGNORE INTO problems (pack, lesson, problem) VALUES (?,?,?)", (pack, lesson, problem))


def _set_position(db: sqlite3.Connection, pack: str, lesson: str, problem: str | None, at: str) -> None:
    db.execute("INSERT INTO positions (pack, lesson, problem, at) VALUES (?,?,?,?)"
               " ON CONFLICT (pack) DO UPDATE SET lesson = excluded.lesson, problem = excluded.problem,"
               " at = excluded.at", (pack, lesson, problem, at))


def _problem_state(row) -> ProblemState:
    solved, first_try, revealed, attempts, hints, box, due = row
    return ProblemState(bool(solved), bool(first_try), bool(revealed), attempts, hints, box, due)


def _attempt(row) -> Attempt:
    values = dict(zip(ATTEMPT_FIELDS, row))
    values["correct"] = bool(values["correct"])
    return Attempt(**values)


def _safe(text: str) -> str:
    """A lesson id fit for a file name (ids are [a-z0-9-]+, but the store does not rely on it)."""
    return "".join(c if c.isalnum() or c == "-" else "_" for c in text)[:60]
