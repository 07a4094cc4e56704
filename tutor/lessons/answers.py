"""Answer expressions (DESIGN.md): ``value(n)``, ``grad(n)``, ``d(m, n)``, ``local(m, n)``, indexing,
``+ - * / **``, unary minus, numbers, params by name, ``sum mean abs``.

Read with Python's ``ast`` and an allow-list, as the graph DSL is; evaluated by walking the small tree
against an engine graph. Nothing is ever passed to ``eval``.
"""

import ast
import unicodedata
from functools import lru_cache

import numpy as np

from tutor.engine import GraphError
from tutor.engine.dsl import did_you_mean, finite_float, folded_name

MAX_LENGTH = 2000
MAX_DEPTH = 50
GRAPH_FUNCTIONS = {"value": 1, "grad": 1, "d": 2, "local": 2}  # their arguments are node names
MATH_FUNCTIONS = {"sum": np.sum, "mean": np.mean, "abs": np.abs}
_BINARY = {ast.Add: np.add, ast.Sub: np.subtract, ast.Mult: np.multiply, ast.Div: np.divide, ast.Pow: np.power}


class AnswerError(ValueError):
    """``column`` is 0-based within the expression text, when known."""

    def __init__(self, message: str, column: int | None = None):
        super().__init__(message)
        self.column = column


# The tree: ("num", value) | ("param", name, col) | ("graph", function, (names...), (cols...))
#           | ("math", function, arg) | ("index", arg, (i, ...), col) | ("binary", ufunc, left, right) | ("neg", arg)

@lru_cache(maxsize=4096)
def parse_answer(text: str) -> tuple:
    if not isinstance(text, str) or not text.strip():
        raise AnswerError("the answer is empty")
    if len(text) > MAX_LENGTH:
        raise AnswerError(f"the answer is {len(text)} characters long; the limit is {MAX_LENGTH}")
    source = text.strip()
    if folded := folded_name(source):
        raise AnswerError(f"the name '{folded[0]}' would be read as '{unicodedata.normalize('NFKC', folded[0])}'; "
                          "write that", folded[1])
    try:
        tree = ast.parse(source, mode="eval")
    except SyntaxError as e:
        raise AnswerError(f"cannot read '{source}': {e.msg}", (e.offset - 1) if e.offset else None) from None
    except (RecursionError, MemoryError, ValueError):
        raise AnswerError("the answer is too deeply nested or malformed") from None
    return _convert(tree.body, source, 0)


def differentiated(text: str) -> set[str]:
    """The nodes m of every ``d(m, n)`` in an answer expression (nothing when it does not parse)."""
    try:
        stack, found = [parse_answer(text)], set()
    except AnswerError:
        return set()
    while stack:
        tree = stack.pop()
        if tree[0] == "graph" and tree[1] == "d":
            found.add(tree[2][0])
        stack += [part for part in tree[1:] if isinstance(part, tuple) and part and isinstance(part[0], str)]
    return found


def _convert(node: ast.AST, source: str, depth: int) -> tuple:
    if depth > MAX_DEPTH:
        raise AnswerError(f"the answer is nested more than {MAX_DEPTH} levels deep")
    column = getattr(node, "col_offset", None)
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise AnswerError(f"{node.value!r} is not a number", column)
        value = finite_float(node.value)
        if value is None:
            raise AnswerError(f"the number {ast.get_source_segment(source, node)[:20]} is too large", column)
        return ("num", value)
    if isinstance(node, ast.Name):
        return ("param", node.id, column)
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return ("binary", _BINARY[type(node.op)], _convert(node.left, source, depth + 1),
                _convert(node.right, source, depth + 1))
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        operand = _convert(node.operand, source, depth + 1)
        return ("neg", operand) if isinstance(node.op, ast.USub) else operand
    if isinstance(node, ast.Call):
        return _convert_call(node, source, depth, column)
    if isinstance(node, ast.Subscript):
        indexes = node.slice.elts if isinstance(node.slice, ast.Tuple) else [node.slice]
        return ("index", _convert(node.value, source, depth + 1), tuple(_index(i) for i in indexes), column)
    segment = ast.get_source_segment(source, node) or source
    raise AnswerError(f"'{segment}' is not allowed in an answer; use value() grad() d() local(), numbers, "
                      f"params, + - * / ** and {', '.join(MATH_FUNCTIONS)}", column)


def _convert_call(node: ast.Call, source: str, depth: int, column) -> tuple:
    known = [*GRAPH_FUNCTIONS, *MATH_FUNCTIONS]
    if not isinstance(node.func, ast.Name) or node.func.id not in known:
        name = node.func.id if isinstance(node.func, ast.Name) else ast.get_source_segment(source, node.func)
        raise AnswerError(f"unknown function '{name}'{did_you_mean(str(name), known)}", column)
    function = node.func.id
    if node.keywords or any(isinstance(a, ast.Starred) for a in node.args):
        raise AnswerError(f"{function}() takes plain arguments only", column)
    arity = GRAPH_FUNCTIONS.get(function, 1)
    if len(node.args) != arity:
        raise AnswerError(f"{function}() takes {arity} argument{'s' if arity > 1 else ''}, got {len(node.args)}",
                          column)
    if function in MATH_FUNCTIONS:
        return ("math", MATH_FUNCTIONS[function], _convert(node.args[0], source, depth + 1))
    for arg in node.args:
        if not isinstance(arg, ast.Name):
            raise AnswerError(f"{function}() takes node names, not '{ast.get_source_segment(source, arg)}'",
                              arg.col_offset)
    return ("graph", function, tuple(a.id for a in node.args), tuple(a.col_offset for a in node.args))


