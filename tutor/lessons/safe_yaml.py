"""Lesson front matter, read safely from libyaml's event stream.

PyYAML's loaders are YAML 1.1 (``1e-3`` is a string, ``012`` is 10, ``no`` is False), accept
duplicate keys, expand alias bombs and recurse on deep nesting. So we never use them: we walk the
parser's events ourselves, in a loop, refusing anchors, aliases, tags and deep nesting as soon as
they appear, resolving plain scalars by the YAML 1.2 core schema, and remembering where every key
and value starts so that each error can point at ``line:col``.
"""

import re

import msgspec

MAX_DEPTH = 32  # a lesson needs about 6 levels; a 3-d input list adds 3
# C0/C1 controls but tab and newline (escape sequences reach the terminal) and bidi overrides and isolates
# (text that lies about its order). Refused raw in the file (loader) and in every scalar after unescaping.
UNSAFE_CHARACTER = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

MAX_SCALARS = 20_000  # values in a front matter, keys included; the course's most is 629 (lesson 10, y = 2x)
_NULL = {"", "~", "null", "Null", "NULL"}
_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCTAL = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INFINITY = re.compile(r"([-+]?)\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")
_MAY_NOT_BE_TEXT = set("0123456789+-.~nNtTfF") | {""}  # how a null, a bool or a number starts


class YamlError(ValueError):
    """``line`` and ``column`` are 0-based within the YAML text."""

    def __init__(self, message: str, line: int, column: int):
        super().__init__(message)
        self.line, self.column = line, column


class Mark(msgspec.Struct, frozen=True):  # structs, not dataclasses: cheaper to import (model.py)
    line: int  # 0-based within the YAML text
    column: int
    plain: bool = True  # a plain (unquoted, single-line) scalar: its text starts at the column


class Document(msgspec.Struct):
    data: object
    values: dict[tuple, Mark] = {}  # path of keys/indexes -> where the value starts
    keys: dict[tuple, Mark] = {}  # path -> where its key starts


def unsafe_character_message(character: str) -> str:
    return f"control character U+{ord(character):04X} is not allowed in a lesson"


def escaped(text: str) -> str:
    """``text`` with each unsafe character written as its escape (``\\x1b``), safe to quote in a message."""
    return UNSAFE_CHARACTER.sub(lambda match: repr(match.group())[1:-1], text)


_UNSAFE_IN_A_NAME = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def escaped_name(name) -> str:
    """A file's name as a message shows it: also a newline, a tab and an undecodable byte (a lone surrogate)
    escaped, so a name can neither fake a line of `tutor check`'s output nor make it invalid UTF-8."""
    return _UNSAFE_IN_A_NAME.sub(lambda match: repr(match.group())[1:-1], str(name))


def resolve_plain(text: str, mark) -> object:
    """A plain scalar by the YAML 1.2 core schema."""
    if text[:1] not in _MAY_NOT_BE_TEXT:  # most scalars are words: no pattern to try
        return text
    if text in _NULL:
        return None
    if text in _BOOL:
        return _BOOL[text]
    try:
        if _INT.match(text):
            return int(text)
        if _OCTAL.match(text):
            return int(text[2:], 8)
        if _HEX.match(text):
            return int(text[2:], 16)
    except ValueError:  # more digits than Python converts
        raise YamlError(f"the number '{text[:20]}...' has too many digits", mark.line, mark.column) from None
    if _FLOAT.match(text):
        return float(text)
    if infinity := _INFINITY.match(text):
        return float(f"{infinity.group(1)}inf")
    if _NAN.match(text):
        return float("nan")
    return text


class _Frame:
    __slots__ = ("container", "path", "key", "seen")

    def __init__(self, container, path):
        self.container, self.path = container, path
        self.key = None  # the key waiting for its value, in a mapping
        self.seen: dict[str, int] = {}  # key -> line, to report duplicates


def parser():
    """PyYAML, imported the first time a front matter is read: its import is slow, and front matter read
    before comes from front_cache."""
    import yaml

    return yaml


