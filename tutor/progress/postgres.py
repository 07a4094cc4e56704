"""The PostgreSQL backend (psycopg 3, the optional extra `class`): a class's progress in one server
database, chosen by a `postgresql://` URL. Imported only when such a URL is given.

The schema version lives in the table `tutor_schema`; migrations (sql/postgres/NNN-*.sql) run in one
transaction under an advisory lock, so that hosts starting at once do not race. A lost connection
is opened again on the next use; until the server answers, the store keeps writes in its outbox.
Statements: sql/postgres/queries.sql. The URL's password stays inside a `Secret`.
"""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path

try:
    import psycopg
    from psycopg.conninfo import conninfo_to_dict
except ImportError:  # pragma: no cover - the message is tested through Store.open
    raise ImportError("a postgresql:// database needs psycopg: pip install 'backprop-tutor[class]'") from None

from .backend import REPORT_STATEMENTS, SQL_DIR, TABLES, Backend, Unavailable, Unwritable, read_migrations, read_queries
from .target import Secret, redact

QUERIES = read_queries(SQL_DIR / "postgres" / "queries.sql")
MIGRATIONS = read_migrations(SQL_DIR / "postgres")
CONNECT_TIMEOUT_SECONDS = 5  # unless the URL says otherwise: an unreachable host must not hang the app
MIGRATION_LOCK = 0x7475746F72  # pg_advisory_xact_lock key: "tutor" in ASCII

# What a server going away raises: OperationalError (refused, shut down, disk full, a conflict), and
# InterfaceError for a connection that closed under us.
_GONE = (psycopg.OperationalError, psycopg.InterfaceError)

VERSION_TABLE = """
    CREATE TABLE IF NOT EXISTS tutor_schema (
        one     BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (one),
        version INTEGER NOT NULL
    )"""


def schema_version() -> int:
    return len(MIGRATIONS)


class PostgresBackend(Backend):
    kind = "postgresql"

    def __init__(self, url: Secret, backups: Path, read_only: bool = False):
        self._url = url
        self._read_only = read_only  # reports: the server refuses any write on this connection
        self.shown = str(url)
        self.key = self.shown
        self.backups = backups
        self._conn: psycopg.Connection | None = None

    @property
    def schema_version(self) -> int:
        return schema_version()

    def _connection(self) -> psycopg.Connection:
        if self._conn is not None and not self._conn.closed and not self._conn.broken:
            return self._conn
        self._drop()
        try:
            options = conninfo_to_dict(self._url.reveal())
            extra = {"application_name": "backprop-tutor"} if "application_name" not in options else {}
            if "connect_timeout" not in options:
                extra["connect_timeout"] = CONNECT_TIMEOUT_SECONDS
            if self._read_only:
                extra["options"] = (options.get("options", "") + " -c default_transaction_read_only=on").strip()
            self._conn = psycopg.connect(self._url.reveal(), autocommit=True, **extra)
        except psycopg.Error as error:  # a bad URL, a refused login, a server not there
            raise Unavailable(_said(error)) from None
        return self._conn

    def _drop(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            except psycopg.Error:
                pass
        self._conn = None

    # ---- opening -------------------------------------------------------------------------

    def open(self, learner: str) -> tuple[str, dict] | None:
        conn = self._connection()
        try:
            version = self._version(conn)
            if version < schema_version():
                with conn.transaction():
                    conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
                    conn.execute(VERSION_TABLE)
                    version = self._version(conn)  # under the lock: another host may have just migrated
                    for migration in MIGRATIONS[version:]:
                        conn.execute(migration)
                    conn.execute("INSERT INTO tutor_schema (version) VALUES (%(v)s)"
                                 " ON CONFLICT (one) DO UPDATE SET version = GREATEST(tutor_schema.version, %(v)s)",
                                 {"v": schema_version()})
                version = max(version, schema_version())
        except psycopg.OperationalError as error:
            self._drop()
            raise Unavailable(_said(error)) from None
        except psycopg.Error as error:  # a migration that fails: nothing of it stays
            raise Unwritable("cannot-write", dict(database=self.shown, error=_said(error))) from None
        if version > schema_version():
            raise Unwritable("newer", dict(database=self.shown, version=version, known=schema_version()))
        return None

    @staticmethod
    def _version(conn: psycopg.Connection) -> int:
        exists = conn.execute("SELECT to_regclass('tutor_schema') IS NOT NULL").fetchone()[0]
        if not exists:
            return 0
        row = conn.execute("SELECT version FROM tutor_schema").fetchone()
        return row[0] if row else 0

    # ---- running statements ------------------------------------------------------------------

    @contextmanager
    def transaction(self, patient: bool = True):
        conn = self._connection()

        def run(name: str, **params) -> list[tuple]:
            cursor = conn.execute(QUERIES[name], params)
            return cursor.fetchall() if cursor.description else []

        try:
            with conn.transaction():
                yield run
        except _GONE as error:
            raise self._failure(error) from None

    def read(self, name: str, **params) -> list[tuple]:
        conn = self._connection()
        try:
            return conn.execute(QUERIES[name], params).fetchall()
        except _GONE as error:
            raise self._failure(error) from None

    def ping(self) -> None:
        try:
            self._connection().execute("SELECT 1")
        except _GONE as error:
            raise self._failure(error) from None

    def _failure(self, error: psycopg.Error) -> Unavailable:
        """The server went away, restarted, or refused for now: try again. A connection lost mid-way
        is worth one more try at once (the server may be back already); a conflict with another
        transaction too."""
        lost = self._conn is None or self._conn.broken or self._conn.closed
        if lost:
            self._drop()
        return Unavailable(_said(error), soon=lost or isinstance(error, psycopg.errors.TransactionRollbackError))

    # ---- copies ----------------------------------------------------------------------------

    def export(self, learner: str | None) -> dict[str, list[tuple]]:
        return self._read_all({table: f"dump_{table}" for table in TABLES},
                              {"learner": learner, "everyone": learner is None})

    def report_rows(self, since: str) -> dict[str, list[tuple]]:
        return self._read_all(REPORT_STATEMENTS, {"learner": None, "everyone": True, "since": since})

    def _read_all(self, statements: dict[str, str], params: dict) -> dict[str, list[tuple]]:
        """{key: the rows of its statement}, all in one transaction (one moment of the database)."""
        try:
            with self.transaction() as run:
                return {key: run(name, **params) for key, name in statements.items()}
        except psycopg.Error as error:  # a newer schema this program cannot read
            raise Unavailable(_said(error)) from None

    def backup(self, learner: str, reason: str) -> Path:
        from .sqlite import write_copy

        stem = conninfo_to_dict(self._url.reveal()).get("dbname") or "postgresql"
        return write_copy(self.export(learner), self.backups, _file_safe(stem), reason, learner)

    def quick_check(self) -> list[str]:
        self.ping()
        return ["ok"]

    def close(self) -> None:
        self._drop()


def _said(error: psycopg.Error) -> str:
    """The server's or libpq's message, its first line (the next ones are advice for a DBA), without a
    password."""
    return redact(" ".join((str(error).strip().splitlines() or [""])[0].split()))


def _file_safe(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in text)[:60]
