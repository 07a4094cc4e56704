"""The roster in one SQLite file in the class folder (``class.sqlite3``), with its own SQL.

Each call is one short transaction (WAL, ``synchronous=FULL``): `tutor class add` in a terminal and a
running `tutor serve` share the file, and a learner added while the class runs can join at once.
"""

from __future__ import annotations

import contextlib
import secrets
import sqlite3
from pathlib import Path

from .roster import Roster

MIGRATIONS = [
    """
    CREATE TABLE learners (
        name       TEXT PRIMARY KEY,
        name_key   TEXT NOT NULL UNIQUE,
        selector   TEXT NOT NULL UNIQUE,
        token_hash TEXT NOT NULL,
        added_at   TEXT NOT NULL,
        last_join  TEXT
    );
    CREATE TABLE sessions (
        selector   TEXT PRIMARY KEY,
        token_hash TEXT NOT NULL,
        learner    TEXT NOT NULL REFERENCES learners (name) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
    );
    CREATE INDEX sessions_by_learner ON sessions (learner);
    CREATE TABLE settings (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
]

SQL = {
    "learner_by_key": "SELECT name FROM learners WHERE name_key = ?",
    "add_learner": "INSERT INTO learners (name, name_key, selector, token_hash, added_at) VALUES (?, ?, ?, ?, ?)",
    "learners": "SELECT name, added_at, last_join FROM learners ORDER BY name_key, name",
    "remove_learner": "DELETE FROM learners WHERE name = ?",
    "set_token": "UPDATE learners SET selector = ?, token_hash = ? WHERE name = ?",
    "learner_by_selector": "SELECT name, token_hash FROM learners WHERE selector = ?",
    "note_join": "UPDATE learners SET last_join = ? WHERE name = ?",
    "drop_expired_sessions": "DELETE FROM sessions WHERE expires_at < ?",
    "add_session": "INSERT INTO sessions (selector, token_hash, learner, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
    "session_by_selector": "SELECT learner, token_hash FROM sessions WHERE selector = ? AND expires_at >= ?",
    "setting": "SELECT value FROM settings WHERE key = ?",
    "set_setting": "INSERT INTO settings (key, value) VALUES (?, ?) "
                   "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
    "new_class_id": "INSERT OR IGNORE INTO settings (key, value) VALUES ('class_id', ?)",
}


class SqliteRoster(Roster):
    SQL = SQL

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        # check_same_thread off: the server calls the roster from worker threads, one call at a time
        self.db = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        with self.transaction() as run:
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            for migration in MIGRATIONS[version:]:
                for statement in migration.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
            run("new_class_id", secrets.token_hex(8))
        self.class_id = self.setting("class_id")

    @contextlib.contextmanager
    def transaction(self):
        """``BEGIN IMMEDIATE`` … ``COMMIT`` (``ROLLBACK`` on an exception): the connection runs in
        autocommit mode, so each call is its own transaction."""
        self.db.execute("BEGIN IMMEDIATE")
        try:
            yield lambda name, *values: self.db.execute(self.SQL[name], values)
        except BaseException:
            self.db.execute("ROLLBACK")
            raise
        self.db.execute("COMMIT")

    def close(self) -> None:
        self.db.close()
