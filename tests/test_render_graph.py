"""The graph drawing: golden texts of the lecture's four graphs, and structure over random graphs."""

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len

from tutor.engine import Graph
from tutor.render.numbers import format_value
from tutor.render.glyphs import glyph
from tutor.render.graph import CONNECTORS, layout_graph, op_symbol, render_graph

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
    golden(drawing, f"{name}-{'backward' if values == 'both' else 'forward'}", ascii, KO)


def golden(drawing: str, name: str, ascii: bool, labels: dict) -> None:
    """The drawing is its golden text (UPDATE_GOLDEN=1 writes it), fits 80 columns, and in ASCII mode has
    nothing outside ASCII but its labels' own characters."""
    path = GOLDEN / f"{name}-{'ascii' if ascii else 'unicode'}.txt"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(drawing, encoding="utf-8")
    assert drawing == path.read_text(encoding="utf-8")
    assert max(cell_len(line) for line in drawing.splitlines()) <= 80
    if ascii:
        assert set(ch for ch in drawing if not ch.isascii()) <= set("".join(labels.values()))


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


# ---- branching: every node once, gradients that add up -------------------------------------------

BRANCHING = {
    # a leaf read twice: a = x·y, b = x + a, z = 2b (∂z/∂x = 2 + 4 = 6)
    "leaf-twice": (lambda: Graph.parse(inputs={"x": 1, "y": 2}, nodes={"a": "x * y", "b": "x + a", "z": "2 * b"}),
                   {"ko": {"x": "입력 x", "y": "입력 y"}, "en": {"x": "input x", "y": "input y"}}),
    # an intermediate node read twice: c = b·b
    "node-twice": (lambda: Graph.parse(inputs={"x": 1, "y": 2}, nodes={"b": "x + y", "c": "b * b"}),
                   {"ko": {"b": "합 b", "c": "제곱 c"}, "en": {"b": "sum b", "c": "square c"}}),
    # lesson 8: train_X feeds both w·X and T = 2·X
    "lesson8": (lambda: Graph.parse(inputs={"X": [1, 2, 3], "w": 3},
                                    nodes={"train_y": "2 * X", "pred_y": "relu(w * X)", "loss": "mse(pred_y, train_y)"}),
                {"ko": {"X": "train_X", "loss": "손실"}, "en": {"X": "train_X", "loss": "loss"}}),
    # the apple-and-orange graph: no branching
    "fruit": (LECTURE["fruit"], {"ko": KO, "en": {}}),
}


@pytest.mark.parametrize("ascii", [False, True], ids=["unicode", "ascii"])
@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("name", list(BRANCHING))
def test_branching_graphs_match_their_golden_text(name, lang, ascii):
    build, labels = BRANCHING[name]
    drawing = plain(render_graph(build(), values="both", ascii=ascii, labels=labels[lang]))
    golden(drawing, f"branch-{name}-{lang}", ascii, labels[lang])


def test_a_leaf_read_twice_is_drawn_once_with_its_gradient_the_sum_of_its_branches():
    graph = BRANCHING["leaf-twice"][0]()
    layout = layout_graph(graph, values="both")
    assert [node for node, _ in layout.glyphs].count("x") == 1
    flows = graph.backward().edges
    branches = sorted(label.text for edge in layout.edges if edge.source == "x" for label in edge.labels)
    assert branches == sorted(format_value(flows[key]) for key in (("a", 0), ("b", 0)))  # 2 and 4
    [total] = [label.text for label in layout.stems["x"] if label.kind == "backward"]
    assert total == format_value(graph.grad("x")) == "6"


def test_a_hidden_gradient_of_a_branching_node_marks_its_total_by_the_blank_and_its_shares_as_unknown():
    """[a] on every branch said each branch carried the blank's value; they carry parts of it (2 and 4 of 6)."""
    graph = BRANCHING["leaf-twice"][0]()
    layout = layout_graph(graph, values="both", hidden={("backward", "x"): "a"})
    branches = [label.text for edge in layout.edges if edge.source == "x" for label in edge.labels]
    assert branches == ["[?]", "[?]"]
    assert [label.text for label in layout.stems["x"] if label.kind == "blank"] == ["[a]"]


