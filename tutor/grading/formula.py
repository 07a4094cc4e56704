"""The answer of a formula problem written as a formula in the problem's variables: ``2(x + y)``, ``y(1 − y)``.

The engine computes numbers; this module writes the same chain rule out in symbols. Each operation's local
derivative is a formula over its inputs ``x``, ``y`` and its output ``out`` (beside the engine's numeric
rule, and tested against it); ``grad``/``d`` sum the products along every path, as the engine's backward
walk does; a node that is not one of the problem's ``vars`` is replaced by its own definition. The result
is simplified only in ways that keep it the same function (numbers folded, ``× 1`` and ``+ 0`` dropped), and
is shown only after it has been evaluated at the grading points and found equal to the engine's answer.
An operation on whole vectors or matrices has no formula here: such a problem needs an author's
``display:``.

Trees: ``("num", value)``, ``("name", n)``, ``("op", op, (args...))`` with op in ``+ * − / ^ neg`` and the
elementwise functions.
"""

from functools import lru_cache

from tutor.engine import read_expression
from tutor.engine.dsl import Name, Number
from tutor.lessons.answers import AnswerError, parse_answer

# ∂out/∂(each input): DSL text over the inputs x, y and the output out
LOCAL = {
    "add": ("1", "1"), "sub": ("1", "-1"), "mul": ("y", "x"), "div": ("1 / y", "-x / y ** 2"),
    "pow": ("y * x ** (y - 1)", "out * log(x)"), "neg": ("-1",), "sigmoid": ("out * (1 - out)",),
    "tanh": ("1 - out ** 2",), "exp": ("out",), "log": ("1 / x",), "square": ("2 * x",),
}
FUNCTIONS = {"sigmoid", "tanh", "exp", "log", "square", "relu"}  # elementwise: a formula may show them
_INFIX = {"add": "+", "sub": "−", "mul": "·", "div": "/", "pow": "^"}


class NoFormula(Exception):
    """The answer cannot be written in the problem's variables here (a vector operation, an input that is
    not among the vars ...)."""


def answer_formula(graph, answer: str, variables, params: dict):
    """The answer expression as a formula tree over ``variables``. Raises NoFormula."""
    try:
        tree = parse_answer(answer)
    except AnswerError:
        raise NoFormula from None
    return _Writer(graph, set(variables)).answer(tree, params)


class _Writer:
    def __init__(self, graph, variables: set[str]):
        self.graph, self.variables = graph, variables

    def answer(self, tree, params: dict):
        kind = tree[0]
        if kind == "num":
            return ("num", tree[1])
        if kind == "param":
            if tree[1] not in params:
                raise NoFormula
            return ("num", float(params[tree[1]]))
        if kind == "neg":
            return neg(self.answer(tree[1], params))
        if kind == "binary":
            op = {"add": "add", "subtract": "sub", "multiply": "mul", "divide": "div", "power": "pow"}[tree[1].__name__]
            return combine(op, self.answer(tree[2], params), self.answer(tree[3], params))
        if kind != "graph":
            raise NoFormula  # sum, mean, abs and indexing work on arrays
        function, names = tree[1], tree[2]
        if function == "value":
            return self.node(names[0])
        if function == "local":
            return self.local(*names)
        m, n = (self.graph.output, names[0]) if function == "grad" else names
        return self.gradient(m, n)

    def node(self, name: str):
        """The node's value in the variables: a variable, a number, or its definition."""
        node = self.graph.nodes[name]
        if name in self.variables:
            return ("name", name)
        if node.kind == "const":
            return ("num", float(self.graph.values[name]))
        if node.is_leaf or node.op not in LOCAL and node.op not in FUNCTIONS:
            raise NoFormula
        args = [self.node(a) for a in node.args]
        return combine(node.op, *args) if node.op in _INFIX else ("op", node.op, tuple(args))

    def local(self, m: str, n: str):
        """∂m/∂n for a direct input n of m (summed when n is more than one of its inputs)."""
        node = self.graph.nodes[m]
        if node.is_leaf or node.op not in LOCAL:
            raise NoFormula
        terms = [self._template(LOCAL[node.op][i], m) for i, arg in enumerate(node.args) if arg == n]
        if not terms or any(term is None for term in terms):
            raise NoFormula
        total = terms[0]
        for term in terms[1:]:
            total = combine("add", total, term)
        return total

    def _template(self, text: str | None, m: str):
        if text is None:
            return None
        node = self.graph.nodes[m]
        operands = dict(zip("xy", node.args))
        return _substitute(_template_tree(text), lambda v: self.node(operands[v]) if v in operands else self.node(m))

    def gradient(self, m: str, n: str):
        """∂m/∂n: the sum over every path of the products of local derivatives, from m back to n."""
        nodes = list(self.graph.nodes)
        on_a_path = {n}  # n and every node its value flows into
        for name in nodes:
            if any(a in on_a_path for a in self.graph.nodes[name].args):
                on_a_path.add(name)
        grads = {m: ("num", 1.0)}
        for name in reversed(nodes[: nodes.index(m) + 1]):
            if name == n or name not in grads or self.graph.nodes[name].is_leaf:
                continue
            for arg in dict.fromkeys(self.graph.nodes[name].args):
                if arg not in on_a_path:
                    continue
                flow = combine("mul", grads[name], self.local(name, arg))
                grads[arg] = combine("add", grads[arg], flow) if arg in grads else flow
        return grads.get(n, ("num", 0.0))


