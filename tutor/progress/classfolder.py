"""Where a class folder keeps what (shared by `tutor serve`, which writes it, and `tutor report`,
which only reads it):

    DIR/class.sqlite3                       the roster: names, token digests, sessions, settings
    DIR/learners/NAME/progress.sqlite3      each learner's progress (the app's ordinary store)
    DIR/class.toml                          for a class kept in PostgreSQL: its URL, never its password
"""

from __future__ import annotations

from pathlib import Path

from .target import DB_FILE_NAME

ROSTER_FILE = "class.sqlite3"
CONFIG_FILE = "class.toml"
LEARNERS_FOLDER = "learners"


def recorded_store(folder: Path) -> str | None:
    """The database URL the class folder names, if it is a class kept in PostgreSQL."""
    import tomllib

    try:
        return tomllib.loads((folder / CONFIG_FILE).read_text(encoding="utf-8")).get("store")
    except FileNotFoundError:
        return None


def learner_databases(folder: Path) -> list[Path]:
    """Every learner's progress file in the class folder, by name."""
    return sorted((folder / LEARNERS_FOLDER).glob(f"*/{DB_FILE_NAME}"))
