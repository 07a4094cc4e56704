"""Every op's backward rule agrees with the numerical gradient (central difference) on random inputs.

Inputs are kept away from kinks and poles (ReLU at 0, log and division near 0, pow of a non-positive
base), where a numerical gradient means nothing. The op's output is weighted by a random array ``r``
before summing, so the upstream gradient differs per element (a uniform one would hide a wrong
transpose or softmax rule).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from tutor.engine import OPS, Graph, graph_numerical_grad

ANY = (-3.0, 3.0)
POSITIVE = (0.5, 3.0)
AWAY_FROM_ZERO = (-3.0, 3.0, 0.05)  # (low, high, the least distance from 0)

# case: (expression, {input: (shape, range)}); shapes are written with the sizes m, n, k drawn per example.
CASES = {
    "add": ("a + b", {"a": ("mn", ANY), "b": ("n", ANY)}),
    "add, row + column": ("a + b", {"a": ("m1", ANY), "b": ("1n", ANY)}),
    "sub": ("a - b", {"a": ("mn", ANY), "b": ("m1", ANY)}),
    "mul": ("a * b", {"a": ("mn", ANY), "b": ("mn", ANY)}),
    "mul, scalar": ("a * b", {"a": ("", ANY), "b": ("mn", ANY)}),
    "div": ("a / b", {"a": ("mn", ANY), "b": ("n", AWAY_FROM_ZERO[:2] + (0.5,))}),
    "pow": ("a ** b", {"a": ("mn", POSITIVE), "b": ("", (-2.0, 2.0))}),
    "matmul": ("a @ b", {"a": ("mk", ANY), "b": ("kn", ANY)}),
    "matmul, vector @ matrix": ("a @ b", {"a": ("k", ANY), "b": ("kn", ANY)}),
    "matmul, matrix @ vector": ("a @ b", {"a": ("mk", ANY), "b": ("k", ANY)}),
    "matmul, as a function": ("matmul(a, b)", {"a": ("mk", ANY), "b": ("kn", ANY)}),
    "neg": ("-a", {"a": ("mn", ANY)}),
    "relu": ("relu(a)", {"a": ("mn", AWAY_FROM_ZERO)}),
    "sigmoid": ("sigmoid(a)", {"a": ("mn", ANY)}),
    "tanh": ("tanh(a)", {"a": ("mn", ANY)}),
    "exp": ("exp(a)", {"a": ("mn", ANY)}),
    "log": ("log(a)", {"a": ("mn", POSITIVE)}),
    "square": ("square(a)", {"a": ("mn", ANY)}),
    "sum": ("sum(a)", {"a": ("mn", ANY)}),
    "mean": ("mean(a)", {"a": ("mn", ANY)}),
    "transpose": ("transpose(a)", {"a": ("mn", ANY)}),
    "affine": ("affine(a, b, c)", {"a": ("mk", ANY), "b": ("kn", ANY), "c": ("n", ANY)}),
    "mse": ("mse(a, b)", {"a": ("mn", ANY), "b": ("mn", ANY)}),
    "mse, broadcast target": ("mse(a, b)", {"a": ("mn", ANY), "b": ("n", ANY)}),
    "sse": ("sse(a, b)", {"a": ("mn", ANY), "b": ("mn", ANY)}),
    "softmax": ("softmax(a)", {"a": ("mn", ANY)}),
    "cross_entropy": ("cross_entropy(a, b)", {"a": ("mn", (0.2, 1.0)), "b": ("mn", (0.0, 1.0))}),
    "softmax_cross_entropy": ("softmax_cross_entropy(a, b)", {"a": ("mn", ANY), "b": ("mn", (0.0, 1.0))}),
}


def test_every_op_has_a_case():
    covered = {name.split(",")[0] for name in CASES}
    assert covered == set(OPS)


def _numbers(low, high, least_distance_from_zero=0.0):
    numbers = st.floats(low, high, allow_nan=False, allow_infinity=False)
    return numbers.filter(lambda v: abs(v) >= least_distance_from_zero)


def _array(draw, shape, value_range):
    return draw(hnp.arrays(np.float64, shape, elements=_numbers(*value_range)))


def _relative_error(analytic, numeric, output: float) -> float:
    # A gradient far smaller than the output is measured against output/1000: below that the
    # central difference's own rounding error (about 1e-16·|output|/h) is what would be measured.
    analytic, numeric = np.asarray(analytic), np.asarray(numeric)
    scale = max(np.linalg.norm(analytic), np.linalg.norm(numeric), 1e-3 * max(abs(output), 1.0))
    return float(np.linalg.norm(analytic - numeric) / scale)


@pytest.mark.parametrize("case", CASES)
@settings(max_examples=8, deadline=None)
@given(data=st.data())
def test_backward_matches_the_numerical_gradient(case, data):
    expression, spec = CASES[case]
    sizes = {"m": data.draw(st.integers(1, 3)), "n": data.draw(st.integers(1, 3)),
             "k": data.draw(st.integers(1, 3)), "1": 1}
    inputs = {name: _array(data.draw, tuple(sizes[c] for c in shape), value_range)
              for name, (shape, value_range) in spec.items()}
    output_shape = np.shape(Graph.parse(inputs=inputs, nodes={"y": expression}).value("y"))
    inputs["r"] = _array(data.draw, output_shape, (0.5, 2.0))
    g = Graph.parse(inputs=inputs, nodes={"y": expression, "z": "sum(y * r)"}, output="z")

    for name in spec:
        analytic = g.grad(name)
        assert np.shape(analytic) == np.shape(inputs[name])
        assert _relative_error(analytic, graph_numerical_grad(g, name), g.value("z")) < 1e-6, name
