"""The book's two-layer net (5.7.2): 784-50-10, ReLU, softmax-with-loss, a batch of 100 — through the engine,
through the engine's numerical gradient, and through numpy layers written as the book writes them."""

import numpy as np

from tutor.engine import Graph, graph_numerical_grad
from tutor.engine.layers import Affine, Relu, SoftmaxWithLoss

from .harness import Result, compare, figure

INPUT, HIDDEN, OUTPUT, BATCH = 784, 50, 10, 100
PARAMS = ("W1", "b1", "W2", "b2")


def make_net(seed: int = 0) -> Graph:
    rng = np.random.default_rng(seed)
    weights = {"W1": 0.01 * rng.standard_normal((INPUT, HIDDEN)), "b1": np.zeros(HIDDEN),
               "W2": 0.01 * rng.standard_normal((HIDDEN, OUTPUT)), "b2": np.zeros(OUTPUT)}
    batch = {"x": rng.random((BATCH, INPUT)), "t": np.eye(OUTPUT)[rng.integers(0, OUTPUT, BATCH)]}
    return Graph.parse(inputs=batch, params=weights,
                       nodes={"hidden": "relu(affine(x, W1, b1))",
                              "loss": "softmax_cross_entropy(affine(hidden, W2, b2), t)"},
                       output="loss")


def engine_step(net: Graph) -> dict[str, np.ndarray]:
    """One forward and backward pass from scratch (a fresh Graph keeps nothing cached)."""
    return Graph(net.nodes, net.leaf_values, net.output).backward().grads


class BookTwoLayerNet:
    """TwoLayerNet of the book (ch05/two_layer_net.py), on the book's layers."""

    def __init__(self, net: Graph):
        v = net.leaf_values
        self.x, self.t = v["x"], v["t"]
        self.layers = [Affine(v["W1"], v["b1"]), Relu(), Affine(v["W2"], v["b2"])]
        self.last_layer = SoftmaxWithLoss()

    def gradient(self) -> dict[str, np.ndarray]:
        x = self.x
        for layer in self.layers:
            x = layer.forward(x)
        self.last_layer.forward(x, self.t)
        dout = self.last_layer.backward(1)
        for layer in reversed(self.layers):
            dout = layer.backward(dout)
        first, _, second = self.layers
        return {"W1": first.dW, "b1": first.db, "W2": second.dW, "b2": second.db}


@figure
def backprop_vs_numerical(quick: bool) -> Result:
    net = make_net()
    n_params = sum(net.leaf_values[p].size for p in PARAMS)
    # Every parameter costs the numerical gradient the same two forward passes, so --quick times the
    # biases (60 parameters) and scales up to all of them.
    measured = ("b1", "b2") if quick else PARAMS
    n_measured = sum(net.leaf_values[p].size for p in measured)
    timings = compare(lambda: engine_step(net), lambda: [graph_numerical_grad(net, p) for p in measured],
                      repeat=7 if quick else 3, min_round=0.02 if quick else 0)
    scale = n_params / n_measured
    grads = engine_step(net)
    difference = max(float(np.max(np.abs(grads[p] - graph_numerical_grad(net, p)))) for p in ("b1", "b2"))
    how = f"extrapolated from {n_measured} of {n_params:,} parameters" if quick else f"all {n_params:,} parameters"
    return Result("backprop_vs_numerical", timings.median(0) * 1e3,
                  "ms per gradient (backprop); ratio = numerical / backprop", timings.median(1) * scale * 1e3,
                  timings.ratio(1, 0) * scale, "≥ 10,000",
                  f"peer: the engine's numerical gradient (central difference, {how}); largest difference "
                  f"from backprop on the biases {difference:.1e}, at a ReLU kink within h of 0")


@figure
def engine_vs_numpy(quick: bool) -> Result:
    net = make_net()
    book = BookTwoLayerNet(net)
    engine_grads, book_grads = engine_step(net), book.gradient()
    difference = max(float(np.max(np.abs(engine_grads[p] - book_grads[p]))) for p in PARAMS)
    timings = compare(lambda: engine_step(net), book.gradient, repeat=15 if quick else 41, min_round=0.01)
    return Result("engine_vs_numpy", timings.median(0) * 1e3, "ms per forward+backward; ratio = engine / numpy",
                  timings.median(1) * 1e3, timings.ratio(0, 1), "≤ 1.5",
                  f"peer: the book's layers in numpy; gradients agree to {difference:.1e}")
