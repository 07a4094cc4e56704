"""Where progress goes and whose it is: `--db`/`TUTOR_DB` (an SQLite file path or a `postgresql://`
URL), `TUTOR_LEARNER`, the data directory, and how a URL is shown without its password.

A URL is recognised before anything treats the value as a path, so `postgresql://tutor@host/class`
never becomes a file named `postgresql:/tutor@host/class`. Its password (in the URL, in a
`password=` parameter, or in `PGPASSWORD`) is remembered here and cut out of every text that
`redact` is given: warnings, command output, crash logs. `PGPASSFILE` and `PGSERVICE` are read by
libpq itself; nothing here needs to see them.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qsl, quote, unquote, urlencode, urlsplit, urlunsplit

from tutor.environment import APP_NAME

DB_FILE_NAME = "progress.sqlite3"
OUTBOX_FILE_NAME = "outbox.sqlite3"
URL_SCHEMES = ("postgresql", "postgres")  # the two libpq accepts
HIDDEN = "***"
MAX_LEARNER_LENGTH = 200

_secrets: set[str] = set()  # every password seen in this process, cut out by `redact`


def is_url(db: str | os.PathLike | None) -> bool:
    """Whether `db` names a PostgreSQL database rather than an SQLite file."""
    return isinstance(db, str) and db.partition("://")[0].lower() in URL_SCHEMES and "://" in db


class Secret:
    """A connection URL that never shows its password: not in `repr` (tracebacks that print locals),
    not in `str`. `reveal()` gives the real text, for the driver only."""

    def __init__(self, url: str):
        self._url = url
        for password in _passwords(url):
            _secrets.add(password)
        if os.environ.get("PGPASSWORD"):
            _secrets.add(os.environ["PGPASSWORD"])

    def reveal(self) -> str:
        return self._url

    def __str__(self) -> str:
        return shown_url(self._url)

    __repr__ = __str__


def _passwords(url: str) -> list[str]:
    parts = urlsplit(url)
    found = [parts.password, unquote(parts.password)] if parts.password else []
    found += [value for key, value in parse_qsl(parts.query, keep_blank_values=True) if key == "password" and value]
    return found


def shown_url(url: str, hidden: str | None = HIDDEN) -> str:
    """The URL as people may see it: its password replaced by ***, or left out when `hidden` is None
    (a class folder keeps its database's URL so)."""
    parts = urlsplit(url)
    netloc = parts.netloc
    if parts.password is not None:
        user, _, host = netloc.rpartition("@")
        netloc = f"{user.partition(':')[0]}{'' if hidden is None else ':' + hidden}@{host}"
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(key == "password" for key, _ in query):
        query = [(key, hidden if key == "password" else value) for key, value in query
                 if key != "password" or hidden is not None]
        return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query, safe="/*"), parts.fragment))
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def redact(text: str) -> str:
    """`text` with every password this process has seen replaced by ***, also as it appears
    percent-encoded in a URL."""
    for secret in sorted(_secrets, key=len, reverse=True):
        for form in {secret, quote(secret, safe="")}:
            text = text.replace(form, HIDDEN)
    return text


def learner_name(given: str | None = None) -> str:
    """Whose rows are read and written: `given`, else `TUTOR_LEARNER` (the class server sets it per
    login), else the name of the user running tutor."""
    name = given or os.environ.get("TUTOR_LEARNER") or _os_user()
    name = name.strip()
    if not name or len(name) > MAX_LEARNER_LENGTH or not name.isprintable():
        raise ValueError(f"TUTOR_LEARNER must be a printable name of 1 to {MAX_LEARNER_LENGTH} characters")
    return name


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):  # a user id with no name (some containers)
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "learner"


class Paths(NamedTuple):
    data_dir: Path
    database: Path | str  # a file, or a postgresql:// URL as shown (no password)
    backups: Path
    crash_logs: Path
    outbox: Path  # writes that could not be made yet wait here


def data_dir() -> Path:
    """`TUTOR_DATA_DIR` (tests and class servers set it), else the user's data directory."""
    given = os.environ.get("TUTOR_DATA_DIR")
    if given:
        return Path(given)
    import platformdirs  # only here: paths are resolved once, at startup

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def database(db: str | os.PathLike | None = None) -> Path | Secret:
    """`db`, else `TUTOR_DB`, else `<data dir>/progress.sqlite3`: a file path, or a URL kept secret."""
    db = db or os.environ.get("TUTOR_DB") or None
    if is_url(db):
        return Secret(db)
    return Path(db or data_dir() / DB_FILE_NAME).expanduser()


def paths(db: str | os.PathLike | None = None) -> Paths:
    """Where things live. Backups sit beside an SQLite database, in `backups/` (a PostgreSQL database's
    backups, SQLite files of a learner's rows, in the data directory's); crash logs and the outbox
    in the data directory."""
    folder = data_dir()
    where = database(db)
    if isinstance(where, Secret):
        return Paths(folder, str(where), folder / "backups", folder / "crash-logs", folder / OUTBOX_FILE_NAME)
    return Paths(folder, where, where.parent / "backups", folder / "crash-logs", folder / OUTBOX_FILE_NAME)
