"""Reading what a learner typed. Nothing is ever evaluated by Python: the text is normalised, split
into tokens by a regular expression that knows only numbers, names, operators and brackets, given its
implicit multiplications, and handed to the engine's allow-listed DSL parser. Numbers are then
computed exactly with ``Fraction`` under size caps, so ``9**9**9`` is refused, not computed.
"""

import math
import re
import unicodedata
from fractions import Fraction

import numpy as np

from tutor.engine import OPS, ExpressionError, read_expression
from tutor.engine.dsl import Call, Name, Number
from tutor.engine.ops import FUNCTIONS

from .messages import say

MAX_LENGTH = 200
MAX_NESTING = 20
MAX_DIGITS = 30
MAX_LITERAL_EXPONENT = 300  # within float64; and Fraction("1e999999999") would take minutes
MAX_BITS = 4000  # numerator or denominator of an exact intermediate result
MAX_MAGNITUDE_BITS = 1020  # beyond float64's range

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_SYMBOLS = str.maketrans({"−": "-", "–": "-", "×": "*", "÷": "/", "·": "*", "⋅": "*", "∗": "*", "^": "**"})
_SUPERSCRIPT_RUN = re.compile("[⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+")
_TOKEN = re.compile(r"(?P<number>(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
                    r"|(?P<name>[^\W\d]\w*)|(?P<op>\*\*|[-+*/(),\[\];])|(?P<space>\s+)")
_LITERAL = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE]([+-]?[0-9]+))?")
_LITERAL_RUN = re.compile(r"-?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:\s+-?(?:[0-9]+\.?[0-9]*|\.[0-9]+))+")  # 3 6 9
# Control (a tab aside), format and private characters and lone surrogates (an undecodable byte on the
# command line): refused, and named by their code point, so a message never carries an escape sequence or
# invalid UTF-8. By category, not a pattern: a character class over these ranges took ~1.7 ms to compile.
_INVISIBLE = {"Cc", "Cf", "Co", "Cs"}
_NOT_FINITE = {"nan", "inf", "infinity", "NaN", "Inf", "Infinity"}
_NUMBER_OPS = {"add", "sub", "mul", "div", "pow", "neg"}


class AnswerError(ValueError):
    """The learner's text cannot be read. ``message(lang)`` says why, and how to write it instead."""

    def __init__(self, key: str, **params):
        super().__init__(key)
        self.key = key
        self.params = params

    def message(self, lang: str = "ko") -> str:
        params = dict(self.params)
        if self.key == "unknown-name":  # the did-you-mean clause is itself localized
            close = params.pop("close")
            params["suggestion"] = say("did-you-mean", lang, name=close) if close else ""
        return say(self.key, lang, **params)


def _invisible(text: str) -> str | None:
    """The first character of ``text`` in an ``_INVISIBLE`` category."""
    if text.isprintable():  # most answers: nothing to look at one by one
        return None
    return next((c for c in text if c != "\t" and unicodedata.category(c) in _INVISIBLE), None)


def normalise(text: str) -> str:
    """Full-width digits, U+2212 minus, ×, ÷, ·, ^ and superscript powers become plain ASCII operators."""
    if not isinstance(text, str):
        raise AnswerError("empty")
    if len(text) > MAX_LENGTH:
        raise AnswerError("too-long", length=len(text), limit=MAX_LENGTH)
    if bad := _invisible(text):  # before NFKC, which keeps them; and never echoed as themselves
        raise AnswerError("bad-character", char=f"U+{ord(bad):04X}")
    text = _SUPERSCRIPT_RUN.sub(lambda m: "**" + m.group().translate(_SUPERSCRIPTS), text)
    text = unicodedata.normalize("NFKC", text).translate(_SYMBOLS).strip()
    if not text:
        raise AnswerError("empty")
    if len(text) > MAX_LENGTH:
        raise AnswerError("too-long", length=len(text), limit=MAX_LENGTH)
    return text


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position, depth = [], 0, 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if not match:
            char = text[position]
            raise AnswerError("bad-character", char=char if char.isprintable() else f"U+{ord(char):04X}")
        kind, value = match.lastgroup, match.group()
        position = match.end()
        if kind == "space":
            continue
        if kind == "number" and len(value) > MAX_DIGITS + 6:
            raise AnswerError("too-many-digits", limit=MAX_DIGITS)
        if kind == "number" and _LITERAL.fullmatch(value).group(1) and \
                abs(int(_LITERAL.fullmatch(value).group(1))) > MAX_LITERAL_EXPONENT:
            raise AnswerError("too-large")
        if kind == "name" and tokens and tokens[-1] == ("number", "0") and text[match.start() - 1] == "0" \
                and value[0] in "xXbBoO":
            raise AnswerError("hex")
        if value in "([":
            depth += 1
            if depth > MAX_NESTING:
                raise AnswerError("too-deep")
        elif value in ")]":
            depth -= 1
            if depth < 0:
                raise AnswerError("unbalanced")
        tokens.append((kind, value))
    if depth:
        raise AnswerError("unbalanced")
    return tokens


