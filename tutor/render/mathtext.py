"""LaTeX from lesson Markdown as readable Unicode (∂z/∂x, x², w₀, ŷ, Σᵢ₌₁ᴺ) or, in ASCII mode, as
plain ASCII (dz/dx, x^2, w_0, hat(y), sum_(i=1)^N); and lesson text made safe to print: lesson files
are untrusted, so escape sequences and bidi overrides never reach the terminal.

The formula is read here, not by pylatexenc's parser: that one recurses once per brace (300 nested
braces crashed the app) and prints ``\\frac{1}{1 + x}`` as ``1/1 + x``. Reading is a loop over tokens
with an explicit stack of groups, and a group is written after the groups inside it (in reverse order
of opening), so nothing recurses however deep the braces go; the loader still refuses a formula nested
deeper than ``lessons.mathspans.MAX_MATH_DEPTH`` before this ever sees it. pylatexenc is kept for its
table of symbols (``\\partial`` → ∂, ``\\le`` → ≤, Greek letters …).
"""

import re
import unicodedata
from functools import cache, lru_cache

from rich.cells import cell_len

from .glyphs import ascii_text

SUPERSCRIPT = str.maketrans("0123456789+-=()niNT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᴺᵀ")
SUBSCRIPT = str.maketrans("0123456789+-=()aeijklmnoprstx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜₓ")

# The patterns below are compiled when first used, not when the module is imported: the app's first
# frame imports this module (safe_text) and needs none of them.
compiled = cache(re.compile)

# ESC sequences (CSI, OSC ... up to their terminator), then lone C0/C1 controls and bidi overrides.
_ESCAPES = r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-_])?|\x9b[0-?]*[ -/]*[@-~]|\x9d[^\x07\x9c]*[\x07\x9c]?"
_CONTROLS = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]"


def safe_text(s: str) -> str:
    """``s`` without control characters (except newline and tab), escape sequences or bidi overrides."""
    if s.isprintable():  # every character removed below is unprintable: nothing to remove
        return s
    return compiled(_CONTROLS).sub("", compiled(_ESCAPES).sub("", s))


# ---- reading: tokens into groups, with an explicit stack -------------------------------------------

_TOKEN = r"(?s)\\[A-Za-z]+\*?|\\.|\s+|."


class _Group:
    """A brace group. A plain class: a dataclass is built when the module is imported (~0.4 ms), and
    the app's first frame imports this module for safe_text."""

    __slots__ = ("items", "text")

    def __init__(self) -> None:
        self.items: list = []  # str tokens and _Group children, in order
        self.text = ""  # filled in once the group is written


def _read(latex: str) -> list[_Group]:
    """Every brace group, the whole formula first; an unmatched brace is read as if closed (or ignored)."""
    root = _Group()
    groups, stack = [root], [root]
    previous = ""
    for token in compiled(_TOKEN).findall(latex):
        if token.isspace() and previous[:1] == "\\" and previous[1:2].isalpha():
            continue  # a space after a control word only ends it, as in LaTeX
        previous = token
        if token == "{":
            group = _Group()
            stack[-1].items.append(group)
            stack.append(group)
            groups.append(group)
        elif token == "}":
            if len(stack) > 1:
                stack.pop()
        else:
            stack[-1].items.append(token)
    return groups


# ---- writing one group, its inner groups already written -----------------------------------------

ACCENTS = {"hat": "\u0302", "widehat": "\u0302", "bar": "\u0304", "overline": "\u0305", "tilde": "\u0303",
           "widetilde": "\u0303", "dot": "\u0307", "ddot": "\u0308", "vec": "\u20d7"}
PLAIN = {"text", "textrm", "textit", "textbf", "mathrm", "mathit", "mathbf", "mathsf", "mathtt", "mathcal",
         "mathbb", "boldsymbol", "operatorname", "emph", "mbox"}
DROPPED = {"left", "right", "big", "Big", "bigg", "Bigg", "bigl", "bigr", "Bigl", "Bigr", "limits", "nolimits",
           "displaystyle", "textstyle", "!"}
