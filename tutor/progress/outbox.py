"""The outbox: writes a store could not make (the server gone, the file locked past the retries, the
disk full) wait here, in an SQLite file in the data directory, until the store can take them.

Each write carries a unique id; an attempt's id is unique in the database too, so a write sent
twice (the process died after the database took it, before the outbox forgot it) is stored once.
The other writes set values (a hint count, a due time), so sending one again changes nothing.
Statements: sql/outbox.sql.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from .backend import SQL_DIR, read_queries

QUERIES = read_queries(SQL_DIR / "outbox.sql")
BUSY_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class Write:
    """One write of a store: `kind` names what it does (store.APPLY), `args` its values (the learner
    among them), `uid` makes it unique."""

    kind: str
    args: dict
    uid: str


class OutboxError(Exception):
    """The outbox could not keep a write either (its disk is full too): the store keeps it in memory."""


class Outbox:
    def __init__(self, path: Path):
        self.path = path
        self._conn: sqlite3.Connection | None = None

    def _connection(self, create: bool) -> sqlite3.Connection | None:
        """The open outbox; None when there is none and `create` is false (nothing ever waited)."""
        if self._conn is None:
            if not create and not self.path.exists():
                return None
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
            try:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                conn.execute(QUERIES["schema"])
            except BaseException:
                conn.close()
                raise
            self._conn = conn
        return self._conn

    def put(self, store: str, write: Write, kept_at: str) -> None:
        try:
            self._connection(create=True).execute(QUERIES["put"], dict(
                store=store, learner=write.args["learner"], uid=write.uid, kind=write.kind,
                args=json.dumps(write.args, ensure_ascii=False), kept_at=kept_at))
        except (sqlite3.Error, OSError) as error:
            raise OutboxError(str(error)) from None

    def waiting(self, store: str, learner: str) -> list[Write]:
        """The writes waiting for `store` from `learner`, oldest first."""
        try:
            conn = self._connection(create=False)
            rows = conn.execute(QUERIES["waiting"], dict(store=store, learner=learner)).fetchall() if conn else []
        except (sqlite3.Error, OSError) as error:
            raise OutboxError(str(error)) from None
        return [Write(kind, json.loads(args), uid) for uid, kind, args in rows]

    def count(self, store: str, learner: str) -> tuple[int, int]:
        """How many writes wait for `store` from `learner`, and how many of them are attempts."""
        try:
            conn = self._connection(create=False)
            return tuple(conn.execute(QUERIES["count"], dict(store=store, learner=learner)).fetchone()) if conn else (0, 0)
        except (sqlite3.Error, OSError):
            return 0, 0  # an unreadable outbox holds nothing we could send

    def remove(self, write: Write) -> None:
        try:
            self._connection(create=True).execute(QUERIES["remove"], dict(uid=write.uid))
        except (sqlite3.Error, OSError) as error:
            raise OutboxError(str(error)) from None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