def _index(node: ast.AST) -> int:
    sign = 1
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub):
        sign, node = -1, node.operand
    if isinstance(node, ast.Constant) and type(node.value) is int:
        return sign * node.value
    raise AnswerError("an index must be a whole number, as in value(pred)[1] or grad(W)[0, 1]",
                      getattr(node, "col_offset", None))


def evaluate(tree: tuple, graph, params: dict, known: dict | None = None):
    """The value of a parsed answer on an engine graph (float or ndarray). Raises AnswerError.

    ``known`` puts chosen values in place of graph calls, keyed by ``call_key``: a learner's earlier
    answers, so that what follows from them is computed from them. A gradient ∂m/∂n also takes a known
    gradient ∂m/∂k of a node k between n and m: the backward walk goes on from the learner's value."""
    with np.errstate(all="ignore"):  # a NaN or an infinity is the caller's to refuse, with its own words
        return _evaluate(tree, graph, params, known or {})


def _evaluate(tree: tuple, graph, params: dict, known: dict):
    kind = tree[0]
    if kind == "num":
        return tree[1]
    if kind == "param":
        name, column = tree[1], tree[2]
        if name in params:
            return float(params[name])
        if graph is not None and name in graph.nodes:
            raise AnswerError(f"'{name}' is a node: write value({name}) or grad({name})", column)
        raise AnswerError(f"unknown name '{name}'{did_you_mean(name, list(params))}", column)
    if kind == "graph":
        return _graph_call(tree, graph, known)
    if kind == "math":
        return _plain(tree[1](_evaluate(tree[2], graph, params, known)))
    if kind == "index":
        array = np.asarray(_evaluate(tree[1], graph, params, known))
        try:
            return _plain(array[tree[2]])
        except IndexError:
            where = ", ".join(map(str, tree[2]))
            raise AnswerError(f"index [{where}] does not fit a value of shape {array.shape}", tree[3]) from None
    if kind == "neg":
        return _plain(np.negative(_evaluate(tree[1], graph, params, known)))
    left, right = _evaluate(tree[2], graph, params, known), _evaluate(tree[3], graph, params, known)
    try:
        return _plain(tree[1](left, right))
    except ValueError:
        raise AnswerError(f"shapes {np.shape(left)} and {np.shape(right)} do not fit together") from None


def call_key(tree: tuple, graph) -> tuple | None:
    """A graph call as one key whichever way it is written: grad(n) is d(output, n); None for other trees."""
    if tree[0] != "graph":
        return None
    function, names = tree[1], tree[2]
    return ("d", (graph.output, names[0])) if function == "grad" else (function, names)


def _graph_call(tree: tuple, graph, known: dict):
    function, names, columns = tree[1], tree[2], tree[3]
    if graph is None:
        raise AnswerError(f"{function}() needs a graph, and this problem has none", columns[0])
    for name, column in zip(names, columns):
        if name not in graph.nodes or not graph.nodes[name].named:
            named = [n for n, node in graph.nodes.items() if node.named]
            raise AnswerError(f"unknown node '{name}'{did_you_mean(name, named)}", column)
    key = call_key(tree, graph)
    if key in known:
        return known[key]
    try:
        if key[0] == "d":
            m, n = key[1]
            if function == "d" and n != m and n not in graph.backward(m).grads:  # ∂m/∂n would be 0 for nothing
                turned = f" (did you mean d({n}, {m})?)" if m in graph.backward(n).grads else ""
                raise AnswerError(f"d({m}, {n}): '{m}' is not computed from '{n}', so ∂{m}/∂{n} is 0 whatever the "
                                  f"values{turned}", columns[0])
            substitute = {k[1][1]: v for k, v in known.items() if k[0] == "d" and k[1][0] == m and k[1][1] != n}
            flow = graph.backward(m, substitute=substitute).grads.get(n) if substitute else None
            if flow is not None:
                return _plain(flow)
        return getattr(graph, function)(*names)
    except GraphError as e:
        raise AnswerError(str(e), columns[-1]) from None


def _plain(value):
    return float(value) if np.ndim(value) == 0 else np.asarray(value, dtype=np.float64)


def answer_target(problem) -> tuple[str, ...] | None:
    """("forward", node) when the answer is exactly value(node), ("backward", node) when exactly grad(node),
    ("flow", m, n) when it is the gradient along the one edge from n into m (``one_edge``)."""
    if problem.type == "choice":
        return None
    try:
        tree = parse_answer(problem.answer)
    except AnswerError:
        return None
    if tree[0] == "graph" and tree[1] in ("value", "grad"):
        return ("forward" if tree[1] == "value" else "backward", tree[2][0])
    edge = one_edge(tree)
    return ("flow", *edge) if edge else None


def one_edge(tree) -> tuple[str, str] | None:
    """(m, n) when the parsed answer is ``grad(m) * local(m, n)``, either way round: the gradient along the
    edge from n into m alone (lesson 6: back to x along the u branch)."""
    if tree[0] != "binary" or tree[1] is not np.multiply:
        return None
    calls = sorted((side[1], side[2]) for side in tree[2:] if side[0] == "graph")
    if len(calls) == 2 and [c[0] for c in calls] == ["grad", "local"] and calls[0][1] == calls[1][1][:1]:
        return calls[1][1]
    return None