def read_yaml(text: str, first_line: int = 1) -> Document:
    """Read one YAML document whose first line is line ``first_line`` of its file (for messages).
    Raises YamlError; never anything else, whatever the text."""
    yaml = parser()
    doc = Document(data=None)
    stack: list[_Frame] = []
    root_seen, scalars = False, 0
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            mark, kind = event.start_mark, type(event)
            if kind is yaml.ScalarEvent:
                _refuse_anchor_and_tag(event)
                scalars += 1
                if scalars > MAX_SCALARS:  # before reading them: each costs ~5 µs here
                    raise YamlError(f"more than {MAX_SCALARS:,} values (numbers, words, keys) in the front matter "
                                    "(limit: values per lesson); a large input is better made by the graph, "
                                    "as x @ transpose(x) or a broadcast", mark.line, mark.column)
                if bad := UNSAFE_CHARACTER.search(event.value):  # written as a YAML escape: "\e", "\u202e"
                    raise YamlError(f"{unsafe_character_message(bad.group())}, not even as a YAML escape: "
                                    f"'{_excerpt(event.value, bad.start())}'", mark.line, mark.column)
                plain = event.implicit[0]
                value = resolve_plain(event.value, mark) if plain else event.value
                # a quoted scalar's text starts one column after its quote
                style_offset = 1 if event.style in ("'", '"') else 0
                _place(doc, stack, value, Mark(mark.line, mark.column + style_offset,
                                               plain or style_offset == 1), first_line, event.value)
            elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                stack.pop()
            elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                _refuse_anchor_and_tag(event)
                if len(stack) >= MAX_DEPTH:
                    raise YamlError(f"nested more than {MAX_DEPTH} levels deep", mark.line, mark.column)
                container = {} if kind is yaml.MappingStartEvent else []
                path = _place(doc, stack, container, Mark(mark.line, mark.column, False), first_line)
                stack.append(_Frame(container, path))
            elif kind is yaml.AliasEvent:
                raise YamlError(f"aliases (*{event.anchor}) are not allowed in lessons; write the value out",
                                mark.line, mark.column)
            elif kind is yaml.DocumentStartEvent:
                if root_seen:
                    raise YamlError("the front matter must be one YAML document", mark.line, mark.column)
                root_seen = True
    except yaml.MarkedYAMLError as e:
        where = e.problem_mark or e.context_mark
        message = e.problem or e.context or "not valid YAML"
        if e.context and e.problem:
            message = f"{e.problem} ({e.context})"
        line, column, advice = _advice(text, where.line if where else 0, where.column if where else 0, message)
        raise YamlError(message + advice, line, column) from None
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position)
        raise YamlError(e.reason, line, e.position - (text.rfind("\n", 0, e.position) + 1)) from None
    except yaml.YAMLError as e:
        raise YamlError(f"not valid YAML: {e}", 0, 0) from None
    return doc


def _advice(text: str, line: int, column: int, message: str) -> tuple[int, int, str]:
    """Where the author's slip most likely is, and what to fix, for what libyaml says in its own terms: a
    full-width colon typed on a Korean keyboard (libyaml stops a line after it), a tab, an unquoted ':'."""
    lines = text.split("\n")
    for number in (line, line - 1):
        if 0 <= number < len(lines) and (at := lines[number].find("\uff1a")) >= 0:
            return number, at, "; this is a full-width colon '：' (U+FF1A): YAML needs ':'"
    here = lines[line] if line < len(lines) else ""
    if "\t" in here[:len(here) - len(here.lstrip())] or here[column:column + 1] == "\t":
        return line, column, "; a tab: YAML indents with spaces only"
    if "flow mapping" in message or "flow sequence" in message:
        return line, column, ("; is a [ ] or { } left open, or does text inside it hold ':' or ',' without "
                              "quotes? Quote it: {ko: \"…\", en: \"…\"}")
    return line, column, ""


def _refuse_anchor_and_tag(event) -> None:
    """A scalar, list or map written with an anchor (``&a``) or a tag (``!!python/object``)."""
    mark = event.start_mark
    if event.anchor is not None:
        raise YamlError(f"anchors (&{event.anchor}) are not allowed in lessons", mark.line, mark.column)
    if event.tag is not None:
        tag = escaped(event.tag.replace("tag:yaml.org,2002:", "!!"))  # libyaml decodes %1b
        raise YamlError(f"tags ({tag}) are not allowed in lessons", mark.line, mark.column)


def _excerpt(text: str, at: int) -> str:
    """A short piece of ``text`` around index ``at``, escaped."""
    start, end = max(0, at - 12), at + 24
    return ("..." if start else "") + escaped(text[start:end]) + ("..." if end < len(text) else "")


def _place(doc: Document, stack: list[_Frame], value, mark: Mark, first_line: int,
           key_text: str | None = None) -> tuple:
    """Put a value where it belongs (root, list item, mapping key or mapping value); return its path."""
    if not stack:
        doc.data = value
        doc.values[()] = mark
        return ()
    frame = stack[-1]
    if isinstance(frame.container, list):
        path = frame.path + (len(frame.container),)
        frame.container.append(value)
        doc.values[path] = mark
        return path
    if frame.key is None:  # this is a key
        if key_text is None:
            raise YamlError("a key must be a plain word, not a list or a map", mark.line, mark.column)
        if key_text in frame.seen:
            raise YamlError(f"duplicate key '{key_text}' (first written on line {frame.seen[key_text]})",
                            mark.line, mark.column)
        frame.seen[key_text] = mark.line + first_line
        frame.key = key_text
        doc.keys[frame.path + (key_text,)] = mark
        return frame.path
    path = frame.path + (frame.key,)
    frame.container[frame.key] = value
    frame.key = None
    doc.values[path] = mark
    return path