def test_an_upstream_gradient_is_an_arrow_into_the_node_from_the_right_not_an_input():
    graph = Graph.parse(inputs={"x": 10, "y": 5, "dout": 1.3}, nodes={"z": "x + y", "L": "z * dout"})
    layout = layout_graph(graph, values="both", upstream="dout", labels={"dout": "상류 기울기"})
    drawn = {node for node, _ in layout.glyphs}
    assert drawn == {"x", "y", "z"}  # no dout, no L, no × for them
    [arrow] = [edge for edge in layout.edges if edge.target is None]
    assert arrow.source == "z"
    below = [label.text for label in arrow.labels if label.row > arrow.points[0][0]]
    assert below == [f"{glyph('arrow_back', False)}{glyph('line', False)} ∂L/∂z = 1.3"]
    ascii = plain(draw_lines(layout_graph(graph, values="both", upstream="dout", ascii=True)))
    assert "<- dL/dz = 1.3" in ascii and ascii.isascii()


def draw_lines(layout):
    from tutor.render.graph import draw

    return draw(layout)


# ---- structure over random DAGs ---------------------------------------------------------------------

OPERATIONS = ["{} + {}", "{} * {}", "{} - {}", "relu({})", "sigmoid({})", "({} + 2) * {}", "affine({}, {}, {})"]


@st.composite
def graphs(draw, most=30):
    # One-element vectors: every operation fits them, affine (three inputs) included. Names are read
    # again and again, so most graphs branch, some several times over.
    inputs = {f"x{i}": [draw(st.integers(-5, 5))] for i in range(draw(st.integers(1, 5)))}
    names = list(inputs)
    nodes = {}
    for i in range(draw(st.integers(1, most - len(inputs)))):
        pattern = draw(st.sampled_from(OPERATIONS))
        args = [draw(st.sampled_from(names)) for _ in range(pattern.count("{}"))]
        nodes[f"n{i}"] = pattern.format(*args)
        names.append(f"n{i}")
    graph = Graph.parse(inputs=inputs, nodes=nodes)
    labels = {n: draw(st.sampled_from([n, f"가격 {n}", f"사과 개수 {n}"])) for n in names}
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


