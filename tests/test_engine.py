"""The engine reproduces the lecture's numbers (DESIGN.md's table) and keeps the promises of its API."""

import numpy as np
import pytest

from tutor.engine import Graph, GraphError, graph_numerical_grad

APPLE = dict(inputs={"apple_price": 100, "apple_count": 2, "tax": 1.1},
             nodes={"apple_total": "apple_price * apple_count", "payment": "apple_total * tax"},
             output="payment")

APPLE_GRAPE = dict(
    inputs={"apple_price": 100, "apple_count": 2, "grape_price": 150, "grape_count": 3, "tax": 1.1},
    nodes={"apple_total": "apple_price * apple_count", "grape_total": "grape_price * grape_count",
           "all_total": "apple_total + grape_total", "payment": "all_total * tax"},
    output="payment")

# y = 2x learned by one weight: pred = ReLU(w·X), loss = mean squared error (1/N)·Σ(y−ŷ)².
Y_2X = dict(inputs={"X": [1, 2, 3]}, params={"w": 3},
            nodes={"train_y": "2 * X", "pred_y": "relu(w * X)", "loss": "mse(pred_y, train_y)"},
            output="loss")


# ---- the lecture's numbers ----------------------------------------------------------------

def test_iterations_per_epoch():
    g = Graph.parse(inputs={"samples": 60_000, "batch": 100}, nodes={"iterations": "samples / batch"})
    assert g.value("iterations") == 600


def test_two_apples_with_tax():
    g = Graph.parse(**APPLE)
    assert g.value("payment") == pytest.approx(220)
    assert g.grad("apple_price") == pytest.approx(2.2)
    assert g.grad("apple_count") == pytest.approx(110)
    assert g.grad("tax") == pytest.approx(200)


def test_apples_and_grapes_with_tax():
    g = Graph.parse(**APPLE_GRAPE)
    assert g.value("payment") == pytest.approx(715)
    expected = {"apple_price": 2.2, "apple_count": 110, "grape_price": 3.3, "grape_count": 165, "tax": 650}
    assert {name: g.grad(name) for name in expected} == pytest.approx(expected)


def test_chain_rule_of_a_square():
    g = Graph.parse(inputs={"x": 1, "y": 2}, nodes={"t": "x + y", "z": "t ** 2"}, output="z")
    assert (g.value("z"), g.grad("x"), g.d("t", "x"), g.local("z", "t")) == (9.0, 6.0, 1.0, 6.0)
    assert g.grad("y") == 6.0


def test_add_and_mul_nodes_local_derivatives():
    g = Graph.parse(inputs={"x": 3, "y": 5}, nodes={"s": "x + y", "p": "x * y", "out": "s + p"})
    assert (g.local("s", "x"), g.local("s", "y")) == (1.0, 1.0)
    assert (g.local("p", "x"), g.local("p", "y")) == (5.0, 3.0)  # the *other* input


def test_the_y_equals_2x_net():
    g = Graph.parse(**Y_2X)
    assert list(g.value("train_y")) == [2, 4, 6]
    assert list(g.value("pred_y")) == [3, 6, 9]
    assert g.value("loss") == pytest.approx(14 / 3)
    assert g.grad("w") == pytest.approx(28 / 3)


# ---- accumulation, broadcasting, size -------------------------------------------------------

@pytest.mark.parametrize("shapes", [((100, 1), (100, 1)), ((3, 4), (4,)), ((5, 1), (1, 5)), ((), ())])
def test_mse_is_the_books_mean_of_squares_to_the_last_bit(shapes):
    rng = np.random.default_rng(7)
    y, t = rng.standard_normal(shapes[0]) * 1e3, rng.standard_normal(shapes[1])
    g = Graph.parse(inputs={"y": y, "t": t}, nodes={"loss": "mse(y, t)"})
    assert g.value("loss") == np.mean((y - t) ** 2)


def test_a_node_used_twice_in_one_op_gets_both_paths():
    g = Graph.parse(inputs={"x": 3}, nodes={"y": "x * x"})
    assert g.grad("x") == 6.0
    assert g.local("y", "x") == 6.0  # both inputs of the one node are x


