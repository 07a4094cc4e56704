"""The roster in one SQLite file in the class folder (``class.sqlite3``), with its own SQL.

Each call is one short transaction (WAL, ``synchronous=FULL``): `tutor class add` in a terminal and a
running `tutor serve` share the file, and a learner added while the class runs can join at once.
"""

from __future__ import annotations

import secrets
import sqlite3
from datetime import datetime, timedelta, timezone
from pathlib import Path

from .roster import (SESSION_DAYS, BadName, Learner, check_name, digest, name_key, new_token, split_token,
                     validator_matches)

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


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


class SqliteRoster:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        # check_same_thread off: the server calls the roster from worker threads, one call at a time
        self.db = sqlite3.connect(path, isolation_level=None, timeout=10, check_same_thread=False)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.execute("PRAGMA foreign_keys=ON")
        with self._transaction():
            version = self.db.execute("PRAGMA user_version").fetchone()[0]
            for migration in MIGRATIONS[version:]:
                for statement in migration.split(";"):
                    if statement.strip():
                        self.db.execute(statement)
            self.db.execute(f"PRAGMA user_version = {len(MIGRATIONS)}")
            self.db.execute("INSERT OR IGNORE INTO settings (key, value) VALUES ('class_id', ?)",
                            (secrets.token_hex(8),))
        self.class_id = self.setting("class_id")

    def _transaction(self):
        return _Transaction(self.db)

    def close(self) -> None:
        self.db.close()

    # ---- learners ---------------------------------------------------------------------------------

    def add(self, names: list[str]) -> dict[str, str]:
        checked = [check_name(name) for name in names]
        tokens = {}
        with self._transaction():
            for name in checked:
                taken = self.db.execute("SELECT name FROM learners WHERE name_key = ?", (name_key(name),)).fetchone()
                if taken or name in tokens:
                    raise BadName(name, "name.taken", other=taken[0] if taken else name)
                tokens[name] = token = new_token()
                selector, validator = split_token(token)
                self.db.execute("INSERT INTO learners (name, name_key, selector, token_hash, added_at) "
                                "VALUES (?, ?, ?, ?, ?)", (name, name_key(name), selector, digest(validator),
                                                          _stamp(_now())))
        return tokens

    def learners(self) -> list[Learner]:
        rows = self.db.execute("SELECT name, added_at, last_join FROM learners ORDER BY name_key, name")
        return [Learner(*row) for row in rows]

    def remove(self, name: str) -> bool:
        with self._transaction():
            return self.db.execute("DELETE FROM learners WHERE name = ?", (name,)).rowcount > 0

    def reissue(self, names: list[str] | None = None) -> dict[str, str]:
        tokens = {}
        with self._transaction():
            known = [row[0] for row in self.db.execute("SELECT name FROM learners ORDER BY name_key, name")]
            for name in known if names is None else names:
                if name not in known:
                    raise KeyError(name)
                tokens[name] = token = new_token()
                selector, validator = split_token(token)
                self.db.execute("UPDATE learners SET selector = ?, token_hash = ? WHERE name = ?",
                                (selector, digest(validator), name))
        return tokens

    def learner_by_token(self, token: str) -> str | None:
        parts = split_token(token)
        if parts is None:
            return None
        row = self.db.execute("SELECT name, token_hash FROM learners WHERE selector = ?", (parts[0],)).fetchone()
        if row is None or not validator_matches(parts[1], row[1]):
            return None
        with self._transaction():
            self.db.execute("UPDATE learners SET last_join = ? WHERE name = ?", (_stamp(_now()), row[0]))
        return row[0]

    # ---- sessions ---------------------------------------------------------------------------------

    def open_session(self, name: str) -> str:
        cookie = new_token()
        selector, validator = split_token(cookie)
        now = _now()
        with self._transaction():
            self.db.execute("DELETE FROM sessions WHERE expires_at < ?", (_stamp(now),))
            self.db.execute("INSERT INTO sessions (selector, token_hash, learner, created_at, expires_at) "
                            "VALUES (?, ?, ?, ?, ?)", (selector, digest(validator), name, _stamp(now),
                                                       _stamp(now + timedelta(days=SESSION_DAYS))))
        return cookie

    def learner_by_session(self, cookie: str) -> str | None:
        parts = split_token(cookie)
        if parts is None:
            return None
        row = self.db.execute("SELECT learner, token_hash FROM sessions WHERE selector = ? AND expires_at >= ?",
                              (parts[0], _stamp(_now()))).fetchone()
        if row is None or not validator_matches(parts[1], row[1]):
            return None
        return row[0]

    # ---- settings ---------------------------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row and row[0]

    def set_setting(self, key: str, value: str) -> None:
        with self._transaction():
            self.db.execute("INSERT INTO settings (key, value) VALUES (?, ?) "
                            "ON CONFLICT (key) DO UPDATE SET value = excluded.value", (key, value))


class _Transaction:
    """``BEGIN IMMEDIATE`` … ``COMMIT``, or ``ROLLBACK`` on an exception (the connection runs in
    autocommit mode, so each call is its own transaction unless it opens one)."""

    def __init__(self, db: sqlite3.Connection):
        self.db = db

    def __enter__(self):
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, error, trace):
        self.db.execute("ROLLBACK" if kind else "COMMIT")
