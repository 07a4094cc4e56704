"""Every operation of the graph DSL: its forward rule and its local derivatives, side by side.

A backward rule takes the upstream gradient ``g``, the node's own output ``out`` and the
forward inputs, and returns the gradient for one input (before it is summed back to that
input's shape, which the graph does for every op alike).
"""

from dataclasses import dataclass
from typing import Callable

import numpy as np

Backward = Callable[..., np.ndarray]


@dataclass(frozen=True)
class Op:
    name: str
    symbol: str  # how the book draws the node: ×, +, ReLU ...
    forward: Callable[..., np.ndarray]
    backward: tuple[Backward, ...]  # one rule per input, in order

    @property
    def arity(self) -> int:
        return len(self.backward)


def _softmax(x):
    shifted = x - x.max(axis=-1, keepdims=True)
    e = np.exp(shifted)
    return e / e.sum(axis=-1, keepdims=True)


def _log_softmax(x):
    # log(softmax(x)) without taking the log of an underflowed 0: the loss stays finite for any logits.
    shifted = x - x.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def _batch_size(t):
    return t.shape[0] if t.ndim == 2 else 1


def _cross_entropy(p, t):
    # The book's cross_entropy_error: -Σ t·log(p + 1e-7), averaged over the batch.
    return -np.sum(t * np.log(p + 1e-7)) / _batch_size(t)


def _sigmoid(x):
    return 1 / (1 + np.exp(-x))


def _mse_grad(g, y, t):
    error = y - t
    return g * 2 * error / error.size  # N counts broadcast pairs, as the forward mean does


def _pow_exponent_grad(g, out, x, y):
    # ∂(x^y)/∂y = x^y · ln x, defined only for x > 0.
    with np.errstate(divide="ignore", invalid="ignore"):
        return g * np.where(x > 0, out * np.log(np.where(x > 0, x, 1.0)), 0.0)


def _as_matrices(g, x, w):
    # numpy's matmul reads a vector on the left as a row and on the right as a column:
    # do the same to x, w and the upstream gradient g, so one matrix rule fits every case.
    x2 = x[None, :] if x.ndim == 1 else x
    w2 = w[:, None] if w.ndim == 1 else w
    g2 = np.expand_dims(g, -1) if w.ndim == 1 else g
    g2 = np.expand_dims(g2, -2) if x.ndim == 1 else g2
    return g2, x2, w2


def _matmul_dx(g, out, x, w):
    g2, _, w2 = _as_matrices(g, x, w)
    dx = g2 @ w2.swapaxes(-1, -2)  # dx = dout · Wᵀ
    return dx[..., 0, :] if x.ndim == 1 else dx


def _matmul_dw(g, out, x, w):
    g2, x2, _ = _as_matrices(g, x, w)
    dw = x2.swapaxes(-1, -2) @ g2  # dW = xᵀ · dout
    return dw[..., 0] if w.ndim == 1 else dw


OPS: dict[str, Op] = {
    op.name: op
    for op in [
        Op("add", "+", lambda x, y: x + y,
           (lambda g, out, x, y: g,
            lambda g, out, x, y: g)),
        Op("sub", "-", lambda x, y: x - y,
           (lambda g, out, x, y: g,
            lambda g, out, x, y: -g)),
        Op("mul", "×", lambda x, y: x * y,
           (lambda g, out, x, y: g * y,      # the *other* input
            lambda g, out, x, y: g * x)),
        Op("div", "÷", lambda x, y: x / y,
           (lambda g, out, x, y: g / y,
            lambda g, out, x, y: -g * x / y**2)),
        Op("pow", "^", lambda x, y: x**y,
           (lambda g, out, x, y: g * y * x ** (y - 1),
            _pow_exponent_grad)),
        Op("matmul", "@", lambda x, w: x @ w,
           (_matmul_dx, _matmul_dw)),
        Op("neg", "−", lambda x: -x,
           (lambda g, out, x: -g,)),
        Op("relu", "ReLU", lambda x: np.maximum(x, 0.0),
           (lambda g, out, x: g * (x > 0),)),  # 0 at exactly 0, like the book's Relu layer
        Op("sigmoid", "σ", _sigmoid,
           (lambda g, out, x: g * out * (1 - out),)),
        Op("tanh", "tanh", np.tanh,
           (lambda g, out, x: g * (1 - out**2),)),
        Op("exp", "exp", np.exp,
           (lambda g, out, x: g * out,)),
        Op("log", "log", np.log,
           (lambda g, out, x: g / x,)),
        Op("square", "²", np.square,
           (lambda g, out, x: g * 2 * x,)),
        Op("sum", "Σ", np.sum,
           (lambda g, out, x: g * np.ones_like(x),)),
        Op("mean", "mean", np.mean,
           (lambda g, out, x: g * np.ones_like(x) / max(x.size, 1),)),
        Op("transpose", "ᵀ", np.transpose,
           (lambda g, out, x: np.transpose(g),)),
        Op("affine", "Affine", lambda x, w, b: x @ w + b,
           (lambda g, out, x, w, b: _matmul_dx(g, out, x, w),
            lambda g, out, x, w, b: _matmul_dw(g, out, x, w),
            lambda g, out, x, w, b: g)),  # summed back to b's shape: db = Σ dout
        Op("mse", "MSE", lambda y, t: np.mean((y - t) ** 2),
           (lambda g, out, y, t: _mse_grad(g, y, t),
            lambda g, out, y, t: -_mse_grad(g, y, t))),
        Op("sse", "SSE", lambda y, t: 0.5 * np.sum((y - t) ** 2),
           (lambda g, out, y, t: g * (y - t),
            lambda g, out, y, t: -g * (y - t))),
        Op("softmax", "softmax", _softmax,
           (lambda g, out, x: out * (g - np.sum(g * out, axis=-1, keepdims=True)),)),
        Op("cross_entropy", "CE", _cross_entropy,
           (lambda g, out, p, t: -g * t / (p + 1e-7) / _batch_size(t),
            lambda g, out, p, t: -g * np.log(p + 1e-7) / _batch_size(t))),
        Op("softmax_cross_entropy", "Softmax-with-Loss",
           lambda x, t: -np.sum(t * _log_softmax(x)) / _batch_size(t),
           # (y - t) / N for one-hot t, as in the book; y·Σt - t covers labels that do not sum to 1
           (lambda g, out, x, t: g * (_softmax(x) * np.sum(t, axis=-1, keepdims=True) - t) / _batch_size(t),
            lambda g, out, x, t: -g * _log_softmax(x) / _batch_size(t))),
    ]
}

BINARY = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow", "@": "matmul"}
FUNCTIONS = sorted(name for name in OPS if name not in BINARY.values() and name != "neg")
