"""Bad graphs give a GraphError whose message names the node and what is wrong; nothing is ever run."""

import builtins
import re

import numpy as np
import pytest

from tutor.engine import Graph, GraphError

BAD_EXPRESSIONS = [
    # (expression of node y, with input x = 2, what the message must say)
    ("x + zz", "unknown name 'zz'"),
    ("exq(x)", "unknown function 'exq' (did you mean 'exp'?)"),
    ("x.__class__", "attribute access ('x.__class__') is not allowed"),
    ("__import__('os')", "unknown function '__import__'"),
    ("print(x)", "unknown function 'print'"),
    ("x(1)", "unknown function 'x'"),
    ("(x + 1)(2)", "only the functions"),
    ("exp(x)(1)", "only the functions"),
    ("x[0]", "indexing is not allowed"),
    ("lambda: 1", "lambda is not allowed"),
    ("'text'", "'text' is not a number"),
    ("exp(x=1)", "exp() takes plain arguments only"),
    ("affine(x, x)", "affine() takes 3 arguments, got 2"),
    ("x +", "cannot read 'x +'"),
    ("1e999 * x", "the number 1e999 is too large"),
    ("log(-x)", "'log(-x)' gives NaN (log of a number that is not positive)"),
    ("x / (x - 2)", "(division by zero)"),
    ("exp(1000 * x)", "gives infinity"),
]


@pytest.mark.parametrize(("expression", "message"), BAD_EXPRESSIONS)
def test_a_bad_expression_names_its_node_and_the_fault(expression, message):
    with pytest.raises(GraphError) as caught:
        Graph.parse(inputs={"x": 2}, nodes={"t": "x * 3", "y": expression}).values
    assert caught.value.node == "y"
    assert str(caught.value).startswith("node 'y': ")
    assert message in str(caught.value)


@pytest.mark.parametrize("expression", ["x + \x1b]52;c;aGk=\x07", "'\x1b[2J'.x", "{'\x1b[2J'}"])
def test_a_message_quoting_the_expression_carries_no_raw_control_character(expression):
    with pytest.raises(GraphError) as caught:
        Graph.parse(inputs={"x": 2}, nodes={"y": expression})
    assert "\x1b" not in str(caught.value) and "\x07" not in str(caught.value)
    assert "\\x1b" in str(caught.value)  # shown escaped, so the author still sees what is there


def test_the_column_of_an_unknown_name_is_reported():
    with pytest.raises(GraphError) as caught:
        Graph.parse(inputs={"x": 2}, nodes={"y": "x + zz"})
    assert caught.value.column == 4


def test_a_cycle_is_named_with_its_nodes():
    with pytest.raises(GraphError, match=r"node 'a': the nodes form a cycle: a → b → a"):
        Graph.parse(inputs={"x": 1}, nodes={"a": "b + x", "b": "a * 2", "c": "x + 1"})


def test_a_cycle_is_blamed_on_its_own_nodes_not_on_a_reader_of_it():
    with pytest.raises(GraphError) as caught:
        Graph.parse(inputs={"x": 1}, nodes={"c": "a + 1", "a": "sigmoid(b) + x", "b": "exp(a * 2)"})
    assert caught.value.node == "a"
    assert str(caught.value) == "node 'a': the nodes form a cycle: a → b → a"


def test_a_self_reference_is_a_cycle():
    with pytest.raises(GraphError, match=r"node 'a': the nodes form a cycle: a → a"):
        Graph.parse(inputs={"x": 1}, nodes={"a": "a + x"})


def test_a_shape_mismatch_names_the_node_and_the_shapes():
    with pytest.raises(GraphError) as caught:
        Graph.parse(inputs={"X": np.ones((2, 3)), "W": np.ones((2, 3))}, nodes={"y": "X @ W"}).values
    assert caught.value.node == "y"
    assert "shapes (2, 3) and (2, 3) do not fit for '@' in 'X @ W'" in str(caught.value)


def test_a_shape_mismatch_in_a_nested_node_names_that_node():
    with pytest.raises(GraphError, match=r"node 'a \+ b': shapes \(2,\) and \(3,\) do not fit"):
        Graph.parse(inputs={"a": [1, 2], "b": [1, 2, 3]}, nodes={"y": "sum(a + b)"}).values


