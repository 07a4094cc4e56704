"""A class folder and what lives in it:

    DIR/class.sqlite3                       the roster: names, token digests, sessions, settings
    DIR/learners/NAME/progress.sqlite3      each learner's progress (the app's ordinary store)
    DIR/learners/NAME/                      and their backups and crash logs beside it

Each learner's app process gets ``learner_environment(name)``: ``TUTOR_DB`` and ``TUTOR_DATA_DIR``
pointing into their folder, and ``TUTOR_LEARNER``. Nothing per-learner goes into a command line.
"""

from __future__ import annotations

import os
from pathlib import Path

from tutor.progress.target import DB_FILE_NAME

from .roster import Roster, check_name

ROSTER_FILE = "class.sqlite3"
LEARNERS_FOLDER = "learners"
DEFAULT_URL = "http://127.0.0.1:8000"


class NoClass(Exception):
    """There is no class in the folder (and the command does not create one)."""


class Classroom:
    def __init__(self, folder: Path, roster: Roster):
        self.folder, self.roster = folder, roster

    @classmethod
    def open(cls, folder: str | os.PathLike, create: bool = False) -> "Classroom":
        from .roster_sqlite import SqliteRoster

        folder = Path(folder).expanduser().absolute()
        if not create and not (folder / ROSTER_FILE).is_file():
            raise NoClass(str(folder))
        return cls(folder, SqliteRoster(folder / ROSTER_FILE))

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
        return {"TUTOR_DB": str(folder / DB_FILE_NAME), "TUTOR_DATA_DIR": str(folder), "TUTOR_LEARNER": name}

    @property
    def url(self) -> str:
        """Where learners reach the class: the last ``--url``/``--public-url`` given, else the default."""
        return self.roster.setting("url") or DEFAULT_URL

    def join_link(self, token: str, url: str | None = None) -> str:
        """The token rides in the fragment (``#``): browsers never send it to a server, a proxy never
        logs it, and no Referer carries it on."""
        return f"{(url or self.url).rstrip('/')}/join#{token}"
