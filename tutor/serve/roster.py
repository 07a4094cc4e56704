"""A class's roster: learner names, their join tokens and their browser sessions.

A name reaches file paths (each learner's progress folder) and process environments, so it is checked
here, before anything stores it: letters of any script, digits, and ``- _ .`` inside, at most
``NAME_MAX`` characters. Spaces, shell metacharacters, path separators, control and format characters
(zero-width, bidi overrides) are refused with the character named.

A join token and a session cookie are both ``selector + validator``: the selector finds the row, and
only a SHA-256 digest of the validator is stored and compared in constant time (``hmac.compare_digest``).
Tokens are random (240 bits), so a plain digest is enough; a stolen roster holds no usable link.

``Roster`` holds the logic; ``roster_sqlite`` (the class folder's file) and ``roster_postgres`` (the
class's database) each give it their SQL.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

NAME_MAX = 32
INNER_PUNCTUATION = "-_."
TOKEN_CHARS = 40  # secrets.token_urlsafe(30)
SELECTOR_CHARS = 12  # 72 bits to find the row; the other 28 characters (168 bits) are the secret
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{%d}" % TOKEN_CHARS)
SESSION_DAYS = 14


class RosterUnavailable(Exception):
    """The roster cannot be read now (its database server is away); asking again later may work."""


class BadName(ValueError):
    """``key`` names the message (tutor.serve.messages); ``values`` fill it in."""

    def __init__(self, name: str, key: str, **values):
        super().__init__(key)
        self.name, self.key, self.values = name, key, values


def shown(text: str) -> str:
    """``text`` quoted for a message, every character that is not printable written as ``\\uXXXX``:
    a refused name may hold escape codes, and a terminal must not run them."""
    return "'" + "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text) + "'"


def _allowed(char: str, first: bool) -> bool:
    category = unicodedata.category(char)
    if category.startswith("L") or category == "Nd":
        return True
    return not first and (category.startswith("M") or char in INNER_PUNCTUATION)


def check_name(name: str) -> str:
    """The name as it is stored (NFC, so a name typed on macOS matches one typed elsewhere), or
    ``BadName`` saying what is wrong with it."""
    name = unicodedata.normalize("NFC", name)
    if not name:
        raise BadName(name, "name.empty")
    if len(name) > NAME_MAX:
        raise BadName(name, "name.too_long", max=NAME_MAX)
    for position, char in enumerate(name):
        if not _allowed(char, position == 0):
            if position == 0 and (char in INNER_PUNCTUATION or unicodedata.category(char).startswith("M")):
                raise BadName(name, "name.start")
            raise BadName(name, "name.char", char=shown(char)[1:-1], code=f"U+{ord(char):04X}")
    return name


def name_key(name: str) -> str:
    """Two names that differ only in case are one learner (their folders would collide on a
    case-insensitive disk)."""
    return name.casefold()


# ---- tokens ---------------------------------------------------------------------------------------

def new_token() -> str:
    return secrets.token_urlsafe(30)


def split_token(token: str) -> tuple[str, str] | None:
    """(selector, validator), or None for anything that is not shaped like a token."""
    if not TOKEN_SHAPE.fullmatch(token or ""):
        return None
    return token[:SELECTOR_CHARS], token[SELECTOR_CHARS:]


def digest(validator: str) -> str:
    return hashlib.sha256(validator.encode("ascii")).hexdigest()


def validator_matches(validator: str, stored_digest: str) -> bool:
    return hmac.compare_digest(digest(validator), stored_digest)


# ---- the roster, over either backend ------------------------------------------------------------------

@dataclass(frozen=True)
class Learner:
    name: str
    added_at: str
    last_join: str | None


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _stamp(moment: datetime) -> str:
    """ISO 8601 in UTC, to the second: strings of this one format sort in time order on both backends."""
    return moment.isoformat(timespec="seconds")


class Roster:
    """What `tutor class` and `tutor serve` need of a class's store. A backend (roster_sqlite,
    roster_postgres) gives ``SQL``, its statements by name, and ``transaction()``, a context in which
    ``run(name, *values)`` executes one and returns its cursor; everything else is here, once."""

    SQL: dict[str, str]
    class_id: str  # random, made with the roster: names the session cookie of this class

    def transaction(self):
        raise NotImplementedError

    def close(self) -> None:
        raise NotImplementedError

    def _one(self, name: str, *values):
        with self.transaction() as run:
            return run(name, *values).fetchone()

    def add(self, names: list[str]) -> dict[str, str]:
        """Add learners (all or none): name -> join token. ``BadName`` for a bad or taken name."""
        checked = [check_name(name) for name in names]
        tokens: dict[str, str] = {}
        with self.transaction() as run:
            for name in checked:
                taken = run("learner_by_key", name_key(name)).fetchone()
                if taken or name in tokens:
                    raise BadName(name, "name.taken", other=taken[0] if taken else name)
                tokens[name] = token = new_token()
                selector, validator = split_token(token)
                run("add_learner", name, name_key(name), selector, digest(validator), _stamp(_now()))
        return tokens

    def learners(self) -> list[Learner]:
        """Every learner, by name."""
        with self.transaction() as run:
            return [Learner(*row) for row in run("learners").fetchall()]

    def remove(self, name: str) -> bool:
        """Remove a learner, their token and sessions (not their progress); False if unknown."""
        with self.transaction() as run:
            return run("remove_learner", name).rowcount > 0

    def reissue(self, names: list[str] | None = None) -> dict[str, str]:
        """New tokens for these learners (None: everyone); their old links stop working.
        ``KeyError`` names an unknown learner."""
        tokens: dict[str, str] = {}
        with self.transaction() as run:
            known = [row[0] for row in run("learners").fetchall()]
            for name in known if names is None else names:
                if name not in known:
                    raise KeyError(name)
                tokens[name] = token = new_token()
                selector, validator = split_token(token)
                run("set_token", selector, digest(validator), name)
        return tokens

    def learner_by_token(self, token: str) -> str | None:
        """The learner whose join token this is (their last join is noted), or None."""
        parts = split_token(token)
        if parts is None:
            return None
        with self.transaction() as run:
            row = run("learner_by_selector", parts[0]).fetchone()
            if row is None or not validator_matches(parts[1], row[1]):
                return None
            run("note_join", _stamp(_now()), row[0])
        return row[0]

    def open_session(self, name: str) -> str:
        """A new session for the learner: the cookie's value."""
        cookie = new_token()
        selector, validator = split_token(cookie)
        now = _now()
        with self.transaction() as run:
            run("drop_expired_sessions", _stamp(now))
            run("add_session", selector, digest(validator), name, _stamp(now),
                _stamp(now + timedelta(days=SESSION_DAYS)))
        return cookie

    def learner_by_session(self, cookie: str) -> str | None:
        """The learner of a live session, or None."""
        parts = split_token(cookie)
        if parts is None:
            return None
        row = self._one("session_by_selector", parts[0], _stamp(_now()))
        if row is None or not validator_matches(parts[1], row[1]):
            return None
        return row[0]

    def setting(self, key: str) -> str | None:
        row = self._one("setting", key)
        return row and row[0]

    def set_setting(self, key: str, value: str) -> None:
        with self.transaction() as run:
            run("set_setting", key, value)
