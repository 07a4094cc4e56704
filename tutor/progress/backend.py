"""What a store backend is (SQLite in sqlite.py, PostgreSQL in postgres.py): a place that runs the
named statements of its own SQL file, in transactions, and says how it failed.

`tutor.progress.store.Store` holds one backend and decides what to run; the backends know their
database and nothing of lessons, learners' sessions or the outbox.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from contextlib import AbstractContextManager
from pathlib import Path
from typing import Callable

SQL_DIR = Path(__file__).with_name("sql")

# The tables a learner's rows live in, in the order a copy writes them.
TABLES = ("attempts", "problems", "lessons", "positions")
# What a class report reads (`report_rows`), by key: the statement of each backend's queries.sql.
REPORT_STATEMENTS = {"problems": "dump_problems", "lessons": "dump_lessons", "mistakes": "report_mistakes",
                     "last_answers": "report_last_answers", "recent": "report_recent"}

Run = Callable[..., list[tuple]]  # run(name, **params): the rows a named statement returns


class Unavailable(Exception):
    """The database cannot take this now (a lock, a full disk, an I/O error, the server gone). What
    was being written is kept and tried again. `soon`: worth trying again within moments (a lock)."""

    def __init__(self, reason: str, soon: bool = False):
        super().__init__(reason)
        self.soon = soon


class Unwritable(Exception):
    """Nothing will be written in this session (a read-only place, a schema newer than this
    program, a migration that failed): the store carries on in memory. args: (warning key, values)."""


class Backend(ABC):
    kind: str  # "sqlite" or "postgresql"
    shown: str  # where the database is, as people may see it (never a password)
    key: str  # the database's identity in the outbox (the same for every process using it)
    backups: Path  # where reset writes its backups
    schema_version: int

    @abstractmethod
    def open(self, learner: str) -> tuple[str, dict] | None:
        """Connect, creating and migrating the schema as needed. Returns a notice for the learner
        (a warning key and its values) or None. Raises Unavailable or Unwritable."""

    @abstractmethod
    def transaction(self, patient: bool = True) -> AbstractContextManager[Run]:
        """A transaction that commits (durably) when the block ends, or rolls back. Raises
        Unavailable when the database cannot be written now. Not `patient`: give up on a lock at
        once (a quick look whether waiting writes can go yet)."""

    @abstractmethod
    def read(self, name: str, **params) -> list[tuple]:
        """The rows of one named query. Raises Unavailable."""

    @abstractmethod
    def ping(self) -> None:
        """Raise Unavailable unless the database answers now."""

    @abstractmethod
    def export(self, learner: str | None) -> dict[str, list[tuple]]:
        """Every row of `learner` (None: of everyone), table by table (TABLES), columns as the
        `dump_*` statements list them. Raises Unavailable."""

    @abstractmethod
    def report_rows(self, since: str) -> dict[str, list[tuple]]:
        """What a class report reads, every learner's (REPORT_STATEMENTS; `recent`: attempts at `since` or
        later), without writing anything. Raises Unavailable."""

    @abstractmethod
    def backup(self, learner: str, reason: str) -> Path:
        """Write a copy that `Store.open` can read (an SQLite file) before something is deleted."""

    @abstractmethod
    def quick_check(self) -> list[str]:
        """["ok"] for a healthy database, else what is wrong."""

    @abstractmethod
    def close(self) -> None: ...


def read_queries(path: Path) -> dict[str, str]:
    """The named statements of an .sql file: each starts at a line `-- name: NAME`."""
    parts = re.split(r"^-- name: *(\S+) *\n", path.read_text(encoding="utf-8"), flags=re.M)
    return {name: sql.strip() for name, sql in zip(parts[1::2], parts[2::2])}


def read_migrations(folder: Path) -> list[str]:
    """The migration files `NNN-what.sql` of a backend, in order: file i takes the schema from
    version i to i + 1. Append a file; never edit one that has shipped."""
    return [path.read_text(encoding="utf-8") for path in sorted(folder.glob("[0-9][0-9][0-9]-*.sql"))]
