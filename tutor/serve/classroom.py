"""A class folder and what lives in it:

    DIR/class.sqlite3                       the roster: names, token digests, sessions, settings
    DIR/learners/NAME/progress.sqlite3      each learner's progress (the app's ordinary store)
    DIR/learners/NAME/                      and their backups, crash logs and outbox beside it

or, for a class kept in PostgreSQL (``--db postgresql://…``, for several `tutor serve` hosts):

    DIR/class.toml                          the class's database URL, never its password
    (the database)                          the roster (class_* tables) and every learner's progress
    DIR/learners/NAME/                      this host's crash logs and outbox of each learner

Each learner's app process gets ``learner_environment(name)``: ``TUTOR_DB`` (their file, or the class's
URL), ``TUTOR_DATA_DIR`` (their folder) and ``TUTOR_LEARNER``. Nothing per-learner goes into a command line.
"""

from __future__ import annotations

import os
from pathlib import Path

from tutor.progress.classfolder import LEARNERS_FOLDER, ROSTER_FILE, record, recorded_store
from tutor.progress.target import DB_FILE_NAME, is_url, redact, shown_url

from .roster import Roster, check_name

DEFAULT_URL = "http://127.0.0.1:8000"


class NoClass(Exception):
    """There is no class in the folder (and the command does not create one)."""


class ClassError(Exception):
    """``key`` names the message (tutor.serve.messages); ``values`` fill it in."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key, self.values = key, values


def without_password(url: str) -> str:
    """The URL as the class folder keeps it: no password (libpq finds it in PGPASSWORD or ~/.pgpass)."""
    return shown_url(url, hidden=None)


class Classroom:
    def __init__(self, folder: Path, roster: Roster, store_url: str | None = None):
        self.folder, self.roster, self.store_url = folder, roster, store_url

    @classmethod
    def open(cls, folder: str | os.PathLike, create: bool = False, db: str | None = None) -> "Classroom":
        """The class in ``folder``; ``create`` makes one there. ``db``, a ``postgresql://`` URL, keeps the
        class in that database (the folder remembers it, without a password): any folder on any host
        given the same URL opens the same class."""
        folder = Path(folder).expanduser().absolute()
        recorded = recorded_store(folder)
        if db is not None and not is_url(db):
            raise ClassError("class.db_not_url", db=db)
        if db is not None and recorded is not None and without_password(db) != recorded:
            raise ClassError("class.other_store", store=recorded)
        url = db or recorded
        if url is None:
            from .roster_sqlite import SqliteRoster

            if not create and not (folder / ROSTER_FILE).is_file():
                raise NoClass(str(folder))
            return cls(folder, SqliteRoster(folder / ROSTER_FILE))
        if recorded is None and (folder / ROSTER_FILE).is_file():
            raise ClassError("class.other_store", store=str(folder / ROSTER_FILE))
        try:
            from .roster_postgres import PostgresRoster

            roster = PostgresRoster(url)
        except Exception as error:  # psycopg missing, a refused login, a server not there: said, not raised
            raise ClassError("class.db_unreachable", store=shown_url(url), error=redact(str(error))) from None
        if recorded is None:
            record(folder, "store", without_password(url))
        return cls(folder, roster, url)

    @property
    def store_shown(self) -> str:
        """Where the class is kept, as people may see it (a URL without its password)."""
        return shown_url(self.store_url) if self.store_url else str(self.folder)

    def close(self) -> None:
        self.roster.close()

    def __enter__(self) -> "Classroom":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def learner_folder(self, name: str) -> Path:
        """``DIR/learners/NAME``. The name is checked again here: whatever reaches a path is a name
        ``check_name`` accepts unchanged (no separator, no leading dot, no control character)."""
        if check_name(name) != name:
            raise ValueError(f"not a stored learner name: {name!r}")
        return self.folder / LEARNERS_FOLDER / name

    def learner_environment(self, name: str) -> dict[str, str]:
        folder = self.learner_folder(name)
        database = self.store_url or str(folder / DB_FILE_NAME)
        return {"TUTOR_DB": database, "TUTOR_DATA_DIR": str(folder), "TUTOR_LEARNER": name}

    @property
    def url(self) -> str:
        """Where learners reach the class: the last ``--url``/``--public-url`` given, else the default."""
        return self.roster.setting("url") or DEFAULT_URL

    def join_link(self, token: str, url: str | None = None) -> str:
        """The token rides in the fragment (``#``): browsers never send it to a server, a proxy never
        logs it, and no Referer carries it on."""
        return f"{(url or self.url).rstrip('/')}/join#{token}"
