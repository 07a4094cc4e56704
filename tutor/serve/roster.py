"""A class's roster: learner names, their join tokens and their browser sessions.

A name reaches file paths (each learner's progress folder) and process environments, so it is checked
here, before anything stores it: letters of any script, digits, and ``- _ .`` inside, at most
``NAME_MAX`` characters. Spaces, shell metacharacters, path separators, control and format characters
(zero-width, bidi overrides) are refused with the character named.

A join token and a session cookie are both ``selector + validator``: the selector finds the row, and
only a SHA-256 digest of the validator is stored and compared in constant time (``hmac.compare_digest``).
Tokens are random (240 bits), so a plain digest is enough; a stolen roster holds no usable link.

``Roster`` is the interface; ``roster_sqlite`` keeps it in the class folder.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
import unicodedata
from dataclasses import dataclass
from typing import Protocol

NAME_MAX = 32
INNER_PUNCTUATION = "-_."
TOKEN_CHARS = 40  # secrets.token_urlsafe(30)
SELECTOR_CHARS = 12  # 72 bits to find the row; the other 28 characters (168 bits) are the secret
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{%d}" % TOKEN_CHARS)
SESSION_DAYS = 14


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


# ---- the interface ----------------------------------------------------------------------------------

@dataclass(frozen=True)
class Learner:
    name: str
    added_at: str
    last_join: str | None


class Roster(Protocol):
    """What `tutor class` and `tutor serve` need of a class's store."""

    class_id: str  # random, made with the roster: names the session cookie of this class

    def add(self, names: list[str]) -> dict[str, str]:
        """Add learners (all or none): name -> join token. ``BadName`` for a bad or taken name."""

    def learners(self) -> list[Learner]:
        """Every learner, by name."""

    def remove(self, name: str) -> bool:
        """Remove a learner, their token and sessions (not their progress); False if unknown."""

    def reissue(self, names: list[str] | None = None) -> dict[str, str]:
        """New tokens for these learners (None: everyone); their old links stop working.
        ``KeyError`` names an unknown learner."""

    def learner_by_token(self, token: str) -> str | None:
        """The learner whose join token this is (their last join is noted), or None."""

    def open_session(self, name: str) -> str:
        """A new session for the learner: the cookie's value."""

    def learner_by_session(self, cookie: str) -> str | None:
        """The learner of a live session, or None."""

    def setting(self, key: str) -> str | None: ...

    def set_setting(self, key: str, value: str) -> None: ...

    def close(self) -> None: ...
