"""The book's layers give the same numbers as the graph engine on the same inputs."""

import numpy as np
import pytest

from tutor.engine import Graph
from tutor.engine.layers import Affine, AddLayer, MulLayer, Relu, Sigmoid, SoftmaxWithLoss

RNG = np.random.default_rng(5)


def test_mul_and_add_layers_on_apples_and_grapes():
    # buy_apple_orange.py (p.163), with grapes as in the lecture
    apple, apple_num, grape, grape_num, tax = 100, 2, 150, 3, 1.1
    mul_apple, mul_grape, add_all, mul_tax = MulLayer(), MulLayer(), AddLayer(), MulLayer()
    apple_price = mul_apple.forward(apple, apple_num)
    grape_price = mul_grape.forward(grape, grape_num)
    all_price = add_all.forward(apple_price, grape_price)
    price = mul_tax.forward(all_price, tax)

    dall_price, dtax = mul_tax.backward(1)
    dapple_price, dgrape_price = add_all.backward(dall_price)
    dapple, dapple_num = mul_apple.backward(dapple_price)
    dgrape, dgrape_num = mul_grape.backward(dgrape_price)

    g = Graph.parse(
        inputs={"apple": apple, "apple_num": apple_num, "grape": grape, "grape_num": grape_num, "tax": tax},
        nodes={"apple_price": "apple * apple_num", "grape_price": "grape * grape_num",
               "all_price": "apple_price + grape_price", "price": "all_price * tax"})
    assert price == g.value("price") == pytest.approx(715)
    layer_grads = {"apple": dapple, "apple_num": dapple_num, "grape": dgrape, "grape_num": dgrape_num,
                   "tax": dtax, "all_price": dall_price, "apple_price": dapple_price}
    assert layer_grads == {name: g.grad(name) for name in layer_grads}


def _graph(expression, **inputs):
    return Graph.parse(inputs=inputs, nodes={"out": expression})


def test_relu_layer_including_exact_zero():
    x = np.array([[1.5, -0.5, 0.0], [-2.0, 3.0, 0.0]])
    dout = RNG.normal(size=x.shape)
    kept = dout.copy()
    layer = Relu()
    g = _graph("relu(x)", x=x)
    np.testing.assert_array_equal(layer.forward(x), g.value("out"))
    np.testing.assert_array_equal(layer.backward(dout), g.backward(seed=dout).grads["x"])
    np.testing.assert_array_equal(dout, kept)  # unlike the book's Relu, dout is left alone
    assert layer.backward(np.ones_like(x))[0, 2] == 0  # the gradient at exactly 0 is 0


def test_sigmoid_layer():
    x = RNG.normal(size=(3, 4))
    dout = RNG.normal(size=x.shape)
    layer = Sigmoid()
    g = _graph("sigmoid(x)", x=x)
    np.testing.assert_allclose(layer.forward(x), g.value("out"), rtol=1e-15)
    np.testing.assert_allclose(layer.backward(dout), g.backward(seed=dout).grads["x"], rtol=1e-15)


def test_affine_layer_dx_dw_db():
    x, W, b = RNG.normal(size=(5, 4)), RNG.normal(size=(4, 3)), RNG.normal(size=3)
    dout = RNG.normal(size=(5, 3))
    layer = Affine(W, b)
    g = _graph("affine(x, W, b)", x=x, W=W, b=b)
    np.testing.assert_allclose(layer.forward(x), g.value("out"), rtol=1e-15)
    grads = g.backward(seed=dout).grads
    np.testing.assert_allclose(layer.backward(dout), grads["x"], rtol=1e-14)
    np.testing.assert_allclose(layer.dW, grads["W"], rtol=1e-14)
    np.testing.assert_allclose(layer.db, grads["b"], rtol=1e-14)


def test_softmax_with_loss_layer():
    x = RNG.normal(size=(4, 3))
    t = np.eye(3)[[0, 2, 1, 2]]
    layer = SoftmaxWithLoss()
    g = _graph("softmax_cross_entropy(x, t)", x=x, t=t)
    # The book's loss takes log(y + 1e-7); the engine's log-softmax is exact: they agree to ~1e-7.
    assert layer.forward(x, t) == pytest.approx(g.value("out"), rel=1e-6)
    np.testing.assert_allclose(layer.y, _graph("softmax(x)", x=x).value("out"), rtol=1e-15)
    np.testing.assert_allclose(layer.backward(), g.grad("x"), rtol=1e-12)  # (y - t) / batch_size
