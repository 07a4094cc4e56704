"""A computational graph drawn as text, the way the book draws it: inputs on the left, the output on
the right, operator nodes small, forward values above each edge and backward values below it.

The layout is the book's: an operator's first input arrives from the left, its second from below
(▲) and its third from above (▼). Each input's drawing is a rectangle of its own, stacked, so
nothing overlaps by construction. A leaf read twice is drawn twice, as the book does; a named node
read twice is drawn once in full and referred to by its label elsewhere. Everything is measured in
terminal cells (Hangul is two). Pure: no Textual, no terminal.
"""

from dataclasses import dataclass, field

import numpy as np
from rich.cells import cell_len
from rich.text import Span, Text

from ..engine import OPS, Graph
from .mathtext import safe_text
from .numbers import format_value


@dataclass(frozen=True)
class Charset:
    line: str
    vertical: str
    arrow: str  # into an operator from the left
    up: str  # into an operator from below
    down: str  # into an operator from above
    corner_up: str  # a line from the left turning up
    corner_down: str  # a line from the left turning down


UNICODE = Charset("─", "│", "▶", "▲", "▼", "┘", "┐")
ASCII = Charset("-", "|", ">", "^", "v", "+", "+")
ASCII_SYMBOLS = {"×": "x", "÷": "/", "−": "-", "σ": "sig", "Σ": "sum", "ᵀ": "T", "²": "^2"}
CONNECTORS = {c for cs in (UNICODE, ASCII) for c in (cs.vertical, cs.up, cs.down, cs.corner_up, cs.corner_down)}

STYLES = {
    "leaf": "bold cyan",
    "const": "dim",
    "op": "bold",
    "forward": "green",
    "backward": "red",
    "name": "cyan",
    "blank": "bold yellow",
    "highlight": "reverse bold",
}


@dataclass
class Placed:
    """A piece of text at an absolute place, measured in cells."""

    row: int
    col: int
    text: str
    kind: str  # a key of STYLES

    @property
    def width(self) -> int:
        return cell_len(self.text)


@dataclass
class Edge:
    source: str  # node names
    target: str | None  # None: the output's own outgoing arrow
    port: int
    source_glyph: Placed  # where the source is drawn (this copy of it)
    cells: list[tuple[int, int, str]]  # the path, from the source end to the arrow or corner
    labels: list[Placed]


@dataclass
class Layout:
    glyphs: list[tuple[str, Placed]] = field(default_factory=list)  # (node, its drawing)
    edges: list[Edge] = field(default_factory=list)
    target_glyph: dict[int, Placed] = field(default_factory=dict)  # id(edge) -> the target's drawing

    @property
    def width(self) -> int:
        pieces = [p for _, p in self.glyphs] + [label for e in self.edges for label in e.labels]
        ends = [p.col + p.width for p in pieces] + [c + 1 for e in self.edges for _, c, _ in e.cells]
        return max(ends, default=0)

    @property
    def height(self) -> int:
        rows = [p.row for _, p in self.glyphs] + [r for e in self.edges for r, _, _ in e.cells]
        rows += [label.row for e in self.edges for label in e.labels]
        return max(rows, default=-1) + 1


@dataclass
class _Block:
    """One node's drawing with all its inputs' drawings, in coordinates relative to the block."""

    width: int
    height: int
    out_row: int
    gap: int  # 1 after a leaf's text, 0 after an operator symbol
    glyph: Placed
    children: list[tuple[int, int, int]] = field(default_factory=list)  # (instance, d_row, d_col)
    edges: list[tuple[int, int, Edge]] = field(default_factory=list)  # (source instance, port, edge)


def render_graph(graph: Graph, *, values: str = "forward", hidden: dict[tuple[str, str], str] | None = None,
                 highlight: str | None = None, ascii: bool = False, width: int | None = 80,
                 labels: dict[str, str] | None = None) -> list[Text]:
    """The graph as styled lines. ``values``: "forward", "backward" or "both" (forward above each
    edge, backward below); ``hidden[(direction, node)] = "a"`` draws ``[a]`` in place of that value;
    ``highlight`` marks one node; ``labels`` maps nodes to their (localized) names."""
    layout = layout_graph(graph, values=values, hidden=hidden, ascii=ascii, width=width, labels=labels)
    return draw(layout, highlight)