def test_a_node_read_by_two_consumers_sums_their_gradients():
    g = Graph.parse(inputs={"x": 2}, nodes={"t": "x ** 2", "u": "3 * t", "v": "t * x", "z": "u + v"})
    # z = 3x² + x³ → dz/dx = 6x + 3x² = 24; dz/dt = 3 + x = 5
    assert g.grad("t") == 5.0
    assert g.grad("x") == 24.0
    assert sorted(n for n, _ in g.consumers("t")) == ["u", "v"]


def test_scalar_weight_times_vector_sums_the_gradient_back_to_a_scalar():
    X = np.array([[1.0, -2.0, 0.5], [4.0, 3.0, -1.0]])
    g = Graph.parse(inputs={"X": X, "w": 0.7}, nodes={"y": "sum(sigmoid(w * X))"})
    grad_w = g.grad("w")
    assert isinstance(grad_w, float)
    assert grad_w == pytest.approx(float(graph_numerical_grad(g, "w")), rel=1e-7)
    assert np.shape(g.grad("X")) == X.shape


def test_row_and_column_broadcast_sum_back_to_each_shape():
    g = Graph.parse(inputs={"a": [[1.0], [2.0]], "b": [[10.0, 20.0, 30.0]]}, nodes={"c": "sum(a * b)"})
    np.testing.assert_allclose(g.grad("a"), [[60.0], [60.0]])
    np.testing.assert_allclose(g.grad("b"), [[3.0, 3.0, 3.0]])


def test_a_ten_thousand_node_chain_runs_forward_and_backward():
    length = 10_000
    nodes = {"n1": "n0 + x"} | {f"n{i}": f"n{i - 1} + x" for i in range(2, length + 1)}
    g = Graph.parse(inputs={"n0": 1.0, "x": 0.5}, nodes=nodes)
    assert len(g.nodes) == length + 2
    assert g.value(f"n{length}") == 1.0 + 0.5 * length
    assert g.grad("x") == length
    assert g.grad("n0") == 1.0


# ---- d, local, backward with a substitute, edge gradients -----------------------------------

def test_d_is_zero_where_no_path_leads():
    g = Graph.parse(**APPLE_GRAPE)
    assert g.d("apple_total", "grape_price") == 0.0
    assert g.d("apple_total", "apple_price") == 2.0
    assert g.d("all_total", "apple_price") == 2.0


def test_local_refuses_a_node_that_is_not_a_direct_input():
    g = Graph.parse(**APPLE)
    with pytest.raises(GraphError, match="'apple_price' is not a direct input of 'payment'"):
        g.local("payment", "apple_price")


def test_backward_with_a_substituted_gradient_carries_it_on():
    g = Graph.parse(**APPLE)
    # A learner who forgot the tax says ∂payment/∂apple_total = 1; what follows from that:
    carried = g.backward(substitute={"apple_total": 1.0}).grads
    assert carried["apple_price"] == pytest.approx(1.0 * g.value("apple_count"))
    assert carried["apple_count"] == pytest.approx(1.0 * g.value("apple_price"))
    assert carried["tax"] == pytest.approx(200)  # a branch that does not pass through the substitute
    assert g.grad("apple_price") == pytest.approx(2.2)  # the true gradients are untouched


def test_a_substituted_array_gradient_and_a_bad_substitute():
    g = Graph.parse(inputs={"x": [1.0, 2.0]}, nodes={"y": "3 * x", "z": "sum(y ** 2)"})
    assert list(g.backward(substitute={"y": [1.0, -1.0]}).grads["x"]) == [3.0, -3.0]
    misfit = r"a gradient of shape \(3,\) does not fit the node's shape \({}\)"
    with pytest.raises(GraphError, match=f"node 'y': {misfit.format('2,')}"):
        g.backward(substitute={"y": [1.0, 2.0, 3.0]})
    with pytest.raises(GraphError, match=f"node 'z': {misfit.format('')}"):
        g.backward(seed=[1.0, 2.0, 3.0])
    with pytest.raises(GraphError, match="no node named 'yy'.*did you mean 'y'"):
        g.backward(substitute={"yy": 1.0})


