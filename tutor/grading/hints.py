"""Hints derived from the graph, one step closer each time, and the worked solution.

For a gradient blank: the rule at the node the gradient passes through, then the chain-rule product with
the numbers filled in but not multiplied out. Only ``solution`` gives the final number.
"""

import numpy as np

from tutor.engine import OPS, Graph
from tutor.render.numbers import format_value

from .messages import MESSAGES, say
from .mistakes import Target


def gradient_steps(graph: Graph, target: Target, lang: str) -> tuple[list[str], str | None]:
    """(hints, the product they lead to) for ∂m/∂n; the product is what the solution multiplies out."""
    if target.kind == "local":
        return [_rule(graph, target.m, lang)], f"∂{label(graph, target.m)}/∂{label(graph, target.n)}"
    if target.n == target.m:
        return [say("hint-output", lang)], None
    back = graph.backward(target.m)
    paths = [(c, i) for c, i in graph.consumers(target.n) if c in back.grads]
    consumers = list(dict.fromkeys(c for c, _ in paths))
    hints = [_rule(graph, c, lang) for c in consumers]
    m, n = label(graph, target.m), label(graph, target.n)
    if len(paths) > 1:
        hints.insert(0, say("hint-paths", lang, node=n, consumers=", ".join(label(graph, c) for c in consumers)))
    if consumers == [target.m]:
        return hints, f"∂{m}/∂{n}"  # the local derivative itself: any filled-in form is the answer
    symbols = " + ".join(f"∂{m}/∂{label(graph, c)} × ∂{label(graph, c)}/∂{n}" if c != target.m
                         else f"∂{m}/∂{n}" for c in consumers)
    factors = [(back.grads[c], graph.local(c, target.n), c == target.m) for c in consumers]
    formula = f"∂{m}/∂{n} = {symbols}"
    if all(np.ndim(up) == 0 and np.ndim(local) == 0 for up, local, _ in factors):
        # With arrays a plain "a × b" would hide the broadcasting sums, so numbers only for scalars.
        formula += " = " + " + ".join(_product(*factor) for factor in factors)
    hints.append(say("hint-compute", lang, formula=formula))
    return hints, formula


def forward_steps(graph: Graph, name: str, lang: str) -> tuple[list[str], str | None]:
    """For a value(n) blank: the node's formula, then with its inputs' values in place."""
    node = graph.nodes[name]
    if node.is_leaf:
        return [], None
    op = OPS[node.op]
    values = [format_value(graph.values[a]) for a in node.args]
    if len(values) == 2 and node.op in ("add", "sub", "mul", "div", "pow", "matmul"):
        filled = f"{values[0]} {op.symbol} {values[1]}"
    else:
        filled = f"{node.op}({', '.join(values)})"
    formula = f"{name} = {filled}"
    return [f"{name} = {node.source}", say("hint-compute", lang, formula=formula)], formula


def _rule(graph: Graph, name: str, lang: str) -> str:
    node = graph.nodes[name]
    key = f"rule-{node.op}" if f"rule-{node.op}" in MESSAGES else "rule-chain"
    return say(key, lang, node=label(graph, name), what=f"{name} = {node.source}" if node.named else node.source)


def label(graph: Graph, name: str) -> str:
    """A node as a formula shows it: unnamed nodes are their own expression, in brackets."""
    return name if graph.nodes[name].named else f"({graph.nodes[name].source})"


def _product(upstream, local, is_output: bool) -> str:
    return format_value(local) if is_output else f"{format_value(upstream)} × {format_value(local)}"
