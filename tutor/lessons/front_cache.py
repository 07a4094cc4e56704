"""Front matter already read, kept between runs (issue 23). Reading a lesson's YAML makes a process import
PyYAML, whose import compiles large character-class patterns, and walk its events: 86 of the 210 million
instructions `tutor grade` spent beyond importing numpy, paid for every answer it graded.

An entry holds the front matter's whole text and what ``safe_yaml.read_yaml`` made of it (the values,
and where each key and value starts, for messages), encoded as msgpack: decoding builds plain values
and never runs anything. It is used only when the text is the same character for character and the
reader (safe_yaml.py) has not changed since; front matter that fails to read is never kept. Entries are
files named by the text's CRC-32 in the user's cache folder (``TUTOR_CACHE_DIR`` overrides it), at most
MAX_ENTRIES of them, the oldest removed first. A cache that cannot be read or written is no cache: the
text is read as if it were not there."""

import os
import sys
import zlib
from pathlib import Path

import msgspec

from tutor.environment import APP_NAME

from . import safe_yaml

FORMAT = 1  # raise when an entry's layout or the Document's meaning changes
MAX_ENTRIES = 500  # a few hundred lessons, about 15 MB
MAX_TEXT = 512 * 1024  # characters; longer front matter is read each time (the course's longest: 14,600)


class _Entry(msgspec.Struct, array_like=True):
    format: int
    reader: tuple[int, int]  # safe_yaml.py's size and modification time, as Python checks its bytecode
    text: str
    doc: safe_yaml.Document


def read_yaml(text: str, first_line: int = 1) -> safe_yaml.Document:
    """``safe_yaml.read_yaml(text, first_line)``, from the cache when it holds this very text."""
    folder = cache_folder() if len(text) <= MAX_TEXT else None
    if folder is None:
        return safe_yaml.read_yaml(text, first_line)
    path = folder / entry_name(text)
    try:
        entry = msgspec.msgpack.decode(path.read_bytes(), type=_Entry)
        if entry.format == FORMAT and entry.reader == READER and entry.text == text:
            return entry.doc
    except (OSError, msgspec.DecodeError):  # none yet, unreadable, or written by another version
        pass
    doc = safe_yaml.read_yaml(text, first_line)
    _store(path, _Entry(FORMAT, READER, text, doc))
    return doc


def cache_folder() -> Path | None:
    """``TUTOR_CACHE_DIR``, else the user's cache folder; None when ``TUTOR_CACHE_DIR`` is set empty."""
    given = os.environ.get("TUTOR_CACHE_DIR")
    if given is not None:
        return Path(given) / "front-matter" if given else None
    if sys.platform in ("win32", "darwin"):
        import platformdirs

        return Path(platformdirs.user_cache_dir(APP_NAME, appauthor=False)) / "front-matter"
    # platformdirs' rule for Linux and the BSDs (the XDG one), without importing it: its import brings
    # tempfile, shutil and random, 18 million instructions, a fifth of what this cache saves `tutor grade`
    base = os.environ.get("XDG_CACHE_HOME", "").strip() or os.path.expanduser("~/.cache")
    return Path(base) / APP_NAME / "front-matter"


def entry_name(text: str) -> str:
    return f"{zlib.crc32(text.encode('utf-8', 'surrogatepass')):08x}.msgpack"


def _reader_stamp() -> tuple[int, int]:
    reader = os.stat(safe_yaml.__file__)
    return reader.st_size, reader.st_mtime_ns


# Taken once, as the reader is imported: an entry is stamped with the code that made it, even if
# safe_yaml.py is edited while this process runs (and no file is looked at again per lesson).
READER = _reader_stamp()


def _store(path: Path, entry: _Entry) -> None:
    try:
        encoded = msgspec.msgpack.encode(entry)
    except (TypeError, ValueError, OverflowError):  # a value msgpack cannot hold (an integer past 64 bits)
        return
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(encoded)
        os.replace(partial, path)  # whole or not at all, even with two processes writing
        entries = [item for item in os.scandir(path.parent) if item.name.endswith(".msgpack")]
        if len(entries) > MAX_ENTRIES:
            entries.sort(key=lambda item: item.stat().st_mtime_ns)
            for item in entries[:len(entries) - MAX_ENTRIES]:
                os.unlink(item.path)
    except OSError:  # a read-only or full disk: no cache, the same result
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
