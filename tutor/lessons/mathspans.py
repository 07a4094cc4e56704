"""Where the math is in lesson text (``$...$``, ``$$...$$``, not inside code spans), and how deeply a
formula may nest. The loader refuses a formula nested deeper than ``MAX_MATH_DEPTH`` braces at its
file:line:col before anything reads it; ``tutor.render.mathtext`` writes the formulas that pass."""

import re

MAX_MATH_DEPTH = 16  # nested braces in one formula; the bundled course needs 2

CODE = re.compile(r"(`+)(.+?)\1", re.S)
MATH = re.compile(r"\$\$(.+?)\$\$|(?<![\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$", re.S)


def math_spans(md: str):
    """(offset of the formula in ``md``, the formula) for each math span outside code spans."""
    last = 0
    for code in [*CODE.finditer(md), None]:
        end = code.start() if code else len(md)
        for match in MATH.finditer(md, last, end):
            group = 1 if match.group(1) is not None else 2
            yield match.start(group), match.group(group)
        last = code.end() if code else end


def math_depth_error(md: str) -> tuple[int, str] | None:
    """Where the first formula of ``md`` nested deeper than ``MAX_MATH_DEPTH`` braces goes over it (an
    offset into ``md``) and what to say; None when every formula fits. A linear scan, no parsing."""
    for start, latex in math_spans(md):
        depth = 0
        for i, ch in enumerate(latex):
            if ch in "{}" and i and latex[i - 1] == "\\":
                continue  # \{ and \} are braces to print
            if ch == "{":
                depth += 1
                if depth > MAX_MATH_DEPTH:
                    return start + i, (f"math nested more than {MAX_MATH_DEPTH} braces deep (the limit, "
                                       "MAX_MATH_DEPTH); write the formula flatter")
            elif ch == "}":
                depth = max(0, depth - 1)
    return None