def _split_name(word: str, names: set[str]) -> list[str] | None:
    """``xy`` → ``[x, y]`` when x and y are names and xy is not; at each place the longest name that
    leaves a splittable rest. A dynamic program over the word's ends, so the time is linear in the word
    (times the longest name), not exponential as trying every split was (``xy``×22 + ``q``: 5.6 s)."""
    if word in names:
        return [word]
    longest = max(map(len, names), default=0)
    splits = [False] * len(word) + [True]  # splits[i]: word[i:] is a run of names
    for start in range(len(word) - 1, -1, -1):
        splits[start] = any(splits[end] and word[start:end] in names
                            for end in range(start + 1, min(start + longest, len(word)) + 1))
    if not splits[0]:
        return None
    parts, start = [], 0
    while start < len(word):
        end = next(end for end in range(min(start + longest, len(word)), start, -1)
                   if splits[end] and word[start:end] in names)
        parts.append(word[start:end])
        start = end
    return parts


def _with_multiplications(tokens: list[tuple[str, str]], names: set[str]) -> str:
    """Write implicit products out: ``2x`` → ``2*x``, ``2(x+y)`` → ``2*(x+y)``, ``(a)(b)`` → ``(a)*(b)``."""
    out: list[tuple[str, str]] = []
    for kind, value in tokens:
        parts = [(kind, value)]
        if kind == "name" and value not in FUNCTIONS:
            split = _split_name(value, names)
            if split is None:
                raise _unknown_name(value, names)
            parts = [("name", part) for part in split]
        for part in parts:
            if out:
                before_kind, before = out[-1]
                if before_kind == "number" and part[0] == "number":
                    key = "two-points" if part[1].startswith(".") else "two-numbers"
                    raise AnswerError(key, text=before + part[1])
                ends_operand = before_kind in ("number", "name") and before not in FUNCTIONS or before == ")"
                starts_operand = part[0] in ("number", "name") or part[1] == "("
                if ends_operand and starts_operand:
                    out.append(("op", "*"))
            out.append(part)
    return "".join(value for _, value in out)


def _unknown_name(word: str, names: set[str]) -> AnswerError:
    if word in _NOT_FINITE:
        return AnswerError("not-finite", name=word)
    import difflib  # here: only this message needs it (a millisecond of `tutor grade`'s start)

    close = difflib.get_close_matches(word, sorted(names | set(FUNCTIONS)), n=1, cutoff=0.6)
    return AnswerError("unknown-name", name=word, close=close[0] if close else None,
                       names=", ".join(sorted(names)) or "-")


def _tree(text: str, names: set[str]):
    rewritten = _with_multiplications(_tokens(text), names)
    try:
        return read_expression(rewritten)
    except (ExpressionError, OverflowError):
        raise AnswerError("syntax", text=text) from None


# ---- numbers ---------------------------------------------------------------------------------

def parse_number(text: str) -> Fraction:
    """One number: ``2.2``, ``11/5``, ``1.1e2``, ``-3``, ``２.２``, ``−2.2``, ``1.1×2``, ``2^3``."""
    text = normalise(text)
    _refuse_commas(text)
    tokens = _tokens(text)
    for kind, value in tokens:
        if kind == "name" and value in FUNCTIONS:
            raise AnswerError("function-in-number")
        if kind == "name":
            raise AnswerError("not-finite" if value in _NOT_FINITE else "name-in-number", name=value)
        if value in "[];":
            raise AnswerError("bad-character", char=value)
    return _exact(_tree(text, set()))


def _refuse_commas(text: str) -> None:
    match = re.fullmatch(r"\s*(-?[0-9]+)\s*,\s*([0-9]+)\s*", text)
    if match:
        whole, rest = match.groups()
        decimal = f"{whole}.{rest}"
        if len(rest) == 3 and len(whole.lstrip("-")) <= 3 and whole.lstrip("-") != "0":  # 0,375 is only 0.375
            raise AnswerError("thousands-comma", thousands=whole + rest, decimal=decimal)
        raise AnswerError("decimal-comma", suggestion=decimal)
    if "," in text:
        raise AnswerError("decimal-comma", suggestion=text.replace(",", "."))


def _exact(tree) -> Fraction:
    """Exact arithmetic over the DSL tree; every intermediate result is size-checked."""
    if isinstance(tree, Number):
        if sum(c.isdigit() for c in tree.text) > MAX_DIGITS:
            raise AnswerError("too-many-digits", limit=MAX_DIGITS)
        if not math.isfinite(tree.value):
            raise AnswerError("too-large")
        if _LITERAL.fullmatch(tree.text):  # exponent already capped by _tokens
            return _checked(Fraction(tree.text))  # exactly the decimal typed: 1.1e2 is 110
        return _checked(Fraction(repr(tree.value)))  # e.g. "-(2)": the shortest decimal that reads back
    if isinstance(tree, Name):
        raise AnswerError("name-in-number", name=tree.name)
    if tree.op not in _NUMBER_OPS:
        raise AnswerError("function-in-number")
    args = [_exact(a) for a in tree.args]
    if tree.op == "neg":
        return -args[0]
    left, right = args
    if tree.op == "add":
        return _checked(left + right)
    if tree.op == "sub":
        return _checked(left - right)
    if tree.op == "mul":
        return _checked(left * right)
    if tree.op == "div":
        if right == 0:
            raise AnswerError("division-by-zero")
        return _checked(left / right)
    return _power(left, right)