SPACES = {"quad", "qquad", ",", ";", ":", " ", "\\", "enspace", "thinspace"}
FRACTIONS = {"frac", "dfrac", "tfrac", "cfrac"}
LITERAL = {"{", "}", "%", "$", "&", "_", "#"}
_SPACED = r"\s*([·≤≥≠±→←≈⇒⇔∈×])\s*"
# A term a fraction's slash binds: a number, one letter (∂ before it, scripts and accents after), a call.
_MARKS = "".join(chr(c) for c in (*SUPERSCRIPT.values(), *SUBSCRIPT.values())) + "\u0300-\u036f\u20d7"
_SIMPLE = rf"\d+(\.\d+)?|(∂[{_MARKS}]*)?[^\W\d_][{_MARKS}]*|∂|[^\W\d]\w*\([^()]*\)"
_INSIDE_BRACKETS = r"(?<=[(\[])\s+|\s+(?=[)\]])|\s+$"
_TERM_START = r"[\w(∂Σ√\[]"
_TERM_END = rf"[\w)\]{_MARKS}]$"


@lru_cache(maxsize=512)
def _symbol(name: str) -> str:
    """A macro without arguments (∂, ·, ≤, α …) from pylatexenc's table; an unknown one by its name."""
    from pylatexenc.latex2text import get_default_latex_context_db

    spec = get_default_latex_context_db().get_macro_spec(name)
    repl = getattr(spec, "simplify_repl", None)
    if isinstance(repl, str) and "%" not in repl:
        return repl.replace("∑", "Σ").replace("∏", "Π")
    return name


def _wrapped(term: str) -> str:
    """``term`` as one side of a slash: parenthesised unless it is simple or already in brackets."""
    term = term.strip()
    if compiled(_SIMPLE).fullmatch(tight := "".join(term.split())):
        return tight  # ∂² L → ∂²L
    if _bracketed(term):
        return term
    return f"({term})"


def _bracketed(term: str) -> bool:
    if not (term.startswith("(") and term.endswith(")")):
        return False
    depth = 0
    for i, ch in enumerate(term):
        depth += (ch == "(") - (ch == ")")
        if depth == 0 and i < len(term) - 1:
            return False
    return True


def _script(mark: str, body: str) -> str:
    table = SUPERSCRIPT if mark == "^" else SUBSCRIPT
    if body and all(ord(ch) in table for ch in body):
        return body.translate(table)
    # Not every letter has a Unicode script form: write it the way people type it.
    return f"{mark}({body})" if len(body) > 1 else f"{mark}{body}"


def _write(group: _Group) -> str:
    pieces: list[tuple[str, bool]] = []  # (text, is a fraction)
    items = group.items
    i = 0

    def argument() -> str:
        nonlocal i
        while i < len(items) and isinstance(items[i], str) and items[i].isspace():
            i += 1
        if i >= len(items):
            return ""
        item = items[i]
        i += 1
        if isinstance(item, _Group):
            return item.text
        return _symbol(item[1:]) if item.startswith("\\") and item[1:2].isalpha() else item

    while i < len(items):
        item = items[i]
        i += 1
        if isinstance(item, _Group):
            pieces.append((item.text, False))
        elif item in ("^", "_"):
            pieces.append((_script(item, argument().strip()), False))
        elif item == "&" or item == "~" or item.isspace():
            pieces.append((" ", False))
        elif not item.startswith("\\") or len(item) == 1:
            pieces.append((item, False))
        else:
            name = item[1:].rstrip("*")
            if name in FRACTIONS:
                numerator, denominator = argument(), argument()
                pieces.append((f"{_wrapped(numerator)}/{_wrapped(denominator)}", True))
            elif name in ACCENTS:
                body = argument().strip()
                pieces.append(("".join(ch + ACCENTS[name] for ch in body), False))
            elif name in PLAIN:
                pieces.append((argument(), False))
            elif name == "sqrt":
                body = argument().strip()
                simple = compiled(_SIMPLE).fullmatch(body) or _bracketed(body)
                pieces.append(("√" + (body if simple else f"({body})"), False))
            elif name in SPACES:
                pieces.append((" ", False))
            elif name in LITERAL:
                pieces.append((name, False))
            elif name not in DROPPED:
                symbol = _symbol(name)
                pieces.append((symbol, False))
                if symbol[-1:].isalpha() and i < len(items) and _starts_a_term(items[i]):
                    pieces.append((" ", False))  # \log y is log y, not logy
    return _join(pieces)


