"""Reading a whole class's progress for a report, and never writing it: an SQLite file is opened with
SQLite's read-only mode (nothing created, migrated or checkpointed), a PostgreSQL database on a
connection the server keeps read-only. Both go through the backends' own `export` (their `dump_*`
statements), so a report sees exactly the rows a backup would.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .backend import Unavailable
from .classfolder import learner_databases, recorded_store
from .store import StoreError
from .target import Secret, database, redact

# The columns of the rows a report reads, as the backends' dump_* statements give them.
ATTEMPT_COLUMNS = ("id", "uid", "learner", "pack", "lesson", "problem", "seed", "answer", "correct", "mistake",
                   "hints_used", "seconds", "at")
PROBLEM_COLUMNS = ("learner", "pack", "lesson", "problem", "solved", "solved_first_try", "revealed", "attempts",
                   "hints_used", "box", "due", "last_at")
LESSON_COLUMNS = ("learner", "pack", "lesson", "content_hash", "problem_count", "changed_at", "completed_at")


@dataclass
class ClassRows:
    """Every row of a class: tables as lists of dicts (ATTEMPT_COLUMNS, …), and the databases that
    could not be read, with why (the report says so and goes on with the others)."""

    attempts: list[dict] = field(default_factory=list)
    problems: list[dict] = field(default_factory=list)
    lessons: list[dict] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)

    def add(self, tables: dict[str, list[tuple]]) -> None:
        self.attempts += [dict(zip(ATTEMPT_COLUMNS, row)) for row in tables["attempts"]]
        self.problems += [dict(zip(PROBLEM_COLUMNS, row)) for row in tables["problems"]]
        self.lessons += [dict(zip(LESSON_COLUMNS, row)) for row in tables["lessons"]]


def read_database(db: str | Path, rows: ClassRows) -> None:
    """Add every learner's rows of one database (an SQLite file or a postgresql:// URL) to `rows`."""
    where = database(str(db))
    if isinstance(where, Secret):
        try:
            from .postgres import PostgresBackend  # here: psycopg only when a URL asks for it
        except ImportError as missing:
            raise StoreError(str(missing)) from None
        backend = PostgresBackend(where, Path("."), read_only=True)
    else:
        from .sqlite import SqliteBackend

        if not where.is_file():
            rows.unreadable.append((str(where), "no such file"))
            return
        backend = SqliteBackend(where, Path("."))  # never opened for writing: export reads with mode=ro
    try:
        rows.add(backend.export(None))
    except Unavailable as error:
        rows.unreadable.append((str(where), redact(str(error))))
    finally:
        backend.close()


def read_class(folder: Path | None = None, db: str | None = None) -> ClassRows:
    """A class's rows: from `db`, else from the database the class folder names (class.toml), else
    from each learner's file in the folder."""
    rows = ClassRows()
    url = db or (recorded_store(folder) if folder is not None else None)
    if url is not None:
        read_database(url, rows)
    else:
        for file in learner_databases(folder):
            read_database(file, rows)
    return rows