def _power(base: Fraction, exponent: Fraction) -> Fraction:
    if base == 0 and exponent < 0:
        raise AnswerError("division-by-zero")
    size = max(base.numerator.bit_length(), base.denominator.bit_length())
    if exponent.denominator == 1 and size * abs(exponent.numerator) <= MAX_BITS:
        return _checked(base ** exponent.numerator)
    if base < 0 and exponent.denominator != 1:
        raise AnswerError("not-real")
    try:
        result = math.pow(float(base), float(exponent))  # too big to be exact: float, which refuses overflow
    except OverflowError:
        raise AnswerError("too-large") from None
    if result == 0 and base != 0:
        raise AnswerError("too-large")  # underflow: as far out of range as an overflow
    return _checked(Fraction(result))


def _checked(value: Fraction) -> Fraction:
    if max(value.numerator.bit_length(), value.denominator.bit_length()) > MAX_BITS \
            or value.numerator.bit_length() - value.denominator.bit_length() > MAX_MAGNITUDE_BITS:
        raise AnswerError("too-large")
    return value


def read_number(text: str) -> tuple[Fraction, str | None]:
    """One number as people write it where one number is expected: also with thousands separators
    (``60,000``, ``60 000``, as the lecture writes 60,000) and a trailing unit word (``200원``, ``3개``,
    ``200 won``). Returns the number and, when it was read so, a note saying how (``read-thousands``,
    ``read-unit`` with its ``unit``) for the learner, as (key, params) folded into a message by ``say``."""
    note = None
    plain = normalise(text)
    unit = _UNIT.fullmatch(plain)
    if unit and _is_unit(unit.group(2)) and any(c.isdigit() for c in unit.group(1)):
        plain, note = unit.group(1).strip(), ("read-unit", {"unit": unit.group(2)})
    grouped = _THOUSANDS.fullmatch(plain)
    if grouped:
        plain = re.sub(r"[, ]", "", plain)
        note = note or ("read-thousands", {})
    number = parse_number(plain)
    return number, (note and (note[0], {**note[1], "value": plain}))


_THOUSANDS = re.compile(r"-?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?|-?[1-9][0-9]{0,2}(?: [0-9]{3})+(?:\.[0-9]+)?")
_UNITS_EN = ("won", "times", "iterations", "iteration", "items", "item", "passes", "pass", "samples", "apples")
# A word of letters after the number, then checked (_is_unit): a pattern of the Hangul range took ~1 ms to
# compile (~2 ms ignoring case), in every `tutor grade`.
_UNIT = re.compile(r"(.*?[0-9.)])\s*([^\W\d_]+)\.?")


def _is_unit(word: str) -> bool:
    """A Korean word (원, 개, 번) or one of the English unit words, in any case."""
    return word.lower() in _UNITS_EN or all("가" <= c <= "힣" for c in word)


def parse_vector(text: str, size: int | None = None) -> list[Fraction]:
    """Several numbers separated by commas, optionally in brackets: ``3, 6, 9`` or ``[3, 6, 9]``; with no
    comma, numbers separated by spaces (``3 6 9``) are read as written."""
    text = normalise(text)
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1]
    text = text.replace("[", " ").replace("]", " ")
    if not re.search(r"[,;]", text) and _LITERAL_RUN.fullmatch(text.strip()):
        text = ",".join(text.split())
    parts = re.split(r"[,;]", text)
    if any(not p.strip() for p in parts):
        raise AnswerError("syntax", text=text)
    numbers = [parse_number(p) for p in parts]
    if size is not None and len(numbers) != size:
        raise AnswerError("vector-length-one" if len(numbers) == 1 else "vector-length", expected=size,
                          given=len(numbers))
    return numbers


# ---- formulas ---------------------------------------------------------------------------------

def parse_formula(text: str, names) -> object:
    """A formula in the graph's names: ``2(x+y)``, ``2t``, ``xy``, ``exp(x*y) + y/x``. Returns the DSL tree."""
    names = set(names)
    text = normalise(text)
    tree = _tree(text, names)
    stack = [tree]
    while stack:  # the DSL parser accepts any name; only the graph's own are meaningful here
        node = stack.pop()
        if isinstance(node, Name) and node.name not in names:
            raise _unknown_name(node.name, names)
        if isinstance(node, Call):
            stack.extend(node.args)
    return tree


def evaluate_formula(tree, values) -> np.ndarray:
    """The formula's value given every name's value, by the engine's own operations."""
    if isinstance(tree, Number):
        return np.float64(tree.value)
    if isinstance(tree, Name):
        return np.asarray(values[tree.name], dtype=np.float64)
    with np.errstate(all="ignore"):
        return np.asarray(OPS[tree.op].forward(*(evaluate_formula(a, values) for a in tree.args)), dtype=np.float64)
