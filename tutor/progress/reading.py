"""Reading a whole class's progress for a report, and never writing it: an SQLite file is opened with
SQLite's read-only mode (nothing created, migrated or checkpointed), a PostgreSQL database on a
connection the server keeps read-only. Both run their backend's `report_rows` (the `report_*` and
`dump_*` statements of its queries.sql): the figures of a class of hundreds of thousands of attempts need
only a few of their columns, and the rest stays in the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .backend import Unavailable
from .classfolder import learner_databases, recorded_store
from .store import StoreError
from .target import Secret, database, redact

# The columns of the rows a report reads, as the backends' statements give them (REPORT_STATEMENTS).
COLUMNS = {
    "problems": ("learner", "pack", "lesson", "problem", "solved", "solved_first_try", "revealed", "attempts",
                 "hints_used", "box", "due", "last_at"),
    "lessons": ("learner", "pack", "lesson", "content_hash", "problem_count", "changed_at", "completed_at"),
    "mistakes": ("learner", "pack", "lesson", "problem", "mistake"),  # each wrong diagnosed answer's, once
    "last_answers": ("learner", "at"),
    "recent": ("learner", "pack", "lesson", "problem", "correct", "mistake", "at"),
}


@dataclass
class ClassRows:
    """What a report reads of a class: rows as dicts (COLUMNS), and the databases that could not be
    read, with why (the report says so and goes on with the others). Of the attempts, only the mistakes
    each learner made at each blank, their last answer's time and the attempts since `since`."""

    problems: list[dict] = field(default_factory=list)
    lessons: list[dict] = field(default_factory=list)
    mistakes: list[dict] = field(default_factory=list)
    last_answers: list[dict] = field(default_factory=list)
    recent: list[dict] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)

    def add(self, tables: dict[str, list[tuple]]) -> None:
        for key, columns in COLUMNS.items():
            getattr(self, key).extend(dict(zip(columns, row)) for row in tables[key])


def read_database(db: str | Path, rows: ClassRows, since: str) -> None:
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
        backend = SqliteBackend(where, Path("."))  # never opened for writing: it reads on a read-only connection
    try:
        rows.add(backend.report_rows(since))
    except Unavailable as error:
        rows.unreadable.append((str(where), redact(str(error))))
    finally:
        backend.close()


def read_class(folder: Path | None, db: str | None, since: str) -> ClassRows:
    """A class's rows (`recent`: the attempts at `since` or later): from `db`, else from the database the
    class folder names (class.toml), else from each learner's file in the folder."""
    rows = ClassRows()
    url = db or (recorded_store(folder) if folder is not None else None)
    if url is not None:
        read_database(url, rows, since)
    else:
        for file in learner_databases(folder):
            read_database(file, rows, since)
    return rows
