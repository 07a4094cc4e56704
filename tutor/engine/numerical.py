"""Numerical differentiation (central difference), the slow oracle that backprop is checked against."""

from typing import Callable

import numpy as np

from .graph import Graph


def numerical_gradient(f: Callable[[np.ndarray], float], x: np.ndarray, h: float = 1e-4) -> np.ndarray:
    """The book's numerical_gradient: (f(x+h) - f(x-h)) / 2h for every element of x, in turn."""
    x = np.array(x, dtype=np.float64)
    grad = np.zeros_like(x)
    flat, flat_grad = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        kept = flat[i]
        flat[i] = kept + h
        above = f(x)
        flat[i] = kept - h
        below = f(x)
        flat[i] = kept
        flat_grad[i] = (above - below) / (2 * h)
    return grad


def graph_numerical_grad(graph: Graph, leaf: str, output: str | None = None, h: float = 1e-4) -> np.ndarray:
    """∂output/∂leaf by central differences, running the graph's forward pass twice per element."""
    output = output or graph.output
    return numerical_gradient(lambda x: float(np.sum(graph.forward({leaf: x})[output])),
                              graph.leaf_values[leaf], h)


def gradient_check(graph: Graph, h: float = 1e-4) -> dict[str, float]:
    """The largest relative difference between backprop and numerical gradients, per input."""
    errors = {}
    for name, node in graph.nodes.items():
        if node.kind != "input":
            continue
        analytic = np.asarray(graph.grad(name))
        numeric = graph_numerical_grad(graph, name, h=h)
        scale = np.maximum(np.abs(analytic) + np.abs(numeric), 1e-8)
        errors[name] = float(np.max(np.abs(analytic - numeric) / scale)) if analytic.size else 0.0
    return errors
