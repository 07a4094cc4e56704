"""Stable pseudonyms for a report that leaves the room (a gradebook, a slide): the same learner gets
the same pseudonym in every report of the class, and nobody can get the name back from it without the
class's key. An HMAC of the name under a random key kept beside the class (or in the data directory)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

KEY_FILE = "report-pseudonyms.key"


def class_key(folder: Path) -> bytes:
    """The key in `folder`, made (readable by its owner only) the first time."""
    path = folder / KEY_FILE
    try:
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    except FileNotFoundError:
        pass
    folder.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another report made it just now
        return bytes.fromhex(path.read_text(encoding="ascii").strip())
    key = secrets.token_bytes(32)
    with os.fdopen(descriptor, "w", encoding="ascii") as file:
        file.write(key.hex() + "\n")
    return key


def pseudonym(name: str, key: bytes) -> str:
    """`learner-` and eight letters and digits, the same for the same name and key."""
    digest = hmac.new(key, name.encode("utf-8"), hashlib.sha256).digest()
    return "learner-" + base64.b32encode(digest[:5]).decode("ascii").lower()
