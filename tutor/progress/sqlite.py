"""The SQLite backend (standard library `sqlite3`): one file, the embedded default for one learner.

Every transaction is committed and fsynced (WAL with `synchronous=FULL`) before it returns, so a
killed process loses at most the write it was making. A new file is built whole under a temporary
name and linked into place; a migration writes a backup first and runs in one transaction, the
version (`PRAGMA user_version`) read under the write lock; a corrupt file is moved aside as
`*.corrupt-<time>` (never deleted) and a fresh one started. Statements: sql/sqlite/queries.sql;
migrations: sql/sqlite/NNN-*.sql.
"""

from __future__ import annotations

import errno
import glob
import os
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

from .backend import REPORT_STATEMENTS, SQL_DIR, TABLES, Backend, Unavailable, Unwritable, read_migrations, read_queries

# Each try waits this long for another writer's lock; the store tries again with backoff, then
# keeps the write in the outbox.
BUSY_TIMEOUT_SECONDS = 1.0
QUICK_BUSY_TIMEOUT_SECONDS = 0.05  # a look whether waiting writes can go yet, between a learner's answers

QUERIES = read_queries(SQL_DIR / "sqlite" / "queries.sql")
MIGRATIONS = read_migrations(SQL_DIR / "sqlite")

# SQLite's primary result codes (sqlite3.Error.sqlite_errorcode & 0xFF).
_BUSY = {5, 6}  # SQLITE_BUSY, SQLITE_LOCKED: another process holds the lock
_PASSING = _BUSY | {10, 13, 15}  # and SQLITE_IOERR, SQLITE_FULL, SQLITE_PROTOCOL: may work later
_CORRUPT = {11, 26}  # SQLITE_CORRUPT, SQLITE_NOTADB
_PASSING_ERRNOS = {errno.ENOSPC, errno.EFBIG, errno.EIO, errno.EDQUOT, errno.EAGAIN}


def schema_version() -> int:
    return len(MIGRATIONS)


def _connect(target: str, uri: bool = False) -> sqlite3.Connection:
    # isolation_level=None: we issue BEGIN/COMMIT ourselves, so nothing stays half-open.
    return sqlite3.connect(target, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None, uri=uri)


def _code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def _is_corrupt(error: sqlite3.Error) -> bool:
    code = _code(error)
    if code is not None:
        return code in _CORRUPT
    return "malformed" in str(error) or "not a database" in str(error)


def _passing(error: BaseException) -> bool:
    """Whether the failure may go away by itself (a lock, a full disk, an I/O error)."""
    if isinstance(error, OSError):
        return error.errno in _PASSING_ERRNOS
    return isinstance(error, sqlite3.Error) and _code(error) in _PASSING


def _statements(script: str) -> list[str]:
    """The statements of a migration, split where SQLite says one is complete (a ';' in a comment
    or a string does not end one); comments alone are no statement."""
    statements, buffer = [], ""
    for piece in script.split(";"):
        buffer += piece + ";"
        if sqlite3.complete_statement(buffer):
            if "".join(line for line in buffer.splitlines() if not line.lstrip().startswith("--")).strip(" \n;"):
                statements.append(buffer)
            buffer = ""
    return statements


def _migrate(conn: sqlite3.Connection, learner: str) -> None:
    """Bring the schema up to date in one transaction, the version bump inside it. The version is
    read under the write lock: another process may have just migrated. Rows of a file from before
    learners (schema 1) become `learner`'s."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        start = conn.execute("PRAGMA user_version").fetchone()[0]
        for version in range(start, schema_version()):
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement, {"learner": learner})
        conn.execute(f"PRAGMA user_version = {max(start, schema_version())}")
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


def _create(database: Path, learner: str) -> None:
    """Make a new database file whole, so no other process ever sees it half-made (empty, or
    without tables): build it under a temporary name, then link it into place."""
    temp = database.with_name(f".{database.name}.{os.getpid()}.new")
    try:
        conn = _connect(str(temp))
        try:
            conn.execute("PRAGMA journal_mode = WAL")
            _migrate(conn, learner)
        finally:
            conn.close()  # the last connection checkpoints: everything is in the file itself
        try:
            os.link(temp, database)
        except FileExistsError:
            pass  # another process created it first; use theirs
        except OSError as error:  # a file system without hard links
            if error.errno in _PASSING_ERRNOS:
                raise
            if not database.exists():
                os.replace(temp, database)
    finally:
        temp.unlink(missing_ok=True)


def backup_copy(conn: sqlite3.Connection, folder: Path, stem: str, reason: str) -> Path:
    """Copy the open database with SQLite's backup API to `folder/<stem>-<reason>-<time>.sqlite3`."""
    target = _backup_path(folder, stem, reason)
    copy = _connect(str(target))
    try:
        conn.backup(copy)
    except BaseException:
        copy.close()
        target.unlink(missing_ok=True)
        raise
    copy.close()
    return target