def test_edge_gradient_is_upstream_times_local_and_edges_sum_to_the_gradient():
    g = Graph.parse(**APPLE_GRAPE)
    for node, index, arg in [("payment", 1, "tax"), ("payment", 0, "all_total"), ("apple_total", 0, "apple_price")]:
        assert g.edge_grad(node, index) == pytest.approx(g.grad(node) * g.local(node, arg))
    assert g.edge_grad("all_total", 0) == pytest.approx(1.1)  # an add node passes the gradient on whole

    shared = Graph.parse(inputs={"x": 2}, nodes={"t": "x ** 2", "u": "3 * t", "v": "t * x", "z": "u + v"})
    flows = [shared.edge_grad(node, i) for node, i in shared.consumers("x")]
    assert sum(flows) == pytest.approx(shared.grad("x"))
    assert shared.edge_grad("u", 0) is None  # the constant 3 receives no gradient


def test_with_values_makes_a_variant_and_leaves_the_original():
    g = Graph.parse(**APPLE)
    variant = g.with_values({"apple_count": 5})
    assert variant.value("payment") == pytest.approx(550)
    assert variant.grad("apple_price") == pytest.approx(5.5)
    assert g.value("payment") == pytest.approx(220)
    with pytest.raises(GraphError, match="'apple_total' is not an input"):
        g.with_values({"apple_total": 3})


def test_unnamed_nodes_are_named_by_their_source_text():
    g = Graph.parse(**APPLE | {"nodes": {"payment": "apple_price * apple_count * tax"}})
    inner = g.nodes["apple_price * apple_count"]
    assert (inner.kind, inner.op, inner.named, inner.args) == ("op", "mul", False, ("apple_price", "apple_count"))
    assert g.grad("apple_price * apple_count") == pytest.approx(1.1)
    assert list(g.nodes)[-1] == "payment"  # topological order ends at the output


def test_matmul_as_a_function_is_the_operator():
    # The book writes np.dot(x, W) + b; DESIGN.md lists matmul(a, b) among the DSL's functions.
    values = {"X": [[1.0, 2.0], [3.0, -4.0], [0.5, 6.0]], "W": [[1.0, -2.0, 0.5], [3.0, 1.0, -1.0]],
              "b": [0.1, 0.2, 0.3]}
    by_function = Graph.parse(inputs=values, nodes={"Y": "matmul(X, W) + b", "L": "sum(Y * Y)"}, output="L")
    by_operator = Graph.parse(inputs=values, nodes={"Y": "X @ W + b", "L": "sum(Y * Y)"}, output="L")
    assert by_function.nodes["matmul(X, W)"].op == "matmul"
    assert np.allclose(by_function.value("Y"), np.asarray(values["X"]) @ np.asarray(values["W"]) + values["b"])
    for name in values:
        assert np.array_equal(by_function.grad(name), by_operator.grad(name))
    # dW = Xᵀ·dout and dX = dout·Wᵀ, as the book's Affine.backward computes them
    dout = 2 * by_function.value("Y")
    assert np.allclose(by_function.grad("W"), np.asarray(values["X"]).T @ dout)
    assert np.allclose(by_function.grad("X"), dout @ np.asarray(values["W"]).T)


@pytest.mark.parametrize("expression, message", [
    ("matmul(X)", "matmul() takes 2 arguments, got 1"),
    ("matmul(X, W, W)", "matmul() takes 2 arguments, got 3"),
])
def test_matmul_takes_two_arguments(expression, message):
    with pytest.raises(GraphError, match=message.replace("(", r"\(").replace(")", r"\)")):
        Graph.parse(inputs={"X": [[1.0, 2.0]], "W": [[1.0], [2.0]]}, nodes={"Y": expression}, output="Y")


def test_edge_local_is_the_local_derivative_at_every_number_before_it_is_summed_back():
    g = Graph.parse(inputs={"X": [1.0, 2.0, 3.0]}, params={"w": 3.0}, nodes={"p": "w * X", "s": "sum(p)"})
    assert np.array_equal(g.edge_local("p", 0), g.value("X"))  # one derivative per x: the other input
    assert g.local("p", "w") == np.sum(g.edge_local("p", 0))  # summed back to w's single number
    assert np.array_equal(g.edge_local("p", 1), np.full(3, g.value("w")))
