"""Hints derived from the graph, one step closer each time, and the worked solution.

For a gradient blank: the rule at the node the gradient passes through, then the chain-rule product with
the numbers filled in but not multiplied out. Only ``solution`` gives the final number.
"""

import numpy as np

from tutor.engine import OPS, Graph
from tutor.engine.ops import matrix_operand
from tutor.render.numbers import format_value

from .messages import MESSAGES, say
from .mistakes import Target


def gradient_steps(graph: Graph, target: Target, lang: str, labels: dict[str, str]) -> tuple[list[str], str | None]:
    """(hints, the product they lead to) for ∂m/∂n; the product is what the solution multiplies out.
    ``labels``: the lesson's names for nodes in ``lang`` (node → label); other nodes go by their own names."""
    if target.kind == "local":
        return [_rule(graph, target.m, lang, labels)], f"∂{label(graph, target.m, labels)}/∂{label(graph, target.n, labels)}"
    if target.n == target.m:
        return [say("hint-output", lang)], None
    back = graph.backward(target.m)
    paths = [(c, i) for c, i in graph.consumers(target.n) if c in back.grads]
    consumers = list(dict.fromkeys(c for c, _ in paths))
    hints = [_rule(graph, c, lang, labels) for c in consumers]
    m, n = label(graph, target.m, labels), label(graph, target.n, labels)
    if len(paths) > 1:
        hints.insert(0, say("hint-paths", lang, node=n, consumers=", ".join(label(graph, c, labels) for c in consumers)))
    if consumers == [target.m]:
        return hints, f"∂{m}/∂{n}"  # the local derivative itself: any filled-in form is the answer
    def chained(c: str) -> str:
        if c == target.m:
            return f"∂{m}/∂{n}"
        term = f"∂{m}/∂{label(graph, c, labels)} × ∂{label(graph, c, labels)}/∂{n}"
        # n broadcast into c (a bias added to every sample): its gradient is the sum of the products
        matrix = matrix_operand(graph.nodes[c].op, graph.nodes[c].args.index(target.n))  # x or W: the book's rule
        summed = np.shape(back.grads[c]) != np.shape(graph.values[target.n]) and not matrix
        return f"Σ({term})" if summed else term

    symbols = " + ".join(chained(c) for c in consumers)
    factors = [(back.grads[c], graph.local(c, target.n), c == target.m) for c in consumers]
    formula = f"∂{m}/∂{n} = {symbols}"
    if all(np.ndim(up) == 0 and np.ndim(local) == 0 for up, local, _ in factors):
        # With arrays a plain "a × b" would hide the broadcasting sums, so numbers only for scalars.
        formula += " = " + " + ".join(_product(*factor) for factor in factors)
    hints.append(say("hint-compute", lang, formula=formula))
    return hints, formula


def forward_steps(graph: Graph, name: str, lang: str, labels: dict[str, str]) -> tuple[list[str], str | None]:
    """For a value(n) blank: the node's formula, then with its inputs' values in place."""
    node = graph.nodes[name]
    if node.is_leaf:
        return [], None
    formula = f"{label(graph, name, labels)} = {_applied(node, [format_value(graph.values[a]) for a in node.args])}"
    return [_definition(graph, name, labels), say("hint-compute", lang, formula=formula)], formula


def _applied(node, operands: list[str]) -> str:
    """The node's operation on ``operands`` as the drawing names it: ``a × b``, ``ReLU(a)``, ``MSE(a, b)``."""
    if len(operands) == 2 and node.op in ("add", "sub", "mul", "div", "pow", "matmul"):
        symbol = {"sub": "−", "pow": "^"}.get(node.op, OPS[node.op].symbol)
        return f"{operands[0]} {symbol} {operands[1]}"
    return f"{_FUNCTION_NAMES.get(node.op, node.op)}({', '.join(operands)})"


_FUNCTION_NAMES = {"relu": "ReLU", "mse": "MSE", "sse": "SSE", "sum": "Σ", "affine": "Affine",
                   "softmax_cross_entropy": "SoftmaxWithLoss"}


def _definition(graph: Graph, name: str, labels: dict[str, str]) -> str:
    """``사과 값 = 사과 가격 × 사과 개수``: the node as the learner sees it, then its operation on its inputs
    as they are seen (never the DSL text the lesson was written in)."""
    node = graph.nodes[name]
    if not node.named:
        return _spoken(graph, name, labels)
    return f"{label(graph, name, labels)} = {_applied(node, [_operand(graph, a, labels, node, i) for i, a in enumerate(node.args)])}"


def _rule(graph: Graph, name: str, lang: str, labels: dict[str, str]) -> str:
    node = graph.nodes[name]
    key = f"rule-{node.op}" if f"rule-{node.op}" in MESSAGES else "rule-chain"
    return say(key, lang, node=label(graph, name, labels), what=_definition(graph, name, labels))


_PRECEDENCE = {"add": 1, "sub": 1, "mul": 2, "div": 2, "matmul": 2, "neg": 3, "pow": 4}
_SUFFIX = {"square": "²", "transpose": "ᵀ"}


def label(graph: Graph, name: str, labels: dict[str, str]) -> str:
    """A node as a sentence names it, in what the learner sees: the lesson's label, else its name; an
    unnamed node (a nested expression) is the operation it draws on its inputs so named, bracketed when it
    is a sum or product ((처음 w × x1), ReLU(w1 × X)), a constant its number. Generated node names and DSL
    text never appear."""
    text = _spoken(graph, name, labels)
    node = graph.nodes[name]
    compound = not node.named and name not in labels and node.op in _PRECEDENCE
    return f"({text})" if compound else text


def _spoken(graph: Graph, name: str, labels: dict[str, str]) -> str:
    node = graph.nodes[name]
    if name in labels:
        return labels[name]
    if node.named:
        return name
    if node.kind == "const":
        return format_value(graph.values[name])
    operands = [_operand(graph, a, labels, node, i) for i, a in enumerate(node.args)]
    if node.op == "neg":
        return f"−{operands[0]}"
    if node.op in _SUFFIX:
        return f"{operands[0]}{_SUFFIX[node.op]}"
    return _applied(node, operands)


def _operand(graph: Graph, name: str, labels: dict[str, str], parent, index: int) -> str:
    """An input of an operation, bracketed where the operation around it would misread it: (x + y)²,
    a − (b − c), 2 × (−3)."""
    text = _spoken(graph, name, labels)
    node = graph.nodes[name]
    if name in labels or node.named:
        return text
    if node.kind == "const":
        return f"({text})" if text.startswith("-") and parent.op in _PRECEDENCE else text
    inner = _PRECEDENCE.get(node.op, 5)
    outer = 4 if parent.op in _SUFFIX else _PRECEDENCE.get(parent.op, 0)
    if inner < outer or (inner == outer and index == 1 and parent.op in ("sub", "div")):
        return f"({text})"
    return text


def _product(upstream, local, is_output: bool) -> str:
    return format_value(local) if is_output else f"{format_value(upstream)} × {format_value(local)}"
