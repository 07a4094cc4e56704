"""The node-expression language, read with Python's ``ast`` and an allow-list. Nothing is evaluated here.

``read_expression`` turns text into a small tree of ``Call``/``Name``/``Number`` tuples; anything
not on the list (attributes, subscripts, lambdas, keywords, strings ...) is refused with a message.
"""

import ast
import math
import re
import sys
import unicodedata
from typing import NamedTuple

from .ops import BINARY, FUNCTIONS, OPS

MAX_EXPRESSION_LENGTH = 2000
MAX_DEPTH = 100

_WORD = re.compile(r"[^\W\d]\w*")
_BINARY_AST = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**", ast.MatMult: "@"}


class ExpressionError(ValueError):
    """The text is not an expression of the DSL. ``column`` is 0-based within the text, when known."""

    def __init__(self, message: str, column: int | None = None):
        super().__init__(message)
        self.column = column


# NamedTuples, not dataclasses: on Python 3.11 a dataclass costs ~1 ms to create at import, and every
# `tutor grade` imports the engine (issue 23).
class Number(NamedTuple):
    value: float
    text: str


class Name(NamedTuple):
    name: str
    column: int


class Call(NamedTuple):
    op: str  # a key of OPS
    args: tuple
    text: str  # the sub-expression as written, for names and messages


Expr = Number | Name | Call


def did_you_mean(word: str, choices) -> str:
    import difflib  # here: only a message needs it, and it costs every command's start a millisecond

    close = difflib.get_close_matches(word, list(choices), n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def finite_float(literal: int | float) -> float | None:
    """A number literal as a float, or None when it is too large for one (``1e999``, or a 400-digit
    integer, on which ``float()`` would raise OverflowError)."""
    value = float(literal) if abs(literal) <= sys.float_info.max else math.inf
    return value if math.isfinite(value) else None


def folded_name(text: str) -> tuple[str, int] | None:
    """The first name in ``text`` that Python would read as another (``ｘ`` is read as ``x``: identifiers are
    NFKC-normalised), and its column; None when every name is written as it is read."""
    for match in _WORD.finditer(text):
        if not match.group().isascii() and unicodedata.normalize("NFKC", match.group()) != match.group():
            return match.group(), match.start()
    return None


def read_expression(text: str) -> Expr:
    if not isinstance(text, str):
        raise ExpressionError(f"expected an expression as text, got {type(text).__name__}")
    if folded := folded_name(text):
        raise ExpressionError(f"the name '{folded[0]}' would be read as "
                              f"'{unicodedata.normalize('NFKC', folded[0])}'; write that", folded[1])
    if len(text) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"expression is {len(text)} characters long; the limit is {MAX_EXPRESSION_LENGTH}")
    if not text.strip():
        raise ExpressionError("expression is empty")
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as e:
        column = (e.offset - 1) if e.offset else None
        # repr: a raw control character in the text must not reach the terminal through the message
        raise ExpressionError(f"cannot read {text.strip()!r}: {e.msg}", column) from None
    except (RecursionError, MemoryError, ValueError):
        raise ExpressionError("expression is too deeply nested or malformed") from None
    return _convert(tree.body, text.strip(), 0)


def _convert(node: ast.AST, source: str, depth: int) -> Expr:
    if depth > MAX_DEPTH:
        raise ExpressionError(f"expression is nested more than {MAX_DEPTH} levels deep")
    column = getattr(node, "col_offset", None)
    segment = ast.get_source_segment(source, node) or ""

    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExpressionError(f"{node.value!r} is not a number", column)
        value = finite_float(node.value)
        if value is None:
            raise ExpressionError(f"the number {segment[:20]} is too large", column)
        return Number(value, segment)
    if isinstance(node, ast.Name):
        return Name(node.id, column)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY_AST:
        op = BINARY[_BINARY_AST[type(node.op)]]
        args = (_convert(node.left, source, depth + 1), _convert(node.right, source, depth + 1))
        return Call(op, args, segment)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _convert(node.operand, source, depth + 1)
        if isinstance(node.op, ast.UAdd):
            return operand
        if isinstance(operand, Number):
            return Number(-operand.value, segment)
        return Call("neg", (operand,), segment)
    if isinstance(node, ast.Call):
        if not isinstance(node.func, ast.Name):
            raise ExpressionError(f"only the functions {', '.join(FUNCTIONS)} can be called", column)
        fname = node.func.id
        if fname not in FUNCTIONS:
            raise ExpressionError(f"unknown function '{fname}'{did_you_mean(fname, FUNCTIONS)}", column)
        if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
            raise ExpressionError(f"{fname}() takes plain arguments only", column)
        arity = OPS[fname].arity
        if len(node.args) != arity:
            raise ExpressionError(f"{fname}() takes {arity} argument{'s' if arity > 1 else ''}, got {len(node.args)}", column)
        return Call(fname, tuple(_convert(a, source, depth + 1) for a in node.args), segment)
    if isinstance(node, ast.Attribute):
        raise ExpressionError(f"attribute access ({segment!r}) is not allowed", column)
    what = {ast.Subscript: "indexing", ast.Lambda: "lambda", ast.Compare: "comparison", ast.BoolOp: "and/or",
            ast.IfExp: "if/else", ast.BinOp: "this operator"}.get(type(node), repr(segment))
    raise ExpressionError(f"{what} is not allowed; use + - * / ** @, numbers, names and {', '.join(FUNCTIONS)}", column)
