"""Drawing a graph as text: time for 50, 100, 200 and 400 nodes, and how it grows (issue 5: 200 nodes
in under 100 ms). The peer is the engine's own forward and backward pass over the same graph."""

import numpy as np

from tutor.engine import Graph
from tutor.render.graph import render_graph

from .harness import Result, compare, figure

SIZES = (50, 100, 200, 400)


def make_graph(size: int, seed: int = 0) -> Graph:
    """About ``size`` nodes: four inputs, then named nodes that each combine an earlier node with an
    input or another earlier node (so some are read twice, as in real lessons)."""
    rng = np.random.default_rng(seed)
    inputs = {f"x{i}": float(i + 1) for i in range(4)}
    names = list(inputs)
    nodes = {}
    while len(inputs) + 2 * len(nodes) < size:
        a, b = names[-1], names[rng.integers(len(names))]
        nodes[f"n{len(nodes)}"] = f"{a} {rng.choice(['+', '*', '-'])} sigmoid({b})"
        names.append(f"n{len(nodes) - 1}")
    return Graph.parse(inputs=inputs, nodes=nodes)


def _draw(graph: Graph) -> int:
    """Draws the graph; the drawing's size in characters (every line runs from the left edge)."""
    return sum(len(line) for line in render_graph(graph, values="both", width=None))


def _engine(graph: Graph) -> None:
    Graph(graph.nodes, graph.leaf_values, graph.output).backward()


@figure
def render_scaling(quick: bool) -> list[Result]:
    results, times, characters = [], {}, {}
    for size in SIZES:
        graph = make_graph(size)
        characters[size] = _draw(graph)  # the backward pass is cached in the graph: what is timed is layout and drawing
        timings = compare(lambda: _draw(graph), lambda: _engine(graph), repeat=3 if quick else 7)
        drawing, engine = timings.median(0), timings.median(1)
        times[size] = drawing
        target = "< 100" if size == 200 else ""
        results.append(Result(f"render_{size}_nodes", drawing * 1000, "ms", engine * 1000,
                              None if target else timings.ratio(0, 1), target,
                              f"{len(graph.nodes)} nodes, forward and backward values; peer: engine forward+backward"))
    # The drawing of these graphs grows about as the square of their size (they are as tall as they are
    # long), so the time's growth is judged against the growth of what is drawn: ≤ 1.1 is linear in it.
    growth, drawn = times[400] / times[200], characters[400] / characters[200]
    results.append(Result("render_growth_200_to_400", growth, "× time, 200 → 400 nodes; peer: × characters drawn",
                          drawn, growth / drawn, "≤ 1.1",
                          f"the drawing grows {drawn:.2f}× ({characters[200]:,} → {characters[400]:,} characters)"))
    return results