BAD_INPUTS = [
    (float("nan"), "input 'x' is not finite"),
    ([1.0, float("inf")], "input 'x' is not finite"),
    ([[1, 2], [3]], "input 'x' must be a number or a rectangular list of numbers"),
    (["one"], "input 'x' must be a number or a rectangular list of numbers"),
    ("2", "input 'x' must be a number or a list of numbers, not '2'"),
    (True, "input 'x' must be a number or a list of numbers, not True"),
    (None, "input 'x' must be a number or a list of numbers, not None"),
    (10**400, "input 'x' is too large for a float"),
]


@pytest.mark.parametrize(("value", "message"), BAD_INPUTS)
def test_a_bad_input_value_is_named(value, message):
    with pytest.raises(GraphError) as caught:
        Graph.parse(inputs={"x": value}, nodes={"y": "x * 2"})
    assert str(caught.value) == message


@pytest.mark.parametrize(("inputs", "nodes", "message"), [
    ({"x": 1}, {"x": "2 * 3"}, "node 'x': 'x' is defined twice"),
    ({"exp": 1}, {"y": "exp * 2"}, "node 'exp': 'exp' is the name of a function; choose another name"),
    ({"x y": 1}, {"y": "2"}, "'x y' is not a valid name"),
    ({"lambda": 1}, {"y": "2"}, "node 'lambda': 'lambda' is a reserved word; choose another name"),
    ({"x": 1}, {"y": "x"}, "node 'y': only repeats 'x'; use 'x' directly"),
    ({}, {}, "the graph has no inputs and no nodes"),
])
def test_bad_names(inputs, nodes, message):
    with pytest.raises(GraphError) as caught:
        Graph.parse(inputs=inputs, nodes=nodes)
    assert str(caught.value).startswith(message)


def test_an_unknown_output_or_node_is_named_with_a_suggestion():
    with pytest.raises(GraphError, match="output 'totl' is not a node of the graph \\(did you mean 'total'\\?\\)"):
        Graph.parse(inputs={"x": 1}, nodes={"total": "x * 2"}, output="totl")
    g = Graph.parse(inputs={"x": 1}, nodes={"total": "x * 2"})
    with pytest.raises(GraphError, match="no node named 'totl' \\(did you mean 'total'\\?\\)"):
        g.grad("totl")