@lru_cache(maxsize=64)
def _template_tree(text: str):
    return _from_dsl(read_expression(text))


def _from_dsl(expr):
    if isinstance(expr, Number):
        return ("num", expr.value)
    if isinstance(expr, Name):
        return ("name", expr.name)
    args = [_from_dsl(a) for a in expr.args]
    return combine(expr.op, *args) if expr.op in _INFIX or expr.op == "neg" else ("op", expr.op, tuple(args))


def _substitute(tree, value_of):
    if tree[0] == "name":
        return value_of(tree[1])
    if tree[0] == "op":
        args = [_substitute(a, value_of) for a in tree[2]]
        return combine(tree[1], *args) if tree[1] in _INFIX or tree[1] == "neg" else ("op", tree[1], tuple(args))
    return tree


# ---- building with the simplifications that keep the function ----------------------------------------

def neg(a):
    if a[0] == "num":
        return ("num", -a[1])
    if a[0] == "op" and a[1] == "neg":
        return a[2][0]
    return ("op", "neg", (a,))


def combine(op: str, *args):
    if op == "neg":
        return neg(args[0])
    a, b = args
    if a[0] == "num" and b[0] == "num" and op != "pow":
        value = {"add": a[1] + b[1], "sub": a[1] - b[1], "mul": a[1] * b[1],
                 "div": a[1] / b[1] if b[1] else None}[op]
        if value is not None:
            return ("num", value)
    if op == "add":
        if a == ("num", 0.0):
            return b
        if b == ("num", 0.0):
            return a
        if b[0] == "op" and b[1] == "neg":
            return combine("sub", a, b[2][0])
    if op == "sub":
        if b == ("num", 0.0):
            return a
        if a == ("num", 0.0):
            return neg(b)
        if b[0] == "num" and b[1] < 0:
            return combine("add", a, ("num", -b[1]))
    if op == "mul":
        if ("num", 0.0) in (a, b):
            return ("num", 0.0)
        if a == ("num", 1.0):
            return b
        if b == ("num", 1.0):
            return a
        if a == ("num", -1.0):
            return neg(b)
        if b == ("num", -1.0):
            return neg(a)
        if b[0] == "num":  # the number first: 2x, not x·2
            a, b = b, a
        if a[0] == "num" and b[0] == "op" and b[1] == "mul" and b[2][0][0] == "num":
            return combine("mul", ("num", a[1] * b[2][0][1]), b[2][1])
        if a[0] == "op" and a[1] == "neg":
            return neg(combine("mul", a[2][0], b))
        if b[0] == "op" and b[1] == "neg":
            return neg(combine("mul", a, b[2][0]))
    if op == "div" and b == ("num", 1.0):
        return a
    if op == "pow":
        if b[0] == "num" and a[0] == "num":
            return ("num", a[1] ** b[1])
        if b == ("num", 1.0):
            return a
        if b == ("num", 0.0):
            return ("num", 1.0)
    return ("op", op, (a, b))


# ---- as the learner reads it, and may type it back -------------------------------------------------------

_PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "neg": 3, "pow": 4}


def written(tree) -> str:
    """``2(x + y)``, ``y(1 − y)``, ``x·y``, ``−x/y²``: the tutor's answer parser reads every one back."""
    kind = tree[0]
    if kind == "num":
        from tutor.render.numbers import format_number

        return format_number(tree[1]).replace("-", "−")
    if kind == "name":
        return tree[1]
    op, args = tree[1], tree[2]
    if op == "neg":
        return "−" + _wrapped(args[0], 3)
    if op == "mul":
        left, right = _wrapped(args[0], 2), _wrapped(args[1], 2, right=True)
        # 2x, 2(x + y), y(1 − y); but dy·(1 − y) and x·y, which would read as a call or as one name
        short = args[0][0] == "num" or (args[0][0] == "name" and len(left) == 1)
        juxtaposed = short and (right.startswith("(") or (args[0][0] == "num" and right[0].isalpha()))
        return f"{left}{right}" if juxtaposed and not left.endswith(")") else f"{left}·{right}"
    if op == "pow":
        base = _wrapped(args[0], 5)
        return f"{base}²" if args[1] == ("num", 2.0) else f"{base}^{_wrapped(args[1], 5)}"
    if op in _INFIX:
        symbol = f" {_INFIX[op]} " if op in ("add", "sub") else _INFIX[op]
        return f"{_wrapped(args[0], _PRECEDENCE[op])}{symbol}{_wrapped(args[1], _PRECEDENCE[op], right=True)}"
    return f"{op}({', '.join(written(a) for a in args)})"


def _wrapped(tree, outer: int, right: bool = False) -> str:
    text = written(tree)
    inner = _PRECEDENCE.get(tree[1], 5) if tree[0] == "op" else (3 if text.startswith("−") else 5)
    if inner < outer or (right and inner == outer and outer in (1, 2)):
        return f"({text})"
    return text


def evaluate(tree, values: dict):
    """The formula's value with each variable's value (numpy, elementwise): to check it against the engine."""
    import numpy as np

    from tutor.engine import OPS

    kind = tree[0]
    if kind == "num":
        return np.float64(tree[1])
    if kind == "name":
        return np.asarray(values[tree[1]], dtype=np.float64)
    with np.errstate(all="ignore"):
        return OPS[tree[1]].forward(*(evaluate(a, values) for a in tree[2]))
