"""The backward walk (ctrl+b) at a node that branches: the gradients of its branches, added up."""

from tutor.engine import Graph
from tutor.render.numbers import format_value


def test_the_walk_adds_the_branches_gradients_at_a_node_read_twice():
    from tutor.app.screens.walk import walk_lines

    graph = Graph.parse(inputs={"x": 1, "y": 2}, nodes={"a": "x * y", "b": "x + a", "z": "2 * b"})
    flows = [graph.edge_grad(reader, port) for reader, port in graph.consumers("x")]
    text = walk_lines(graph, "x", "en").plain
    terms = " + ".join(format_value(f) for f in flows)
    assert f"{terms} = {format_value(graph.grad('x'))}" in text  # 4 + 2 = 6
    assert sorted(flows) == [2, 4] and graph.grad("x") == 6
    # an unsolved blank's marker stands for the sum; each branch's share is hidden too, as an unknown, not as
    # the blank ([a] + [a] = [a] said each share was the whole)
    hidden = walk_lines(graph, "x", "ko", hidden={("backward", "x"): "a"}).plain
    assert "[?] + [?] = [a]" in hidden and "6" not in hidden


def test_a_node_read_once_shows_no_addition():
    from tutor.app.screens.walk import walk_lines

    graph = Graph.parse(inputs={"x": 1, "y": 2}, nodes={"a": "x * y", "z": "2 * a"})
    assert " + " not in walk_lines(graph, "x", "en").plain


def test_the_walk_starts_where_an_upstream_gradient_flows_in():
    from tutor.app.screens.walk import walk_order

    graph = Graph.parse(inputs={"x": 10, "y": 5, "dout": 1.3}, nodes={"z": "x + y", "L": "z * dout"})
    assert walk_order(graph, upstream="dout") == ["z", "y", "x"]
    assert walk_order(graph)[0] == "L"


def test_upstream_must_be_an_input_the_output_multiplies(tmp_path):
    import pytest

    from tutor.lessons import LessonError, load_lesson

    def lesson(nodes: str, upstream: str) -> str:
        return f"""---
id: up
title: Up
graphs:
  g:
    inputs: {{x: 2, y: 3, dout: 1.5}}
    nodes: {nodes}
    upstream: {upstream}
problems:
  - id: p
    answer: grad(x)
---
{{{{graph g}}}} {{{{blank p}}}}
"""

    good = tmp_path / "good.md"
    good.write_text(lesson("{z: x + y, L: z * dout}", "dout"), encoding="utf-8")
    assert load_lesson(good).graphs["g"].upstream == "dout"
    for nodes, upstream, says in [("{z: x + y, L: z * dout}", "nope", "is not an input"),
                                  ("{z: x + y, L: z + dout}", "dout", "must be a node times 'dout'"),
                                  ("{z: x * dout, L: z * dout}", "dout", "nothing else may read 'dout'")]:
        bad = tmp_path / "bad.md"
        bad.write_text(lesson(nodes, upstream), encoding="utf-8")
        with pytest.raises(LessonError) as refused:
            load_lesson(bad)
        [issue] = refused.value.issues
        assert says in issue.message and (issue.line, issue.col) == (8, 15)  # at the upstream: value


def test_a_broadcast_inputs_gradient_is_the_sum_of_its_products_not_one_product():
    """w in w * X is one number used for every x: its gradient is Σ upstream × x. Written as one product
    (the vector of upstreams × the summed local 6 = 9.33) the line was false."""
    from tutor.app.screens.walk import walk_lines

    graph = Graph.parse(inputs={"X": [1, 2, 3], "t": [2, 4, 6]}, params={"w": 3}, nodes={"p": "w * X", "loss": "mse(p, t)"})
    text = walk_lines(graph, "p", "en").plain
    summed = f"Σ({format_value(graph.grad('p'))} × {format_value(graph.value('X'))}) = {format_value(graph.grad('w'))}"
    assert summed in text
    assert f"→ w: upstream × local at each place w is used, added up = downstream" in text
    assert f"{format_value(graph.grad('p'))} × {format_value(graph.local('p', 'w'))}" not in text


def test_a_matrix_products_inputs_are_told_by_the_books_rule():
    from tutor.app.screens.walk import walk_lines

    graph = Graph.parse(inputs={"x": [[1, 2], [3, 4]]}, params={"W": [[1, 2], [0, 1]], "b": [1, 1]},
                        nodes={"y": "affine(x, W, b)", "L": "sum(y * y)"})
    text = walk_lines(graph, "y", "en").plain
    # a matrix is written as its shape in brackets: "2×2 × 1" read as a product of three numbers
    assert "→ x: a matrix product's backward rule = downstream\n    [2×2] · Wᵀ = [2×2]" in text
    assert "→ W: a matrix product's backward rule = downstream\n    xᵀ · [2×2] = [2×2]" in text
    assert f"Σ([2×2] × 1) = {format_value(graph.grad('b'))}" in text  # b is added to every row
    assert "→ x: upstream × local" not in text and "→ W: upstream × local" not in text
