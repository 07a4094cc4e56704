"""Every operation of the graph DSL: its forward rule and its local derivatives, side by side.

A backward rule takes the upstream gradient ``g``, the node's own output ``out`` and the
forward inputs, and returns the gradient for one input (before it is summed back to that
input's shape, which the graph does for every op alike).
"""

from typing import Callable, NamedTuple

import numpy as np

Backward = Callable[..., np.ndarray]


class Op(NamedTuple):  # not a dataclass: cheaper to import (dsl.py)
    name: str
    symbol: str  # how the book draws the node: ×, +, ReLU ...
    forward: Callable[..., np.ndarray]
    backward: tuple[Backward, ...]  # one rule per input, in order
    shape: Callable[..., tuple]  # the result's shape from the inputs' shapes; ValueError when they do not fit

    @property
    def arity(self) -> int:
        return len(self.backward)

    @property
    def keeps_shape(self) -> bool:
        """Whether the result has its input's shape (an elementwise function of one input)."""
        return self.shape is _same


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


def _mse(y, t):
    error = y - t
    return np.square(error).sum() / error.size  # np.mean's sum and division, without its Python wrapper


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


# ---- result shapes, known before an op runs (a lesson's cost is counted from them) -------------------

def _broadcast(*shapes):
    return np.broadcast_shapes(*shapes)


def _same(x):
    return x


def _last_axis(x):
    if not x:
        raise ValueError("softmax needs a vector or a matrix, not a single number")
    return x


def _one_number(*shapes):
    np.broadcast_shapes(*shapes)  # the operands must still fit each other
    return ()


def _one_number_of_rows(x, t):
    _last_axis(x)
    return _one_number(x, t)


def _transposed(x):
    return x[::-1]


def matmul_shape(x: tuple, w: tuple) -> tuple:
    """numpy's rule: a vector on the left is a row, on the right a column (that axis is dropped again);
    leading axes broadcast."""
    if not x or not w:
        raise ValueError("matmul needs vectors or matrices, not single numbers")
    x2 = (1, *x) if len(x) == 1 else x
    w2 = (*w, 1) if len(w) == 1 else w
    if x2[-1] != w2[-2]:
        raise ValueError("the shapes do not fit for matmul")
    rows = () if len(x) == 1 else (x2[-2],)
    columns = () if len(w) == 1 else (w2[-1],)
    return np.broadcast_shapes(x2[:-2], w2[:-2]) + rows + columns


MATRIX_PRODUCTS = ("matmul", "affine")  # their first two inputs, x and W, are multiplied as matrices


def matrix_operand(op: str, index: int) -> bool:
    """Whether input ``index`` of an ``op`` node is x or W of a matrix product: its gradient follows the
    book's rule (dX = dY · Wᵀ, dW = Xᵀ · dY), not a product of numbers."""
    return op in MATRIX_PRODUCTS and index < 2


def _affine_shape(x, w, b):
    return np.broadcast_shapes(matmul_shape(x, w), b)


OPS: dict[str, Op] = {
    op.name: op
    for op in [
        Op("add", "+", lambda x, y: x + y,
           (lambda g, out, x, y: g,
            lambda g, out, x, y: g),
           _broadcast),
        Op("sub", "-", lambda x, y: x - y,
           (lambda g, out, x, y: g,
            lambda g, out, x, y: -g),
           _broadcast),
        Op("mul", "×", lambda x, y: x * y,
           (lambda g, out, x, y: g * y,      # the *other* input
            lambda g, out, x, y: g * x),
           _broadcast),
        Op("div", "/", lambda x, y: x / y,  # as the book draws it (the Sigmoid layer's / node, 5.5.2)
           (lambda g, out, x, y: g / y,
            lambda g, out, x, y: -g * x / y**2),
           _broadcast),
        Op("pow", "^", lambda x, y: x**y,
           (lambda g, out, x, y: g * y * x ** (y - 1),
            _pow_exponent_grad),
           _broadcast),
        Op("matmul", "@", lambda x, w: x @ w,
           (_matmul_dx, _matmul_dw),
           matmul_shape),
        Op("neg", "−", lambda x: -x,
           (lambda g, out, x: -g,),
           _same),
        Op("relu", "ReLU", lambda x: np.maximum(x, 0.0),
           (lambda g, out, x: g * (x > 0),),  # 0 at exactly 0, like the book's Relu layer
           _same),
        Op("sigmoid", "σ", _sigmoid,
           (lambda g, out, x: g * out * (1 - out),),
           _same),
        Op("tanh", "tanh", np.tanh,
           (lambda g, out, x: g * (1 - out**2),),
           _same),
        Op("exp", "exp", np.exp,
           (lambda g, out, x: g * out,),
           _same),
        Op("log", "log", np.log,
           (lambda g, out, x: g / x,),
           _same),
        Op("square", "²", np.square,
           (lambda g, out, x: g * 2 * x,),
           _same),
        Op("sum", "Σ", np.sum,
           (lambda g, out, x: g * np.ones_like(x),),
           _one_number),
        Op("mean", "mean", np.mean,
           (lambda g, out, x: g * np.ones_like(x) / max(x.size, 1),),
           _one_number),
        Op("transpose", "ᵀ", np.transpose,
           (lambda g, out, x: np.transpose(g),),
           _transposed),
        Op("affine", "Affine", lambda x, w, b: x @ w + b,
           (lambda g, out, x, w, b: _matmul_dx(g, out, x, w),
            lambda g, out, x, w, b: _matmul_dw(g, out, x, w),
            lambda g, out, x, w, b: g),  # summed back to b's shape: db = Σ dout
           _affine_shape),
        Op("mse", "MSE", _mse,
           (lambda g, out, y, t: _mse_grad(g, y, t),
            lambda g, out, y, t: -_mse_grad(g, y, t)),
           _one_number),
        Op("sse", "SSE", lambda y, t: 0.5 * np.sum((y - t) ** 2),
           (lambda g, out, y, t: g * (y - t),
            lambda g, out, y, t: -g * (y - t)),
           _one_number),
        Op("softmax", "softmax", _softmax,
           (lambda g, out, x: out * (g - np.sum(g * out, axis=-1, keepdims=True)),),
           _last_axis),
        Op("cross_entropy", "CE", _cross_entropy,
           (lambda g, out, p, t: -g * t / (p + 1e-7) / _batch_size(t),
            lambda g, out, p, t: -g * np.log(p + 1e-7) / _batch_size(t)),
           _one_number),
        Op("softmax_cross_entropy", "Softmax-with-Loss",
           lambda x, t: -np.sum(t * _log_softmax(x)) / _batch_size(t),
           # (y - t) / N for one-hot t, as in the book; y·Σt - t covers labels that do not sum to 1
           (lambda g, out, x, t: g * (_softmax(x) * np.sum(t, axis=-1, keepdims=True) - t) / _batch_size(t),
            lambda g, out, x, t: -g * _log_softmax(x) / _batch_size(t)),
           _one_number_of_rows),
    ]
}

BINARY = {"+": "add", "-": "sub", "*": "mul", "/": "div", "**": "pow", "@": "matmul"}
# matmul is both the operator @ and a function, as authors who write the book's np.dot style expect
FUNCTIONS = sorted([name for name in OPS if name not in BINARY.values() and name != "neg"] + ["matmul"])
