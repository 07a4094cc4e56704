"""Where a class folder keeps what (shared by `tutor serve`, which writes it, and `tutor report`,
which only reads it):

    DIR/class.sqlite3                       the roster: names, token digests, sessions, settings
    DIR/learners/NAME/progress.sqlite3      each learner's progress (the app's ordinary store)
    DIR/class.toml                          for a class kept in PostgreSQL, its URL (never its password);
                                            the lessons folder it was last served with (`tutor serve --lessons`)
"""

from __future__ import annotations

import json
from pathlib import Path

from .target import DB_FILE_NAME

ROSTER_FILE = "class.sqlite3"
CONFIG_FILE = "class.toml"
LEARNERS_FOLDER = "learners"
_CONFIG_HEADER = "# the class's settings (tutor class, tutor serve); tutor report reads them\n"


def _settings(folder: Path) -> dict:
    import tomllib

    try:
        return tomllib.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}


def recorded(folder: Path, key: str) -> str | None:
    """A setting the class folder keeps in class.toml ("store", "lessons"), if it is there."""
    return _settings(folder).get(key)


def recorded_store(folder: Path) -> str | None:
    """The database URL the class folder names, if it is a class kept in PostgreSQL."""
    return recorded(folder, "store")


def record(folder: Path, key: str, value: str | None) -> None:
    """Keep ``value`` as the class folder's setting ``key`` (None: forget it), beside the others."""
    path, settings = folder / CONFIG_FILE, _settings(folder)
    settings.pop(key, None)
    if value is not None:
        settings[key] = value
    lines = [f"{name} = {json.dumps(setting)}\n" for name, setting in settings.items()]  # a JSON string is TOML's too
    if lines or path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        path.write_text(_CONFIG_HEADER + "".join(lines), encoding="utf-8")


def learner_databases(folder: Path) -> list[Path]:
    """Every learner's progress file in the class folder, by name."""
    return sorted((folder / LEARNERS_FOLDER).glob(f"*/{DB_FILE_NAME}"))
