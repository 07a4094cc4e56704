"""Forward and backward through long chains (1k, 10k, 100k nodes): time per node, and how the total
grows with the length (a log-log fit; 1.0 is linear). A recursive walk would fail long before 100k."""

import statistics

import numpy as np

from tutor.engine import Graph

from .harness import Result, compare, figure

LENGTHS = (1_000, 10_000, 100_000)


def make_chain(length: int) -> Graph:
    """n1 = tanh(n0), n2 = tanh(n1), ...: ``length`` operation nodes, each reading the one before."""
    nodes = {f"n{i}": f"tanh(n{i - 1})" for i in range(1, length + 1)}
    return Graph.parse(inputs={"n0": 0.5}, nodes=nodes, output=f"n{length}")


def _step(chain: Graph):
    return lambda: Graph(chain.nodes, chain.leaf_values, chain.output).backward()


def _growth(seconds) -> float:
    return float(np.polyfit(np.log(LENGTHS), np.log(seconds), 1)[0])


@figure
def chain_scaling(quick: bool) -> list[Result]:
    # The three lengths are timed in alternating rounds and the exponent fitted per round, so a busy
    # moment of the machine does not land on one length only.
    timings = compare(*(_step(make_chain(n)) for n in LENGTHS), repeat=5 if quick else 9, min_round=0.05)
    exponent = statistics.median(_growth(times) for times in zip(*timings.rounds))
    seconds = list(timings)
    per_node = [s / n * 1e6 for s, n in zip(seconds, LENGTHS)]
    sizes = ", ".join(f"{n // 1000}k: {us:.1f} µs" for n, us in zip(LENGTHS, per_node))
    return [
        Result("chain_scaling", exponent, "growth exponent of forward+backward time (1.0 = linear)", 1.0,
               exponent, "≤ 1.1", f"per node: {sizes}"),
        Result("chain_us_per_node", per_node[-1], "µs per node at 100k nodes; peer = at 1k nodes", per_node[0],
               per_node[-1] / per_node[0]),
    ]
