"""A small MLP (2-16-16-1, ReLU, mean squared error, a batch of 100): the engine vs micrograd.

micrograd differentiates one scalar at a time; the engine one array per node. micrograd is the
optional ``bench`` extra (``pip install -e '.[bench]'``); without it the figure is skipped.
"""

import numpy as np

from tutor.engine import Graph

from .harness import Result, compare, figure, skipped

SIZES, BATCH = (2, 16, 16, 1), 100


def engine_net(layers, X, y) -> Graph:
    """The same net as a graph, with micrograd's weights: W[i, j] is weight i of neuron j."""
    params = {}
    for k, layer in enumerate(layers, start=1):
        params[f"W{k}"] = [[n.w[i].data for n in layer.neurons] for i in range(len(layer.neurons[0].w))]
        params[f"b{k}"] = [n.b.data for n in layer.neurons]
    return Graph.parse(inputs={"X": X, "y": y}, params=params,
                       nodes={"h1": "relu(affine(X, W1, b1))", "h2": "relu(affine(h1, W2, b2))",
                              "loss": "mse(affine(h2, W3, b3), y)"},
                       output="loss")


@figure
def engine_vs_micrograd(quick: bool) -> Result:
    unit = "ms per forward+backward (engine); ratio = micrograd / engine"
    try:
        from micrograd.nn import MLP
    except ImportError:
        return skipped("engine_vs_micrograd", unit, "micrograd is not installed (pip install -e '.[bench]')",
                       "≥ 1,000")
    rng = np.random.default_rng(0)
    X, y = rng.standard_normal((BATCH, SIZES[0])), rng.standard_normal((BATCH, 1))
    model = MLP(SIZES[0], list(SIZES[1:]))
    net = engine_net(model.layers, X, y)

    def micrograd_step():
        model.zero_grad()
        loss = sum((model(list(row)) - target) ** 2 for row, target in zip(X, y[:, 0])) * (1 / BATCH)
        loss.backward()
        return loss

    def engine_step():
        return Graph(net.nodes, net.leaf_values, net.output).backward()

    loss = micrograd_step()
    first = model.layers[0]
    micrograd_dW1 = np.array([[n.w[i].grad for n in first.neurons] for i in range(SIZES[0])])
    difference = max(abs(loss.data - net.value("loss")), float(np.max(np.abs(micrograd_dW1 - net.grad("W1")))))
    timings = compare(engine_step, micrograd_step, repeat=5 if quick else 15)
    return Result("engine_vs_micrograd", timings.median(0) * 1e3, unit, timings.median(1) * 1e3,
                  timings.ratio(1, 0), "≥ 1,000",
                  f"peer: micrograd, {len(model.parameters())} scalar parameters; loss and dW1 agree to "
                  f"{difference:.1e}")
