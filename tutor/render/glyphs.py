"""Every glyph the tutor draws, beside its ASCII twin: one table, so ASCII mode (f3, ``--ascii``,
``TUTOR_ASCII``) misses none. Many Korean terminals draw box-drawing and math characters two cells
wide (East Asian Ambiguous), which breaks the drawings; ASCII mode is their way out.

``glyph(name, ascii)`` is for what the program draws (lines, arrows, marks, bars); ``ascii_text``
turns the program's own Unicode text (math converted from LaTeX, the app's words) into ASCII.
"""

import re
import unicodedata
from functools import cache

GLYPHS: dict[str, tuple[str, str]] = {
    # the graph drawing
    "line": ("─", "-"),
    "vertical": ("│", "|"),
    "arrow": ("▶", ">"),  # into an operator from the left; the output's arrow
    "arrow_back": ("◀", "<"),  # a gradient flowing in from upstream, from the right
    "up": ("▲", "^"),  # into an operator from below
    "down": ("▼", "v"),  # into an operator from above
    "corner_up": ("┘", "+"),  # a line from the left turning up
    "corner_down": ("┐", "+"),  # a line from the left turning down
    "corner_in_up": ("└", "+"),  # a vertical line turning right, coming from above
    "corner_in_down": ("┌", "+"),  # a vertical line turning right, coming from below
    "tee_right": ("├", "+"),  # a vertical line with a branch leaving to the right
    "tee_down": ("┬", "+"),  # a horizontal line with a branch leaving downwards
    "tee_up": ("┴", "+"),  # a horizontal line with a branch leaving upwards
    "tee_left": ("┤", "+"),  # a vertical line with a branch leaving to the left (a chart's y ticks)
    "cross": ("┼", "+"),  # two lines crossing
    # marks and bars of the app
    "correct": ("✓", "OK"),
    "incorrect": ("✗", "X"),
    "invalid": ("⚠", "?"),
    "next": ("▶", "*"),  # the next lesson on the home screen
    "done": ("✓", "v"),  # a finished lesson
    "bar_done": ("█", "#"),
    "bar_todo": ("░", "-"),
    "times": ("×", "*"),  # not x: a variable's name
    "ellipsis": ("…", "..."),
    "to": ("→", "->"),
    "back": ("←", "<-"),
    "separator": ("·", "-"),  # between parts of a title
}


def glyph(name: str, ascii: bool) -> str:
    return GLYPHS[name][1 if ascii else 0]


# A drawing made by a library (plotext's charts) in ASCII: each one-character glyph becomes its
# one-character twin, so the drawing keeps its columns.
_DRAWING_TWINS = str.maketrans({uni: twin for uni, twin in GLYPHS.values() if len(uni) == len(twin) == 1})


def ascii_drawing(text: str) -> str:
    return text.translate(_DRAWING_TWINS)


# The ASCII twin of each symbol the program writes in text (math from LaTeX, its own words).
TWINS = {
    "∂": "d", "·": "*", "×": "*", "÷": "/", "−": "-", "–": "-", "—": "-", "…": "...", "⋯": "...",
    "≤": "<=", "≥": ">=", "≠": "!=", "±": "+/-", "≈": "~=", "→": "->", "←": "<-", "⇒": "=>", "⇔": "<=>",
    "∞": "inf", "√": "sqrt", "Σ": "sum", "Π": "prod", "∇": "grad", "∈": " in ", "⊤": "T", "ℓ": "l",
    "‘": "'", "’": "'", "“": '"', "”": '"', "°": " deg",
    "▶": ">", "◀": "<", "▲": "^", "▼": "v", "✓": "OK", "✗": "X", "⚠": "?", "›": ">",
}
SUPERSCRIPTS = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᴺᵀˣʸ", "0123456789+-=()niNTxy"))  # ˣ: lesson 13's e⁻ˣ
SUBSCRIPTS = dict(zip("₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜₓ", "0123456789+-=()aeijklmnoprstx"))
ACCENT_NAMES = {"\u0302": "hat", "\u0304": "bar", "\u0305": "bar", "\u0303": "tilde", "\u0307": "dot",
                "\u0308": "ddot", "\u20d7": "vec"}
# Compiled when first used: the app's first frame imports this module (glyph) and needs none of them.
compiled = cache(re.compile)
_SCRIPTS = f"[{''.join(SUPERSCRIPTS)}]+|[{''.join(SUBSCRIPTS)}]+"
_ACCENTED = f"(.)([{''.join(ACCENT_NAMES)}])"
_GREEK = "[\u0370-\u03ff]"


def ascii_text(text: str) -> str:
    """``text`` with every symbol the program writes replaced by its ASCII twin: ∂L/∂y → dL/dy,
    x² → x^2, Σᵢ₌₁ᴺ → sum_(i=1)^N, ŷ → hat(y), σ → sigma. Anything else (Hangul) is left as it is."""
    text = compiled(_ACCENTED).sub(lambda m: f"{ACCENT_NAMES[m.group(2)]}({m.group(1)})", text)
    text = compiled(_SCRIPTS).sub(_script_run, text)
    text = "".join(TWINS.get(ch, ch) for ch in text)
    return compiled(_GREEK).sub(_greek_name, text)


def _script_run(match: re.Match) -> str:
    run = match.group(0)
    mark, table = ("^", SUPERSCRIPTS) if run[0] in SUPERSCRIPTS else ("_", SUBSCRIPTS)
    body = "".join(table[ch] for ch in run)
    return f"{mark}{body}" if len(body) == 1 else f"{mark}({body})"


def _greek_name(match: re.Match) -> str:
    name = unicodedata.name(match.group(0), "")  # GREEK SMALL LETTER SIGMA
    word = name.rsplit(" ", 1)[-1].lower() if name.startswith("GREEK") else "?"
    return word.capitalize() if "CAPITAL" in name else word