class DrawingTooLarge(ValueError):
    """The drawing would cover more than ``max_cells`` cells; found while laying it out, before it is drawn."""

    def __init__(self, cells: int, max_cells: int):
        super().__init__(f"its drawing would cover more than {cells:,} cells")
        self.cells = cells
        self.max_cells = max_cells


def layout_graph(graph: Graph, *, values: str = "forward", hidden: dict[tuple[str, str], str] | None = None,
                 ascii: bool = False, width: int | None = 80, labels: dict[str, str] | None = None,
                 max_cells: int | None = None) -> Layout:
    """``max_cells``: stop with DrawingTooLarge as soon as a part of the drawing is larger (a lesson's budget)."""
    if values not in ("forward", "backward", "both"):
        raise ValueError(f"values must be forward, backward or both, not {values!r}")
    layout = _Layouter(graph, values, hidden or {}, ascii, labels or {}, max_items=4, max_cells=max_cells).run()
    if width is not None and layout.width > width:
        # Too wide: long vectors are the one thing that can give way, down to their first item, then
        # the computed ones without their length.
        narrower = [_Layouter(graph, values, hidden or {}, ascii, labels or {}, max_items=n, shapes=shapes).run()
                    for n, shapes in ((3, True), (1, True), (1, False))]
        layout = min([layout, *narrower], key=lambda candidate: candidate.width)
    return layout


def draw(layout: Layout, highlight: str | None = None) -> list[Text]:
    """The layout as one ``Text`` per line. Rows are kept sparse: a big graph is mostly blank."""
    rows: list[list[tuple[int, str, str]]] = [[] for _ in range(layout.height)]  # (column, text, style)
    for edge in layout.edges:
        for r, c, ch in edge.cells:
            rows[r].append((c, ch, ""))
        for label in edge.labels:
            lit = highlight is not None and edge.target == highlight and label.kind != "name"
            rows[label.row].append((label.col, label.text, STYLES[label.kind] + (" bold underline" if lit else "")))
    for node, glyph in layout.glyphs:
        rows[glyph.row].append((glyph.col, glyph.text, STYLES["highlight"] if node == highlight else STYLES[glyph.kind]))
    lines = []
    for pieces in rows:
        pieces.sort()  # by column: pieces never share one
        parts, spans, cursor, length = [], [], 0, 0
        for col, piece, style in pieces:
            if col > cursor:
                parts.append(" " * (col - cursor))
                length += col - cursor
            parts.append(piece)
            if style:
                spans.append(Span(length, length + len(piece), style))
            length += len(piece)
            cursor = col + cell_len(piece)
        lines.append(Text("".join(parts), spans=spans, no_wrap=True, overflow="ignore"))
    return lines


def op_symbol(op: str, ascii: bool) -> str:
    symbol = OPS[op].symbol
    if ascii:
        symbol = ASCII_SYMBOLS.get(symbol, symbol if symbol.isascii() else op)
    return f"({symbol})" if len(symbol) == 1 else f"[{symbol}]"