def _starts_a_term(item) -> bool:
    return isinstance(item, _Group) or item[:1].isalnum() or (item[:1] == "\\" and item[1:2].isalpha())


def _join(pieces: list[tuple[str, bool]]) -> str:
    """The pieces as one text; a fraction written beside a term (``\\frac{1}{N}\\sum``) is
    parenthesised, since ``1/N Σ`` could be read as 1/(N·Σ)."""
    out = []
    for k, (text, fraction) in enumerate(pieces):
        if fraction:
            after = next((p for p, _ in pieces[k + 1:] if p.strip()), "")
            before = next((p for p, _ in reversed(pieces[:k]) if p.strip()), "")
            beside = (compiled(_TERM_START).match(after) or next((f for p, f in pieces[k + 1:] if p.strip()), False)
                      or compiled(_TERM_END).search(before))
            if beside:
                text = f"({text})"
        out.append(text)
    return "".join(out)


def _convert(latex: str, ascii: bool) -> str:
    groups = _read(compiled(_BLANKS).sub(r"\\text{___}", latex))
    for group in reversed(groups):  # inner groups were opened later: they are written first
        group.text = _write(group)
    text = " ".join(compiled(_SPACED).sub(r" \1 ", groups[0].text).split())
    text = compiled(_INSIDE_BRACKETS).sub("", text)
    # Accents are combining marks until here; precomposed where Unicode has the letter (ŷ).
    return ascii_text(text) if ascii else unicodedata.normalize("NFC", text)


# ---- formulas, environments and Markdown ---------------------------------------------------------

# A blank in the lecture (\text{---}, \underline{\hspace{2cm}}) is a line to write on.
_BLANKS = r"\\text\{\s*-{2,}\s*\}|\\underline\{\\hspace\{[^}]*\}\}"
_ENVIRONMENT = r"(?s)\\begin\{(cases|aligned|align\*?|gathered|array)\}(?:\{[^}]*\})?(.*?)\\end\{\1\}"


def latex_to_text(latex: str, ascii: bool = False) -> str:
    """One LaTeX formula as Unicode (or ASCII); the rows of cases/aligned become lines, indented under
    their start."""
    env = compiled(_ENVIRONMENT).search(latex)
    if env is None:
        return _convert(latex, ascii)
    before = _convert(latex[:env.start()], ascii)
    rows = [_convert(row, ascii) for row in env.group(2).split(r"\\")]
    rows = [row for row in rows if row] or [""]
    after = _convert(latex[env.end():], ascii)
    lead = before + " " if before else ""
    lines = [lead + rows[0]] + [" " * cell_len(lead) + row for row in rows[1:]]
    lines[-1] += " " + after if after else ""
    return "\n".join(lines)


def markdown_math(md: str, ascii: bool = False) -> str:
    """Every ``$...$`` and ``$$...$$`` span of a Markdown string as Unicode (or ASCII); code spans
    left alone."""
    from ..lessons.mathspans import CODE  # here: tutor.lessons brings numpy, and the app's first frame needs none

    parts = []
    last = 0
    for code in CODE.finditer(md):
        parts.append(_replace_math(md[last:code.start()], ascii))
        parts.append(code.group(0))
        last = code.end()
    parts.append(_replace_math(md[last:], ascii))
    return "".join(parts)


def _replace_math(text: str, ascii: bool) -> str:
    from ..lessons.mathspans import MATH

    def convert(match: re.Match) -> str:
        if match.group(1) is not None:  # display math: its own lines
            return "\n" + latex_to_text(match.group(1), ascii) + "\n"
        return latex_to_text(match.group(2), ascii).replace("\n", "; ")

    return MATH.sub(convert, text)
