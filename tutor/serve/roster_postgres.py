"""The roster in the class's PostgreSQL database, beside its progress, with its own SQL: one roster for
every `tutor serve` host of the class, so a join link and a session cookie work on any of them.

The tables (class_learners, class_sessions, class_settings) are made under an advisory lock, so that
hosts starting at once do not race. One connection, opened again when the server went away and came
back. psycopg comes with the `class` extra and is imported only for such a class.
"""

from __future__ import annotations

import contextlib
import secrets

try:
    import psycopg
except ImportError:  # pragma: no cover - said by Classroom.open
    raise ImportError("a class in PostgreSQL needs psycopg: pip install '.[class]'") from None

from .roster import Roster, RosterUnavailable

SCHEMA_LOCK = 0x636C617373  # pg_advisory_xact_lock key: "class" in ASCII
CONNECT_TIMEOUT_SECONDS = 5
SCHEMA = [
    """CREATE TABLE IF NOT EXISTS class_learners (
        name       TEXT PRIMARY KEY,
        name_key   TEXT NOT NULL UNIQUE,
        selector   TEXT NOT NULL UNIQUE,
        token_hash TEXT NOT NULL,
        added_at   TEXT NOT NULL,
        last_join  TEXT
    )""",
    """CREATE TABLE IF NOT EXISTS class_sessions (
        selector   TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL,
        learner    TEXT NOT NULL REFERENCES class_learners (name) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS class_sessions_by_learner ON class_sessions (learner)",
    "CREATE TABLE IF NOT EXISTS class_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
]

SQL = {
    "learner_by_key": "SELECT name FROM class_learners WHERE name_key = %s",
    "add_learner": "INSERT INTO class_learners (name, name_key, selector, token_hash, added_at) "
                   "VALUES (%s, %s, %s, %s, %s)",
    "learners": "SELECT name, added_at, last_join FROM class_learners ORDER BY name_key, name",
    "remove_learner": "DELETE FROM class_learners WHERE name = %s",
    "set_token": "UPDATE class_learners SET selector = %s, token_hash = %s WHERE name = %s",
    "learner_by_selector": "SELECT name, token_hash FROM class_learners WHERE selector = %s",
    "note_join": "UPDATE class_learners SET last_join = %s WHERE name = %s",
    "drop_expired_sessions": "DELETE FROM class_sessions WHERE expires_at < %s",
    "add_session": "INSERT INTO class_sessions (selector, token_hash, learner, created_at, expires_at) "
                   "VALUES (%s, %s, %s, %s, %s)",
    "session_by_selector": "SELECT learner, token_hash FROM class_sessions WHERE selector = %s AND expires_at >= %s",
    "setting": "SELECT value FROM class_settings WHERE key = %s",
    "set_setting": "INSERT INTO class_settings (key, value) VALUES (%s, %s) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    "new_class_id": "INSERT INTO class_settings (key, value) VALUES ('class_id', %s) ON CONFLICT DO NOTHING",
}


class PostgresRoster(Roster):
    SQL = SQL

    def __init__(self, url: str):
        """``url``: the revealed connection URL (its password, if any, never leaves this object)."""
        self._url = url
        self._conn: psycopg.Connection | None = None
        with self.transaction() as run:
            run.cursor.execute("SELECT pg_advisory_xact_lock(%s)", (SCHEMA_LOCK,))
            for statement in SCHEMA:
                run.cursor.execute(statement)
            run("new_class_id", secrets.token_hex(8))
        self.class_id = self.setting("class_id")

    def _connection(self) -> psycopg.Connection:
        if self._conn is None or self._conn.closed or self._conn.broken:
            self._conn = psycopg.connect(self._url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_SECONDS,
                                         application_name="backprop-tutor class")
        return self._conn

    @contextlib.contextmanager
    def transaction(self):
        """One transaction on the connection, opened again first if the server went away meanwhile."""
        try:
            connection = self._connection()
            with connection.transaction(), connection.cursor() as cursor:
                yield _Runner(cursor)
        except (psycopg.OperationalError, psycopg.InterfaceError) as gone:
            raise RosterUnavailable(str(gone)) from None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()


class _Runner:
    def __init__(self, cursor):
        self.cursor = cursor

    def __call__(self, name: str, *values):
        self.cursor.execute(SQL[name], values)
        return self.cursor