def test_graphs_are_built_and_differentiated_without_eval_or_exec(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("eval/exec was called")

    monkeypatch.setattr(builtins, "eval", refuse)
    monkeypatch.setattr(builtins, "exec", refuse)
    g = Graph.parse(inputs={"X": [[1.0, 2.0]], "W": [[0.5], [-1.0]], "b": [0.1]},
                    nodes={"h": "sigmoid(affine(X, W, b))", "loss": "mse(h, 1) + 0.5 * sum(W ** 2)"})
    assert g.grad("W").shape == (2, 1)
    assert g.local("h", "affine(X, W, b)") == pytest.approx(g.value("h") * (1 - g.value("h")))
    with pytest.raises(GraphError, match="only the functions affine, .* can be called"):
        Graph.parse(inputs={"x": 1}, nodes={"y": "__import__('os').system('true')"})


@pytest.mark.parametrize("nodes", [
    {f"n{i}": "x + 1" for i in range(11)},  # named nodes: refused before any expression is read
    {"y": " * ".join(["x"] * 6)},  # one expression of 5 nested products and their operands, x counted once
], ids=["named", "nested"])
def test_max_nodes_counts_every_node_the_graph_would_get(nodes):
    with pytest.raises(GraphError, match="the graph has more than 5 nodes"):
        Graph.parse(inputs={"x": 1.0}, nodes=nodes, max_nodes=5)
    assert len(Graph.parse(inputs={"x": 1.0}, nodes=nodes).nodes) > 5  # without the bound it is built


def test_repeated_constants_are_numbered_in_order():
    g = Graph.parse(inputs={"x": 1.0}, nodes={"a": "x * 1.5", "b": "a * 1.5 + 1.5", "c": "b * 1.5"})
    assert [n for n in g.nodes if n.startswith("1.5")] == ["1.5", "1.5 #2", "1.5 #3", "1.5 #4"]
    assert g.value("c") == 1.5 * 1.5 * 1.5 + 1.5 * 1.5


@pytest.mark.parametrize("inputs, expression, shape", [
    ({"a": np.ones((1001, 1)), "b": np.ones((1, 1000))}, "a * b", "(1001, 1000)"),  # broadcast
    ({"a": np.ones((1001, 1)), "b": np.ones((1, 1000))}, "mse(a, b)", "(1001, 1000)"),  # a loss broadcasts inside
    ({"a": np.ones((1001, 1)), "b": np.ones((1, 1000))}, "a @ b", "(1001, 1000)"),  # the matmul rule
    ({"a": np.ones((1001, 2)), "b": np.ones((2, 1000)), "c": np.ones(1000)}, "affine(a, b, c)", "(1001, 1000)"),
], ids=["broadcast", "mse", "matmul", "affine"])
def test_a_result_over_a_million_numbers_is_refused_before_the_op_runs(inputs, expression, shape, monkeypatch):
    from tutor.engine import ops

    ran = []
    op = ops.OPS[Graph.parse(inputs=inputs, nodes={"z": expression}).nodes["z"].op]
    monkeypatch.setitem(ops.OPS, op.name, ops.Op(op.name, op.symbol, lambda *a: ran.append(a), op.backward, op.shape))
    with pytest.raises(GraphError, match=rf"node 'z': '{re.escape(expression)}' would hold 1,001,000 numbers "
                                         rf"\(shape {re.escape(shape)}\); the limit is 1,000,000: too large"):
        Graph.parse(inputs=inputs, nodes={"z": expression}).values
    assert ran == []


def test_a_million_numbers_is_allowed_and_an_input_over_it_refused():
    assert Graph.parse(inputs={"a": np.ones((1000, 1)), "b": np.ones((1, 1000))},
                       nodes={"z": "sum(a @ b)"}).value("z") == 1_000_000
    with pytest.raises(GraphError, match="input 'a' holds 1,000,001 numbers; the limit is 1,000,000: too large"):
        Graph.parse(inputs={"a": np.ones(1_000_001)}, nodes={"z": "sum(a)"})


def test_numbers_whose_sum_overflows_are_finite_and_a_nan_among_them_is_not():
    """Finiteness is checked through a sum of squares (quicker than number by number); a sum that overflows
    (1e308 + 1e308) is no reason to refuse, and a nan or inf anywhere still is, with no warning printed."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # numpy's overflow warning would reach the learner's terminal
        graph = Graph.parse(inputs={"x": [1e308, 1e308, -1e308]}, nodes={"y": "x * 0.5"})
        assert graph.value("y")[0] == 5e307
        assert list(graph.grad("x")) == [0.5, 0.5, 0.5]
        for bad in ([1e308, 1e308, float("nan")], [float("inf"), 1.0, float("-inf")]):
            with pytest.raises(GraphError, match="input 'x' is not finite"):
                Graph.parse(inputs={"x": bad}, nodes={"y": "x * 0.5"})
        with pytest.raises(GraphError, match="'x \\* 1e308' gives"):
            Graph.parse(inputs={"x": [1e308, 2.0]}, nodes={"y": "x * 1e308"}).values


def test_gradients_that_overflow_only_when_they_add_up_are_refused_at_the_node_read_twice():
    """z = a·x·x reads x twice: each flow back to x is a·x = 1e308, finite, but ∂z/∂x is their sum, 2e308.
    The engine said inf (and a drawing of the backward pass would have shown it); now it names x. The
    same graph with numbers that fit gives the sum of the two flows, 2·a·x."""
    with pytest.raises(GraphError, match="node 'x': the gradients flowing back to it add up to infinity"):
        Graph.parse(inputs={"a": 1e308, "x": 1.0}, nodes={"z": "a * x * x"}).grad("x")
    graph = Graph.parse(inputs={"a": 3.0, "x": 2.0}, nodes={"z": "a * x * x"})
    assert graph.grad("x") == 2 * graph.value("a") * graph.value("x")
