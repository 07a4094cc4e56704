"""The graph drawing: golden texts of the lecture's four graphs, and structure over random graphs."""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tutor.engine import Graph
from tutor.render.graph import ASCII, CONNECTORS, UNICODE, layout_graph, op_symbol, render_graph

GOLDEN = Path(__file__).parent / "golden"
KO = {"apple_price": "사과 가격", "apple_count": "사과 개수", "grape_price": "포도 가격",
      "grape_count": "포도 개수", "tax": "소비세", "payment": "지불 금액"}

LECTURE = {
    "apple": lambda: Graph.parse(inputs={"apple_price": 100, "apple_count": 2, "tax": 1.1},
                                 nodes={"apple_total": "apple_price * apple_count", "payment": "apple_total * tax"}),
    "fruit": lambda: Graph.parse(inputs={"apple_price": 100, "apple_count": 2, "grape_price": 150,
                                         "grape_count": 3, "tax": 1.1},
                                 nodes={"apple_total": "apple_price * apple_count",
                                        "grape_total": "grape_price * grape_count",
                                        "total": "apple_total + grape_total", "payment": "total * tax"}),
    "chain": lambda: Graph.parse(inputs={"x": 1, "y": 2}, nodes={"t": "x + y", "z": "t ** 2"}),
    "net": lambda: Graph.parse(inputs={"X": [1, 2, 3]}, params={"w": 3},
                               nodes={"train_y": "2 * X", "pred": "relu(w * X)", "loss": "mse(pred, train_y)"}),
}


def plain(lines) -> str:
    return "\n".join(line.plain for line in lines) + "\n"


@pytest.mark.parametrize("ascii", [False, True], ids=["unicode", "ascii"])
@pytest.mark.parametrize("values", ["forward", "both"])
@pytest.mark.parametrize("name", list(LECTURE))
def test_lecture_graphs_match_their_golden_text(name, values, ascii):
    drawing = plain(render_graph(LECTURE[name](), values=values, ascii=ascii, labels=KO))
    path = GOLDEN / f"{name}-{'backward' if values == 'both' else 'forward'}-{'ascii' if ascii else 'unicode'}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(drawing, encoding="utf-8")
    assert drawing == path.read_text(encoding="utf-8")
    assert max(cell_len(line) for line in drawing.splitlines()) <= 80
    if ascii:
        assert set(ch for ch in drawing if not ch.isascii()) <= set("".join(KO.values()))


def test_the_lecture_numbers_are_written_as_a_person_writes_them():
    apple = plain(render_graph(LECTURE["apple"](), values="both"))
    for number in ("220", "200", "2.2", "110", "1.1"):
        assert f" {number} " in f" {apple} ".replace("\n", " ")
    assert "220.0000" not in apple and "110.0000" not in apple
    net = plain(render_graph(LECTURE["net"](), values="both"))
    assert "4.667" in net and "9.333" in net and "[3, 6, 9]" in net and "[2, 4, 6]" in net


def test_hidden_values_become_markers_and_the_highlight_is_styled():
    graph = LECTURE["apple"]()
    lines = render_graph(graph, values="both", hidden={("backward", "apple_price"): "a", ("forward", "payment"): "b"},
                         highlight="payment")
    text = plain(lines)
    assert "[a]" in text and "[b]" in text
    assert "2.2" not in text and "220" not in text
    lit = "".join(line.plain[span.start:span.end] for line in lines for span in line.spans
                  if "reverse" in str(span.style))
    assert lit == "(×)payment"  # the second multiplication and the output's name, nothing else


def test_long_vectors_are_elided_with_their_shape_and_matrices_shown_by_shape():
    graph = Graph.parse(inputs={"x": list(range(100)), "W": [[1, 2, 3], [4, 5, 6]]}, nodes={"y": "sum(x) + sum(W)"})
    text = plain(render_graph(graph))
    assert "[0, 1, …] (100,)" in text and "2×3" in text
    assert "[0, 1, ...] (100,)" in plain(render_graph(graph, ascii=True))


def test_ascii_operator_symbols_are_little_wider_than_the_unicode_ones():
    from tutor.engine import OPS

    for op in OPS:
        assert cell_len(op_symbol(op, ascii=True)) <= cell_len(op_symbol(op, ascii=False)) + 2, op
    assert op_symbol("sigmoid", ascii=True) == "[sig]"


def test_too_wide_vectors_give_way_but_their_length_stays_in_the_drawing():
    from tutor.render.numbers import format_value

    graph = Graph.parse(inputs={"x": [1, 2, 3]}, params={"w": 2.004},
                        nodes={"y": "w * x", "loss": "mean(relu(y) * 0.0009876)"})
    full = layout_graph(graph, values="both", width=None).width
    layout = layout_graph(graph, values="both", width=full - 1)
    assert layout.width < full
    texts = {(edge.source, label.kind): label.text for edge in layout.edges for label in edge.labels}
    assert texts[("x", "forward")] == format_value([1, 2, 3])  # in full: narrower than [1, …] (3,)
    # A gradient has its value's shape: said once per edge, above it, if at all.
    assert "…" in texts[("y", "backward")] and "(3,)" not in texts[("y", "backward")]
    assert not any("(3,)" in text for (_, kind), text in texts.items() if kind == "backward")