class _Layouter:
    def __init__(self, graph: Graph, values: str, hidden: dict, ascii: bool, labels: dict, max_items: int,
                 shapes: bool = True, max_cells: int | None = None):
        self.graph = graph
        self.max_cells = max_cells
        self.forward = values in ("forward", "both")
        self.backward = values in ("backward", "both")
        self.hidden = hidden
        self.ascii = ascii
        self.chars = ASCII if ascii else UNICODE
        self.labels = labels
        self.max_items = max_items
        self.shapes = shapes  # an elided computed vector followed by its length: [3, …] (100,)
        self.flows = graph.backward().edges if self.backward else {}
        self.spacing = 1 if values == "both" else 0  # a blank line between stacked inputs keeps four labels apart

    # ---- what is written -------------------------------------------------------------------

    def label(self, node: str) -> str:
        text = self.labels.get(node, node)
        return " ".join(safe_text(str(text)).split()) or node

    def shown(self, direction: str, node: str, value, shape: bool = True) -> tuple[str, str]:
        marker = self.hidden.get((direction, node))
        if marker is not None:
            return f"[{safe_text(str(marker))}]", "blank"
        return format_value(value, ascii=self.ascii, max_items=self.max_items, shape=shape), direction

    def edge_labels(self, source: str, target: str | None, port: int,
                    drawn_in_full: bool = True) -> tuple[tuple[str, str] | None, ...]:
        """What goes above and below the edge leaving ``source``."""
        node = self.graph.nodes[source]
        above = below = None
        if node.kind != "const":
            if self.forward:
                # Computed vectors may drop their length: the inputs they are made of show it.
                above = self.shown("forward", source, self.graph.values[source], shape=self.shapes or node.kind != "op")
            if node.kind == "op" and node.named and target is not None and drawn_in_full:
                # A named intermediate value is labelled on its output edge: "t = 3".
                name = self.label(source)
                above = (name, "name") if above is None else (f"{name} = {above[0]}", above[1])
        if self.backward:
            if target is None:
                flow = np.ones_like(self.graph.values[source]) if source == self.graph.output else None
            else:
                flow = self.flows.get((target, port))
            if flow is not None:
                # A gradient has its value's shape: an elided one says it once, above the edge.
                below = self.shown("backward", source, flow, shape=above is None or above[1] != "forward")
        return above, below

    # ---- layout --------------------------------------------------------------------------

    def run(self) -> Layout:
        graph = self.graph
        read = {arg for node in graph.nodes.values() for arg in node.args}
        sinks = [n for n in graph.nodes if n not in read and n != graph.output]
        roots = [graph.output] + sinks
        # Instances in pre-order: a leaf read twice is drawn twice; a named operator once in full.
        instances: list[tuple[str, bool]] = []  # (node, drawn in full)
        children: list[list[int]] = []
        expanded: set[str] = set()
        root_ids = []
        stack: list[tuple[str, int | None]] = [(r, None) for r in reversed(roots)]
        while stack:
            name, parent = stack.pop()
            node = graph.nodes[name]
            full = node.kind == "op" and name not in expanded
            if full:
                expanded.add(name)
            instances.append((name, full))
            children.append([])
            index = len(instances) - 1
            if parent is None:
                root_ids.append(index)
            else:
                children[parent].append(index)
            if full:
                stack.extend((arg, index) for arg in reversed(node.args))
        blocks: dict[int, _Block] = {}
        for index in reversed(range(len(instances))):
            name, full = instances[index]
            blocks[index] = self.operator(index, name, children[index], blocks) if full else self.leaf(name)
            if self.max_cells is not None and blocks[index].width * blocks[index].height > self.max_cells:
                raise DrawingTooLarge(blocks[index].width * blocks[index].height, self.max_cells)
        return self.place(roots, root_ids, instances, blocks)

    def leaf(self, name: str) -> _Block:
        node = self.graph.nodes[name]
        if node.kind == "const":
            text, kind = node.source or format_value(self.graph.values[name], self.ascii), "const"
        else:
            text, kind = self.label(name), "leaf"
        return _Block(cell_len(text), 1, 0, 1, Placed(0, 0, text, kind))

    def segment(self, child: _Block, source: str, target: str | None, port: int):
        """The child's drawing with its outgoing line and the line's labels: (top pad, minimal end column, labels)."""
        # A named node drawn a second time shows its name already, in place of the symbol.
        above, below = self.edge_labels(source, target, port, drawn_in_full=child.glyph.kind == "op")
        label_width = max((cell_len(part[0]) for part in (above, below) if part is not None), default=0)
        line_start = child.width + child.gap
        # The labels start where the line starts; a side input's label keeps one cell clear of the line
        # turning up or down, the first input's ends before the arrow.
        end = line_start + max(label_width + (1 if port else 0), 2)
        pad = 1 if above is not None and child.out_row == 0 else 0
        extra = 1 if below is not None and child.out_row == child.height - 1 else 0
        return pad, extra, end, above, below

    def operator(self, index: int, name: str, kids: list[int], blocks: dict[int, _Block]) -> _Block:
        node = self.graph.nodes[name]
        symbol = op_symbol(node.op, self.ascii)
        sw, center = cell_len(symbol), cell_len(symbol) // 2
        parts = []
        for port, kid in enumerate(kids):
            child = blocks[kid]
            pad, extra, end, above, below = self.segment(child, node.args[port], name, port)
            parts.append((kid, child, pad, child.height + pad + extra, child.out_row + pad, end, above, below))
        # The symbol's column: the first input's arrow just left of it, the others' corners under/over its middle.
        x = max([parts[0][5] + 1] + [p[5] - center for p in parts[1:]])
        # Rows: the third input on top, the first beside the symbol, the second below.
        h2, out2 = (parts[2][3], parts[2][4]) if len(parts) > 2 else (0, None)
        first = parts[0]
        y0 = 0 if out2 is None else max(h2 + self.spacing, out2 + 2 - first[4])
        row = y0 + first[4]
        placed = [(first, y0)]
        bottom = y0 + first[3]
        if len(parts) > 1:
            second = parts[1]
            y1 = max(bottom + self.spacing, row + 2 - second[4])
            placed.append((second, y1))
            bottom = y1 + second[3]
        if len(parts) > 2:
            placed.append((parts[2], 0))
        block = _Block(x + sw, bottom, row, 0, Placed(row, x, symbol, "op"))
        for port, ((kid, child, pad, _, out, end, above, below), top) in enumerate(placed):
            # Each input's drawing sits as close to the operator as it can: short lines, as in the book.
            shift = (x - 1 if port == 0 else x + center) - end
            block.children.append((kid, top + pad, shift))
            out_row = top + out
            start = shift + child.width + child.gap
            if port == 0:
                cells = [(out_row, c, self.chars.line) for c in range(start, x - 1)]
                cells.append((row, x - 1, self.chars.arrow))
                if out_row != row:  # cannot happen: the first input is always level with the symbol
                    raise AssertionError("first input off its row")
            else:
                turn = x + center
                corner = self.chars.corner_up if port == 1 else self.chars.corner_down
                cells = [(out_row, c, self.chars.line) for c in range(start, turn)]
                cells.append((out_row, turn, corner))
                step = -1 if port == 1 else 1
                cells += [(r, turn, self.chars.vertical) for r in range(out_row + step, row - step, step)]
                cells.append((row - step, turn, self.chars.up if port == 1 else self.chars.down))
            labels = []
            if above is not None:
                labels.append(Placed(out_row - 1, start, above[0], above[1]))
            if below is not None:
                labels.append(Placed(out_row + 1, start, below[0], below[1]))
            block.edges.append((kid, port, Edge(node.args[port], name, port, child.glyph, cells, labels)))
        block.height = max(bottom, row + 1)
        return block

    def place(self, roots, root_ids, instances, blocks) -> Layout:
        layout = Layout()
        top = 0
        origin: dict[int, tuple[int, int]] = {}
        for name, index in zip(roots, root_ids):
            block = blocks[index]
            above, below = self.edge_labels(name, None, 0)
            pad = 1 if above is not None and block.out_row == 0 else 0
            origin[index] = (top + pad, 0)
            if self.graph.nodes[name].kind == "op":
                # The output's own arrow, with its value and its label: ──220──▶ 지불 금액
                row = top + pad + block.out_row
                start = block.width
                label_width = max((cell_len(part[0]) for part in (above, below) if part is not None), default=0)
                end = start + max(label_width - 1, 2)  # the value may end over the arrow: nothing follows it on its row
                cells = [(row, c, self.chars.line) for c in range(start, end)] + [(row, end, self.chars.arrow)]
                labels = [Placed(row - 1, start, above[0], above[1])] if above else []
                if below:
                    labels.append(Placed(row + 1, start, below[0], below[1]))
                layout.glyphs.append((name, Placed(row, end + 2, self.label(name), "leaf")))
                layout.edges.append(Edge(name, None, 0, block.glyph, cells, labels))
            height = max(block.height + pad, block.out_row + pad + (2 if below else 1))
            top += height + 1
        # Absolute places, parents before children (pre-order), so no recursion is needed.
        edge_target: dict[int, Placed] = {}
        for index in range(len(instances)):
            block = blocks[index]
            dr, dc = origin[index]
            glyph = _moved(block.glyph, dr, dc)
            layout.glyphs.append((instances[index][0], glyph))
            for kid, rel_row, rel_col in block.children:
                origin[kid] = (dr + rel_row, dc + rel_col)
            for kid, _, edge in block.edges:
                kr, kc = origin[kid]
                moved = Edge(edge.source, edge.target, edge.port, _moved(blocks[kid].glyph, kr, kc),
                             [(r + dr, c + dc, ch) for r, c, ch in edge.cells],
                             [_moved(p, dr, dc) for p in edge.labels])
                layout.edges.append(moved)
                edge_target[id(moved)] = glyph
        for edge in layout.edges:
            if edge.target is None:
                edge.source_glyph = next(g for n, g in layout.glyphs if n == edge.source and g.kind == "op")
        layout.target_glyph = edge_target
        return layout


def _moved(piece: Placed, dr: int, dc: int) -> Placed:
    return Placed(piece.row + dr, piece.col + dc, piece.text, piece.kind)