def _number(text: str) -> float:
    return float(text.strip("[]").split(",")[0])


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs(), st.sampled_from(["forward", "backward", "both"]), st.booleans())
def test_random_dags_draw_every_node_once_and_every_edge_with_its_values(case, values, ascii):
    graph, labels = case
    layout = layout_graph(graph, values=values, ascii=ascii, labels=labels, width=None)
    lines = render_graph(graph, values=values, ascii=ascii, labels=labels, width=None)
    grid = _grid(lines)
    line_cells = {(r, c): ch for r, c, ch in layout.cells()}

    # Nothing overlaps: each node's drawing, each label and the lines own their cells.
    claimed: dict[tuple[int, int], str] = {cell: "a line" for cell in line_cells}
    glyph_places = {(q.row, q.col) for _, q in layout.glyphs}
    for what, piece in [(f"node {n}", p) for n, p in layout.glyphs] + [(f"label {p.text}", p) for p in layout.pieces()
                                                                     if (p.row, p.col) not in glyph_places]:
        for c in range(piece.col, piece.col + piece.width):
            assert (piece.row, c) not in claimed, f"{what} overlaps {claimed[(piece.row, c)]} at {(piece.row, c)}"
            claimed[(piece.row, c)] = what
        assert grid[piece.row].get(piece.col) == piece.text[0]
    for (r, c), ch in line_cells.items():
        assert grid[r][c] == ch

    # Every node is drawn exactly once: an input under its name, an operator as its symbol (a node nobody
    # reads also has its name after its own arrow).
    symbols = [n for n, p in layout.glyphs if not (p.kind == "leaf" and graph.nodes[n].kind == "op")]
    assert sorted(symbols) == sorted(graph.nodes)
    for name, node in graph.nodes.items():
        if node.kind == "input":
            assert [p.text for n, p in layout.glyphs if n == name] == [" ".join(labels[name].split())]

    # Every edge is one connected line from its source (or its source's lane) to an arrow at its port.
    flows = graph.backward().edges
    grads = graph.backward().grads
    readers: dict[str, list] = {}
    for edge in layout.edges:
        cells = edge.cells
        for (ra, ca, _), (rb, cb, _) in zip(cells, cells[1:]):
            assert abs(ra - rb) + abs(ca - cb) == 1
        if edge.target is None:
            continue
        readers.setdefault(edge.source, []).append(edge)
        target = edge.target_glyph
        assert target.text == op_symbol(graph.nodes[edge.target].op, ascii)
        middle = target.col + target.width // 2
        r1, c1, last = cells[-1]
        arrows = [glyph(name, ascii) for name in ("arrow", "up", "down")]
        assert (r1, c1, last) == [(target.row, target.col - 1, arrows[0]), (target.row + 1, middle, arrows[1]),
                                  (target.row - 1, middle, arrows[2])][edge.port]
    assert {(e.target, e.port, e.source) for e in layout.edges if e.target} == {
        (name, port, arg) for name, node in graph.nodes.items() for port, arg in enumerate(node.args)}

    for source, edges in readers.items():
        piece = next(p for n, p in layout.glyphs if n == source)
        node = graph.nodes[source]
        if len(edges) == 1:
            [edge] = edges
            r0, c0, _ = edge.cells[0]
            assert r0 == piece.row and c0 - (piece.col + piece.width) in (0, 1)
            stem = edge.labels
        else:
            # A branching node: one stem from the node to its lane, each branch leaving the lane.
            stem_cells, lane_cells = (set((r, c) for r, c in _cells(points)) for points in layout.trunks[source])
            assert min(stem_cells)[0] == piece.row and min(c for _, c in stem_cells) - (piece.col + piece.width) in (0, 1)
            for edge in edges:
                assert (edge.points[0]) in lane_cells
            stem = layout.stems[source]
        above = [p.text for p in stem if p.row < piece.row]
        below = [p.text for p in stem if p.row > piece.row]
        # The forward value above the line (a named node's as "name = value").
        if values != "backward" and node.kind != "const":
            assert len(above) == 1 and above[0].endswith(format_value(graph.values[source], ascii=ascii))
        if values == "forward" or node.kind == "const":
            assert not below
            continue
        # The gradient below: the one edge's, or at a branching node each branch's and their sum. (A line
        # into a node the output does not read carries no gradient, and shows none.)
        if len(edges) == 1:
            flow = flows.get((edges[0].target, edges[0].port))
            assert below == ([] if flow is None else [format_value(flow, ascii=ascii)])
        else:
            assert below == ([format_value(grads[source], ascii=ascii)] if source in grads else [])
            shares = []
            for edge in edges:
                flow = flows.get((edge.target, edge.port))
                if flow is None:
                    assert not edge.labels
                    continue
                [label] = edge.labels
                assert label.row == edge.points[0][0] + 1  # under its branch
                assert label.text == format_value(flow, ascii=ascii)
                shares.append(_number(label.text))
            if shares:
                total = _number(below[0])
                # Each number is shown to 4 significant digits, off by at most half its last digit (≤ 5e-4
                # of it): shares of opposite signs can add up to a small total that their rounding blurs.
                assert abs(sum(shares) - total) <= 5e-4 * (sum(map(abs, shares)) + abs(total)) + 1e-12

    # The drawing is no wider than it says, and ASCII mode draws nothing else but the labels' Hangul.
    assert max((cell_len(line.plain) for line in lines), default=0) <= layout.width
    if ascii:
        assert all(ch.isascii() for cells in grid for ch in cells.values()
                   if not any(ch in label for label in labels.values()))


def _cells(points):
    from tutor.render.graph import _cells as cells

    return cells(points)


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


def test_a_graph_too_wide_for_the_window_drops_its_intermediates_names_before_it_overflows():
    """Lesson 13's sigmoid graph at 80 columns (76 for the drawing): wrapped, its lines fell apart."""
    from tutor.lessons import bundled_lessons_dir, load_lessons

    lesson = next(l for l in load_lessons(bundled_lessons_dir())[0] if l.id == "sigmoid-steps")
    name = next(iter(lesson.graphs))
    spec, graph = lesson.graphs[name], lesson.instance().graph(name)
    labels = {node: label.ko if hasattr(label, "ko") else label for node, label in spec.labels.items()}
    wide = render_graph(graph, values="both", width=None, labels=labels, upstream=spec.upstream)
    assert max(line.cell_len for line in wide) > 76
    narrow = render_graph(graph, values="both", width=76, labels=labels, upstream=spec.upstream)
    assert max(line.cell_len for line in narrow) <= 76
    drawn = "\n".join(line.plain for line in narrow)
    assert all(format_value(graph.value(n)) in drawn for n, node in graph.nodes.items() if node.kind == "op")