# ---- structure over random graphs -------------------------------------------------------------

OPERATIONS = ["{} + {}", "{} * {}", "{} - {}", "relu({})", "sigmoid({})", "({} + 2) * {}", "affine({}, {}, {})"]


@st.composite
def graphs(draw):
    # One-element vectors: every operation fits them, affine (three inputs) included.
    inputs = {f"x{i}": [draw(st.integers(-5, 5))] for i in range(draw(st.integers(1, 4)))}
    names = list(inputs)
    nodes = {}
    for i in range(draw(st.integers(1, 8))):
        pattern = draw(st.sampled_from(OPERATIONS))
        args = [draw(st.sampled_from(names)) for _ in range(pattern.count("{}"))]
        nodes[f"n{i}"] = pattern.format(*args)
        names.append(f"n{i}")
    graph = Graph.parse(inputs=inputs, nodes=nodes)
    labels = {n: draw(st.sampled_from([n, "가격", "사과 개수", "소비세 10%"])) for n in names}
    return graph, labels


def _grid(lines):
    """Each drawn line as {cell column: character}, measured in cells."""
    grid = []
    for line in lines:
        cells, col = {}, 0
        for ch in line.plain:
            cells[col] = ch
            col += cell_len(ch)
        grid.append(cells)
    return grid


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.sampled_from(["forward", "backward", "both"]), st.booleans())
def test_random_graphs_are_drawn_with_connected_edges_and_no_overlaps(case, values, ascii):
    graph, labels = case
    layout = layout_graph(graph, values=values, ascii=ascii, labels=labels, width=None)
    chars = ASCII if ascii else UNICODE
    grid = _grid(render_graph(graph, values=values, ascii=ascii, labels=labels, width=None))

    claimed: dict[tuple[int, int], str] = {}

    def claim(row, col, width, what):
        for c in range(col, col + width):
            assert (row, c) not in claimed, f"{what} overlaps {claimed[(row, c)]} at {(row, c)}"
            claimed[(row, c)] = what

    for node, glyph in layout.glyphs:
        claim(glyph.row, glyph.col, glyph.width, f"node {node}")
        assert grid[glyph.row].get(glyph.col) == glyph.text[0]
    for edge in layout.edges:
        for r, c, ch in edge.cells:
            claim(r, c, 1, f"edge {edge.source}->{edge.target}")
            assert grid[r][c] == ch
        for label in edge.labels:
            claim(label.row, label.col, label.width, f"label {label.text}")
        # It starts right after its source (one space after a leaf's text) ...
        r0, c0, _ = edge.cells[0]
        src = edge.source_glyph
        assert r0 == src.row and c0 - (src.col + src.width) in (0, 1)
        # ... runs without a gap ...
        for (ra, ca, _), (rb, cb, _) in zip(edge.cells, edge.cells[1:]):
            assert abs(ra - rb) + abs(ca - cb) == 1
        # ... and ends in an arrow at its target.
        r1, c1, last = edge.cells[-1]
        if edge.target is None:
            assert last == chars.arrow
            continue
        target = layout.target_glyph[id(edge)]
        assert target.text == op_symbol(graph.nodes[edge.target].op, ascii)
        middle = target.col + target.width // 2
        assert (r1, c1, last) == [(target.row, target.col - 1, chars.arrow), (target.row + 1, middle, chars.up),
                                  (target.row - 1, middle, chars.down)][edge.port]
    # Every input of every operator is drawn.
    drawn = {(e.target, e.port, e.source) for e in layout.edges}
    for name, node in graph.nodes.items():
        for port, arg in enumerate(node.args):
            assert (name, port, arg) in drawn
    # A vertical connector continues on the lines above and below.
    for r, cells in enumerate(grid):
        for c, ch in cells.items():
            if ch == chars.vertical:
                assert grid[r - 1].get(c) in CONNECTORS and grid[r + 1].get(c) in CONNECTORS
    if ascii:
        assert all(ch.isascii() for cells in grid for ch in cells.values()
                   if not any(ch in label for label in labels.values()))


@pytest.mark.parametrize("ascii", [False, True], ids=["unicode", "ascii"])
def test_every_bundled_graph_fits_80_columns(ascii):
    # The conditions of `tutor check --strict`: every graph, placed or not, forward and backward, Korean and
    # English labels, the file's values and the first variants.
    from tutor.authoring.lints import VARIANT_SEEDS
    from tutor.lessons import bundled_lessons_dir, load_lessons, text

    lessons, _ = load_lessons(bundled_lessons_dir())
    drawn = 0
    for lesson in lessons:
        instances = [lesson.instance()] + [lesson.instance(seed=s) for s in range(VARIANT_SEEDS) if lesson.variants]
        for name, spec in lesson.graphs.items():
            for instance in instances:
                for lang in ("ko", "en"):
                    labels = {node: text(label, lang) for node, label in spec.labels.items()}
                    for values in ("forward", "both"):
                        lines = render_graph(instance.graph(name), values=values, ascii=ascii, labels=labels)
                        widest = max(cell_len(line.plain) for line in lines)
                        assert widest <= 80, (lesson.id, name, instance.seed, lang, values, widest)
                        drawn += 1
    assert drawn > 40