def _backup_path(folder: Path, stem: str, reason: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{stem}-{reason}-{datetime.now(timezone.utc):%Y%m%dT%H%M%S%fZ}.sqlite3"


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


class _Corrupt(Exception):
    pass


class SqliteBackend(Backend):
    kind = "sqlite"

    def __init__(self, path: Path | None, backups: Path):
        self.path = path  # None: in memory
        self.shown = str(path) if path is not None else ":memory:"
        self.key = str(path.resolve()) if path is not None else ":memory:"
        self.backups = backups
        self.moved_aside: Path | None = None  # where a corrupt file went, if one did
        self.last_backup: Path | None = None  # the backup written before a migration, if one was
        self._conn: sqlite3.Connection | None = None
        self._busy_timeout = BUSY_TIMEOUT_SECONDS

    @classmethod
    def memory(cls) -> "SqliteBackend":
        return cls(None, Path("."))

    @property
    def schema_version(self) -> int:
        return schema_version()

    # ---- opening -------------------------------------------------------------------------

    def open(self, learner: str) -> tuple[str, dict] | None:
        if self.path is None:
            self._conn = _connect(":memory:")
            _migrate(self._conn, learner)
            return None
        database = self.path
        try:
            database.parent.mkdir(parents=True, exist_ok=True)
            self._conn = self._open_file(database, learner)
            return None
        except _Corrupt as corrupt:
            try:
                self.moved_aside = move_aside(database)
                self._conn = self._open_file(database, learner)
                return "moved-aside", dict(database=database, problem=corrupt, aside=self.moved_aside)
            except (OSError, sqlite3.Error, _Corrupt) as error:
                raise Unwritable("not-replaced", dict(database=database, problem=corrupt, error=error)) from None
        except _NewerSchema as newer:
            raise Unwritable("newer", dict(database=database, version=newer.args[0], known=schema_version())) from None
        except (OSError, sqlite3.Error) as error:
            if _passing(error):
                raise Unavailable(str(error), soon=_code(error) in _BUSY) from None
            raise Unwritable("cannot-write", dict(database=database, error=error)) from None

    def _open_file(self, database: Path, learner: str) -> sqlite3.Connection:
        # SQLite takes a zero-byte file for a valid empty database. Ours is never empty (`_create`
        # builds it whole), so something truncated it: say so and keep it, not start silently.
        _remove_abandoned_drafts(database)
        if not database.exists():
            _create(database, learner)
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
            if version > schema_version():
                raise _NewerSchema(version)
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")
            if version < schema_version():
                self.last_backup = backup_copy(conn, self.backups, database.stem, f"before-migration-v{version}")
                _migrate(conn, learner)
            # A read-only file (or SQLite's read-only mode) only refuses the first write: try
            # one now, rolled back, so that the learner hears at once, not mid-lesson. A lock
            # held by another writer is no such problem: the file is writable, only busy.
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as error:
                if _code(error) not in _BUSY:
                    raise
            else:
                try:
                    conn.execute(f"PRAGMA user_version = {schema_version()}")
                finally:
                    conn.execute("ROLLBACK")
            return conn
        except BaseException:
            conn.close()
            raise

    # ---- running statements ------------------------------------------------------------------

    def _run(self, name: str, **params) -> list[tuple]:
        return self._conn.execute(QUERIES[name], params).fetchall()

    @contextmanager
    def transaction(self, patient: bool = True):
        conn = self._conn
        try:
            wait = BUSY_TIMEOUT_SECONDS if patient else QUICK_BUSY_TIMEOUT_SECONDS
            if wait != self._busy_timeout:
                conn.execute(f"PRAGMA busy_timeout = {int(wait * 1000)}")
                self._busy_timeout = wait
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self._run
                conn.execute("COMMIT")
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
        except (sqlite3.OperationalError, sqlite3.DatabaseError) as error:
            raise self._failure(error) from None

    def read(self, name: str, **params) -> list[tuple]:
        try:
            return self._run(name, **params)
        except (sqlite3.OperationalError, sqlite3.DatabaseError) as error:
            raise self._failure(error) from None

    def ping(self) -> None:
        self.read("learners")

    @staticmethod
    def _failure(error: sqlite3.Error) -> Exception:
        """A failing file (full, locked, unreadable, damaged, made read-only) is Unavailable: the write
        waits and is tried again. Anything else is a bug in this program: let the tests see it."""
        if _passing(error) or _is_corrupt(error) or _code(error) in (8, 14):  # SQLITE_READONLY, SQLITE_CANTOPEN
            return Unavailable(str(error), soon=_code(error) in _BUSY)
        return error

    # ---- copies ----------------------------------------------------------------------------

    def export(self, learner: str | None) -> dict[str, list[tuple]]:
        params = {"learner": learner, "everyone": learner is None}
        return self._read_all({table: f"dump_{table}" for table in TABLES}, params)

    def report_rows(self, since: str) -> dict[str, list[tuple]]:
        return self._read_all(REPORT_STATEMENTS, {"learner": None, "everyone": True, "since": since})

    def _read_all(self, statements: dict[str, str], params: dict) -> dict[str, list[tuple]]:
        """{key: the rows of its statement}: on the open connection, else on a read-only one that
        leaves the file as it is (a report, or a copy of a file this program cannot write)."""
        if self._conn is not None:
            return {key: self.read(name, **params) for key, name in statements.items()}
        if self.path is None or not self.path.exists():
            return {key: [] for key in statements}
        # A file in use (its -wal beside it) is read with mode=ro, which reads the WAL too, through the
        # files its writer made. One nobody has open is read as it stands with immutable=1, which makes
        # no -wal or -shm beside it (a report must leave a class folder as it found it); each is also
        # the other's fallback (immutable=1 works where a -shm cannot be made).
        in_use = self.path.with_name(self.path.name + "-wal").exists()
        for options in ("mode=ro", "mode=ro&immutable=1") if in_use else ("mode=ro&immutable=1", "mode=ro"):
            try:
                source = _connect(f"{self.path.resolve().as_uri()}?{options}", uri=True)
                try:
                    return {key: source.execute(QUERIES[name], params).fetchall() for key, name in statements.items()}
                finally:
                    source.close()
            except (sqlite3.Error, OSError):
                continue
        raise Unavailable(f"cannot read {self.path}")

    def load(self, rows: dict[str, list[tuple]]) -> None:
        """Insert rows as `export` gives them (into a new, empty database)."""
        with self.transaction():
            for table in TABLES:
                self._conn.executemany(QUERIES[f"load_{table}"], rows[table])

    def backup(self, learner: str, reason: str) -> Path:
        try:
            return backup_copy(self._conn, self.backups, self.path.stem, reason)
        except sqlite3.Error as error:
            raise OSError(str(error)) from None

    def quick_check(self) -> list[str]:
        return [row[0] for row in self._conn.execute("PRAGMA quick_check")]

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()


def write_copy(rows: dict[str, list[tuple]], folder: Path, stem: str, reason: str, learner: str) -> Path:
    """A new SQLite progress file holding `rows` (another backend's backup before a reset)."""
    target = _backup_path(folder, stem, reason)
    copy = SqliteBackend(target, folder)
    try:
        copy.open(learner)
        copy.load(rows)
    except (Unavailable, Unwritable, sqlite3.Error) as error:
        copy.close()
        target.unlink(missing_ok=True)
        raise OSError(str(error)) from None
    copy.close()
    return target


class _NewerSchema(Exception):
    pass
