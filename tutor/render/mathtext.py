"""LaTeX from lesson Markdown as readable Unicode (∂z/∂x, x², w₀, ŷ, Σ), and lesson text made safe
to print: lesson files are untrusted, so escape sequences and bidi overrides never reach the terminal.
"""

import re

from pylatexenc.latex2text import LatexNodes2Text
from rich.cells import cell_len

SUPERSCRIPT = str.maketrans("0123456789+-=()niNT", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱᴺᵀ")
SUBSCRIPT = str.maketrans("0123456789+-=()aeijklmnoprstx", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑᵢⱼₖₗₘₙₒₚᵣₛₜₓ")

# ESC sequences (CSI, OSC ... up to their terminator), then lone C0/C1 controls and bidi overrides.
_ESCAPES = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-_])?|\x9b[0-?]*[ -/]*[@-~]|\x9d[^\x07\x9c]*[\x07\x9c]?")
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def safe_text(s: str) -> str:
    """``s`` without control characters (except newline and tab), escape sequences or bidi overrides."""
    return _CONTROLS.sub("", _ESCAPES.sub("", s))


# A blank in the lecture (\text{---}, \underline{\hspace{2cm}}) is a line to write on.
_BLANKS = re.compile(r"\\text\{\s*-{2,}\s*\}|\\underline\{\\hspace\{[^}]*\}\}")
_ENVIRONMENT = re.compile(r"\\begin\{(cases|aligned|align\*?|gathered|array)\}(?:\{[^}]*\})?(.*?)\\end\{\1\}", re.S)
_SCRIPT = re.compile(r"([\^_])(\{([^{}]*)\}|([^\s{}\\]))")
_SPACED = re.compile(r"\s*([·≤≥≠±→])\s*")
_converter = LatexNodes2Text(math_mode="text", strict_latex_spaces=True)


def latex_to_text(latex: str) -> str:
    """One LaTeX formula as Unicode; the rows of cases/aligned become lines, indented under their start."""
    env = _ENVIRONMENT.search(latex)
    if env is None:
        return _convert(latex)
    before = _convert(latex[:env.start()])
    rows = [_convert(row) for row in env.group(2).split(r"\\")]
    rows = [row for row in rows if row] or [""]
    after = _convert(latex[env.end():])
    lead = before + " " if before else ""
    lines = [lead + rows[0]] + [" " * cell_len(lead) + row for row in rows[1:]]
    lines[-1] += " " + after if after else ""
    return "\n".join(lines)


def _convert(latex: str) -> str:
    latex = _BLANKS.sub(r"\\text{___}", latex)
    # Scripts become Unicode before pylatexenc, which would otherwise print them as ^ and _.
    latex = _SCRIPT.sub(_script, latex)
    text = _converter.latex_to_text(latex).replace("∑", "Σ").replace("&", " ")
    return " ".join(_SPACED.sub(r" \1 ", text).split())


def _script(match: re.Match) -> str:
    mark, body = match.group(1), match.group(3) if match.group(3) is not None else match.group(4)
    table = SUPERSCRIPT if mark == "^" else SUBSCRIPT
    if body and all(ord(ch) in table for ch in body):
        return body.translate(table)
    # Not every letter has a Unicode script form: write it the way people type it.
    return f"{mark}({body})" if len(body) > 1 else f"{mark}{body}"


_CODE = re.compile(r"(`+)(.+?)\1", re.S)
_MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$", re.S)


def markdown_math(md: str) -> str:
    """Every ``$...$`` and ``$$...$$`` span of a Markdown string as Unicode; code spans left alone."""
    parts = []
    last = 0
    for code in _CODE.finditer(md):
        parts.append(_replace_math(md[last:code.start()]))
        parts.append(code.group(0))
        last = code.end()
    parts.append(_replace_math(md[last:]))
    return "".join(parts)


def _replace_math(text: str) -> str:
    def convert(match: re.Match) -> str:
        if match.group(1) is not None:  # display math: its own lines
            return "\n" + latex_to_text(match.group(1)) + "\n"
        return latex_to_text(match.group(2)).replace("\n", "; ")

    return _MATH.sub(convert, text)
