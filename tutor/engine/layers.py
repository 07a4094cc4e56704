"""The book's layers (Deep Learning from Scratch 1, 5.4-5.6), with the book's names, so lessons can
quote them: ``forward`` keeps what ``backward(dout)`` needs, and ``backward`` returns ``dx`` (and
``dy``), or stores ``dW`` and ``db``. Unlike the book's ``Relu``, ``backward`` never changes ``dout``.
"""

import numpy as np

from .ops import OPS


class MulLayer:
    def __init__(self):
        self.x = None
        self.y = None

    def forward(self, x, y):
        self.x, self.y = x, y
        return x * y

    def backward(self, dout):
        dx = dout * self.y  # the other input
        dy = dout * self.x
        return dx, dy


class AddLayer:
    def forward(self, x, y):
        return x + y

    def backward(self, dout):
        dx = dout * 1
        dy = dout * 1
        return dx, dy


class Relu:
    def __init__(self):
        self.mask = None

    def forward(self, x):
        x = np.asarray(x, dtype=np.float64)
        self.mask = x <= 0
        out = x.copy()
        out[self.mask] = 0
        return out

    def backward(self, dout):
        dx = np.array(dout, dtype=np.float64)  # a copy: the caller's dout stays as it was
        dx[self.mask] = 0
        return dx


class Sigmoid:
    def __init__(self):
        self.out = None

    def forward(self, x):
        self.out = 1 / (1 + np.exp(-x))
        return self.out

    def backward(self, dout):
        return dout * (1.0 - self.out) * self.out


class Affine:
    def __init__(self, W, b):
        self.W, self.b = W, b
        self.x = None
        self.dW = None
        self.db = None

    def forward(self, x):
        self.x = x
        return np.dot(x, self.W) + self.b

    def backward(self, dout):
        dx = np.dot(dout, self.W.T)
        self.dW = np.dot(self.x.T, dout)
        self.db = np.sum(dout, axis=0)
        return dx


class SoftmaxWithLoss:
    def __init__(self):
        self.loss = None
        self.y = None  # softmax output
        self.t = None  # one-hot labels

    def forward(self, x, t):
        self.t = t
        self.y = OPS["softmax"].forward(x)
        self.loss = OPS["cross_entropy"].forward(self.y, t)
        return self.loss

    def backward(self, dout=1):
        batch_size = self.t.shape[0] if self.t.ndim == 2 else 1
        return (self.y - self.t) * dout / batch_size
