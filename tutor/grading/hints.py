"""Hints derived from the graph, one step closer each time, and the worked solution.

For a gradient blank: the rule at the node the gradient passes through, then the chain-rule product with
the numbers filled in but not multiplied out. Only ``solution`` gives the final number.
"""

import numpy as np

from tutor.engine import OPS, Graph
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
    symbols = " + ".join(f"∂{m}/∂{label(graph, c, labels)} × ∂{label(graph, c, labels)}/∂{n}" if c != target.m
                         else f"∂{m}/∂{n}" for c in consumers)
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
    """The node's operation on ``operands``: ``a × b``, or ``relu(a)``."""
    if len(operands) == 2 and node.op in ("add", "sub", "mul", "div", "pow", "matmul"):
        return f"{operands[0]} {OPS[node.op].symbol} {operands[1]}"
    return f"{node.op}({', '.join(operands)})"


def _definition(graph: Graph, name: str, labels: dict[str, str]) -> str:
    """``apple_total = apple_price * apple_count`` as the lesson wrote it; in the lesson's labels when it
    labels the node or its inputs (사과 값 = 사과 가격 × 사과 개수)."""
    node = graph.nodes[name]
    if not any(n in labels for n in (name, *node.args)):
        return f"{name} = {node.source}" if node.named else node.source
    return f"{label(graph, name, labels)} = {_applied(node, [label(graph, a, labels) for a in node.args])}"


def _rule(graph: Graph, name: str, lang: str, labels: dict[str, str]) -> str:
    node = graph.nodes[name]
    key = f"rule-{node.op}" if f"rule-{node.op}" in MESSAGES else "rule-chain"
    return say(key, lang, node=label(graph, name, labels), what=_definition(graph, name, labels))


def label(graph: Graph, name: str, labels: dict[str, str]) -> str:
    """A node as a sentence names it: the lesson's label, else its name; an unnamed node is its own
    expression, in brackets (a constant is just its number)."""
    node = graph.nodes[name]
    if name in labels:
        return labels[name]
    return name if node.named or node.kind == "const" else f"({node.source})"


def _product(upstream, local, is_output: bool) -> str:
    return format_value(local) if is_output else f"{format_value(upstream)} × {format_value(local)}"
