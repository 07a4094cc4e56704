"""The worked derivation of a gradient: the chain rule along every path from the node to the output,
each local derivative named and then given its number, as a learner would write it out:

    ∂지불 금액/∂사과 가격 = ∂지불 금액/∂사과 값 × ∂사과 값/∂사과 가격 = 소비세 × 사과 개수 = 1.1 × 2 = 2.2

Shown after a solution is revealed, beside the grader's answer. Scalars only: with arrays a plain
``a × b`` would hide the broadcasting sums. No Textual, no Rich.
"""

import numpy as np

from tutor.engine import Graph
from tutor.render.numbers import format_value

MAX_PATHS = 6  # more paths than this make a line no one reads; the answer alone is shown then


def paths_to(graph: Graph, node: str, output: str) -> list[list[tuple[str, str]]]:
    """Every path from ``node`` to ``output`` as its edges (consumer, input), output end first."""
    if node == output:
        return [[]]
    found = []
    for consumer in dict.fromkeys(c for c, _ in graph.consumers(node)):
        for rest in paths_to(graph, consumer, output):
            found.append(rest + [(consumer, node)])
            if len(found) > MAX_PATHS:
                return found
    return found


def chain_derivation(graph: Graph, node: str, labels: dict[str, str], output: str | None = None,
                     ascii: bool = False, result: str | None = None) -> str | None:
    """``∂out/∂node = (symbols) = (local derivatives by name) = (numbers) = value``, or None when
    there is nothing to work out (the output itself, arrays, no path, too many paths). ``result``: the
    value as the answer is shown (the grader's digits), else as drawn."""
    output = output or graph.output
    paths = paths_to(graph, node, output)
    values = [graph.values[n] for n in (node, output)]
    if not paths or paths == [[]] or len(paths) > MAX_PATHS or any(np.ndim(v) for v in values):
        return None
    edges = {edge for path in paths for edge in path}
    if any(np.ndim(graph.values[m]) or np.ndim(graph.values[n]) for m, n in edges):
        return None
    times = " x " if ascii else " × "

    def name(n: str) -> str:
        node_ = graph.nodes[n]
        return labels.get(n) or (n if node_.named or node_.kind == "const" else f"({node_.source})")

    def d(m: str, n: str) -> str:
        return f"∂{name(m)}/∂{name(n)}"

    def local_by_name(m: str, n: str) -> str:
        """A multiply node's local derivative is the other input; an add node's is 1."""
        spec = graph.nodes[m]
        if spec.op == "mul" and len(spec.args) == 2 and spec.args[0] != spec.args[1]:
            return name(spec.args[1] if spec.args[0] == n else spec.args[0])
        return format_value(graph.local(m, n), ascii)

    def joined(term) -> str:
        return " + ".join(times.join(term(m, n) for m, n in path) for path in paths)

    parts = [d(output, node), joined(d), joined(local_by_name),
             joined(lambda m, n: format_value(graph.local(m, n), ascii)),
             result or format_value(graph.d(output, node), ascii)]
    shown = [parts[0]]
    for part in parts[1:]:
        if part != shown[-1]:
            shown.append(part)
    return " = ".join(shown)
