"""A computational graph drawn as text, the way the book draws it: inputs on the left, the output on
the right, operator nodes small, forward values above each edge and backward values below it.

Every node is drawn once. A node read by several others (the book's branch node) has one outgoing
line that branches to each reader; its own gradient, the sum, stands under that line, and under each
branch stands the gradient that flowed back along it.

How it is laid out (a layered drawing, as Sugiyama's, with the book's ports):
- Columns are layers: each node sits one layer left of its nearest reader (so ``tax`` stands beside
  the last ×, not at the far left); nodes nobody reads sit where their inputs allow.
- Rows come from a tree: each node is placed by one reader, its host (the farthest one, so the line
  that continues straight is the long one), an operator's first input level with it, its second below
  (▲) and its third above (▼), each input's drawing a band of rows of its own. A reader that is not a
  node's host gets an empty band (a slot) where its branch arrives. So every host edge is one straight
  line (nothing else is in its rows), the tree's order has no crossings, and bands never overlap.
- Between two layers is a channel: the stems and their labels, then one vertical lane per branching
  node, standing right of every text on the rows it crosses (it may pass beside a longer label on a
  row it does not cross); branch labels stand under their branches where no lane is. A lane only ever
  crosses lines (drawn as the vertical passing over), never a node or a label. A leaf read once is set
  against its reader, its text reaching left over rows that are its own, as the book draws it.
- Too wide for the screen: long vectors are elided first; last, each reader of a leaf gets its own
  copy of the leaf (as the book's figures do), saving the lanes of lesson 12's two losses.

Why not a layout library: grandalf (pure-Python Sugiyama) was measured against this drawing. It gives
layers, an order and floating-point coordinates for boxes, but not the book's ports (second input from
below), the labels above and below each edge, or terminal cells; turning its output into a drawing
would be this module's work again. Its layout alone cost about what this whole drawing costs (on a busy
2-core machine: 54 against 49 ms for the bench's 50-node graph, 261 against 232 ms at 100, 232 against
532 ms at 200; 21 against 29 ms for every bundled graph), and the bands here need no crossing reduction
for host edges, which never cross. Everything is measured in terminal cells (Hangul is two).
Pure: no Textual, no terminal.
"""

from dataclasses import dataclass, field

import numpy as np
from rich.cells import cell_len
from rich.text import Text

from ..engine import OPS, Graph
from .glyphs import ascii_text, glyph
from .mathtext import safe_text
from .numbers import format_value

# × is * in ASCII: (x) beside a node named x read as that variable (lesson 13's -1 --> (x) and x ---)
ASCII_SYMBOLS = {"×": "*", "−": "-", "σ": "sig", "Σ": "sum", "ᵀ": "T", "²": "^2"}

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

# A line's cell by the directions it leaves in, as bits: Left 1, Right 2, Up 4, Down 8.
L, R, U, D = 1, 2, 4, 8
BOX = {L | R: "line", U | D: "vertical", L | U: "corner_up", L | D: "corner_down", R | U: "corner_in_up",
       R | D: "corner_in_down", U | D | R: "tee_right", L | R | D: "tee_down", L | R | U: "tee_up",
       L | R | U | D: "cross", L: "line", R: "line", U: "vertical", D: "vertical"}
CROSSING = -1  # two nodes' lines in one cell: the vertical one passes over
ARROWS = ("arrow", "up", "down")  # into an operator by port: from the left, from below, from above
CONNECTORS = {glyph(name, ascii) for ascii in (False, True)
              for name in ("vertical", "up", "down", "corner_up", "corner_down", "corner_in_up", "corner_in_down",
                           "tee_right", "tee_down", "tee_up", "cross")}


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
    source_glyph: Placed
    target_glyph: Placed | None
    points: list[tuple[int, int]]  # its line's corners, from the source's end (a branch: from its lane) to the arrow
    labels: list[Placed]  # this edge's own: above and below its line; a branch's gradient below the branch
    lines: "_Lines" = field(repr=False, default=None)

    @property
    def cells(self) -> list[tuple[int, int, str]]:
        """The path as drawn, cell by cell (for tests and tools; drawing uses whole runs)."""
        return [(r, c, self.lines.char(r, c)) for r, c in _cells(self.points)]


@dataclass
class Layout:
    glyphs: list[tuple[str, Placed]] = field(default_factory=list)  # (node, its drawing)
    edges: list[Edge] = field(default_factory=list)
    stems: dict[str, list[Placed]] = field(default_factory=dict)  # a branching node: its value and gradient sum
    trunks: dict[str, list[list[tuple[int, int]]]] = field(default_factory=dict)  # its stem and its lane
    lines: "_Lines" = field(repr=False, default=None)

    def cells(self) -> list[tuple[int, int, str]]:
        paths = [e.points for e in self.edges] + [p for t in self.trunks.values() for p in t]
        return [(r, c, self.lines.char(r, c)) for points in paths for r, c in _cells(points)]

    def pieces(self) -> list[Placed]:
        return ([p for _, p in self.glyphs] + [label for e in self.edges for label in e.labels]
                + [label for labels in self.stems.values() for label in labels])

    @property
    def width(self) -> int:
        ends = [p.col + p.width for p in self.pieces()] + [c1 + 1 for _, _, c1 in self.lines.horizontal] + [
            c + 1 for _, _, c in self.lines.vertical]
        return max(ends, default=0)

    @property
    def height(self) -> int:
        rows = [p.row for p in self.pieces()] + [r1 for _, r1, _ in self.lines.vertical] + [
            r for r, _, _ in self.lines.horizontal]
        return max(rows, default=-1) + 1


def render_graph(graph: Graph, *, values: str = "forward", hidden: dict[tuple[str, str], str] | None = None,
                 highlight: str | None = None, ascii: bool = False, width: int | None = 80,
                 labels: dict[str, str] | None = None, upstream: str | None = None) -> list[Text]:
    """The graph as styled lines. ``values``: "forward", "backward" or "both" (forward above each
    edge, backward below); ``hidden[(direction, node)] = "a"`` draws ``[a]`` in place of that value;
    ``highlight`` marks one node; ``labels`` maps nodes to their (localized) names; ``upstream`` names
    the input that stands for the gradient flowing into the graph from upstream (drawn as an arrow
    into the node it multiplies, from the right, not as an input)."""
    layout = layout_graph(graph, values=values, hidden=hidden, ascii=ascii, width=width, labels=labels,
                          upstream=upstream)
    return draw(layout, highlight)


class DrawingTooLarge(ValueError):
    """The drawing would cover more than ``max_cells`` cells; found while laying it out, before it is drawn."""

    def __init__(self, cells: int, max_cells: int):
        super().__init__(f"its drawing would cover more than {cells:,} cells")
        self.cells = cells
        self.max_cells = max_cells


def layout_graph(graph: Graph, *, values: str = "forward", hidden: dict[tuple[str, str], str] | None = None,
                 ascii: bool = False, width: int | None = 80, labels: dict[str, str] | None = None,
                 upstream: str | None = None, max_cells: int | None = None) -> Layout:
    """``max_cells``: stop with DrawingTooLarge as soon as the drawing's rows and columns are known to be
    more (a lesson's budget), before anything is drawn."""
    if values not in ("forward", "backward", "both"):
        raise ValueError(f"values must be forward, backward or both, not {values!r}")
    args = (graph, values, hidden or {}, ascii, labels or {}, upstream, max_cells)
    layout = _Layouter(*args, max_items=4).run()
    if width is not None and layout.width > width:
        # Too wide: long vectors give way first, down to their first item, then the computed ones without
        # their length; then a leaf read by several nodes is drawn beside each (as the book draws its
        # figures), which saves the lanes and branch labels of the many leaves of lesson 12's two losses;
        # last, the intermediates' names before their values (lesson 13's at 80 columns: the prose names them).
        for n, shapes, copies, names in ((3, True, False, True), (1, True, False, True), (1, False, False, True),
                                         (4, True, True, True), (1, False, True, True), (1, False, True, False)):
            layout = min(layout, _Layouter(*args, max_items=n, shapes=shapes, copies=copies, names=names).run(),
                         key=lambda candidate: candidate.width)
            if layout.width <= width:
                break
    return layout


def draw(layout: Layout, highlight: str | None = None) -> list[Text]:
    """The layout as one ``Text`` per line. Rows are kept sparse: a big graph is mostly blank."""
    rows: list[dict[int, tuple[str, str, int]]] = [{} for _ in range(layout.height)]  # column -> (text, style, cells)
    for r, c, text in layout.lines.runs():
        rows[r][c] = (text, "", len(text))  # line characters are one cell each
    labels = [(label, lit if label.kind != "name" else "") for edge in layout.edges
              for lit in [" bold underline" if highlight is not None and edge.target == highlight else ""]
              for label in edge.labels]
    labels += [(label, "") for stem in layout.stems.values() for label in stem]
    for label, lit in labels:
        rows[label.row][label.col] = (label.text, STYLES[label.kind] + lit, label.width)
    for node, piece in layout.glyphs:
        style = STYLES["highlight"] if node == highlight else STYLES[piece.kind]
        rows[piece.row][piece.col] = (piece.text, style, piece.width)
    lines = []
    for pieces in rows:
        tokens, cursor = [], 0
        for col in sorted(pieces):  # pieces never share a cell
            piece, style, cells = pieces[col]
            if col > cursor:
                tokens.append((" " * (col - cursor), None))
            tokens.append((piece, style))
            cursor = col + cells
        # Text strips control codes from what it is given; over a whole line of box-drawing characters and
        # spaces that cost more than drawing it (str.translate is slow past ASCII), over the pieces little
        lines.append(Text(no_wrap=True, overflow="ignore").append_tokens(tokens))
    return lines


def op_symbol(op: str, ascii: bool) -> str:
    symbol = OPS[op].symbol
    if ascii:
        symbol = ASCII_SYMBOLS.get(symbol, symbol if symbol.isascii() else op)
    return f"({symbol})" if len(symbol) == 1 else f"[{symbol}]"


@dataclass
class _Band:
    """The rows a node's drawing takes (with its host-tree inputs), relative to the band's top."""

    height: int
    out_row: int
    children: list[tuple[object, int]] = field(default_factory=list)  # (child key, its band's top)


class _Layouter:
    def __init__(self, graph: Graph, values: str, hidden: dict, ascii: bool, labels: dict, upstream: str | None,
                 max_cells: int | None, max_items: int, shapes: bool = True, copies: bool = False,
                 names: bool = True):
        self.graph = graph
        self.max_cells = max_cells
        self.forward = values in ("forward", "both")
        self.backward = values in ("backward", "both")
        self.hidden = hidden
        self.ascii = ascii
        self.labels = labels
        self.max_items = max_items
        self.shapes = shapes  # an elided computed vector followed by its length: [3, …] (100,)
        self.names = names  # a named intermediate's name before its value: "u = 20" (else "20")
        self.flows = graph.backward().edges if self.backward else {}
        self.spacing = 1 if values == "both" else 0  # a blank line between stacked inputs keeps four labels apart
        self.nodes = dict(graph.nodes)
        self.output = graph.output
        self.upstream = None
        if upstream is not None and upstream in graph.nodes:
            out = graph.nodes[graph.output]
            read = {a for name, node in graph.nodes.items() if name != graph.output for a in node.args}
            if out.op == "mul" and upstream in out.args and len(set(out.args)) == 2 and not read & {upstream, graph.output}:
                self.upstream = upstream  # d(output)/d(the other operand) is the upstream gradient itself
                self.output = next(a for a in out.args if a != upstream)
                del self.nodes[graph.output], self.nodes[upstream]
        self.original: dict[str, str] = {}  # a leaf's copy -> the leaf (copies=True)
        if copies:
            self.copy_shared_leaves()

    def copy_shared_leaves(self) -> None:
        """Each reader of a leaf after the first reads a copy of it of its own, placed just before it."""
        seen: set[str] = set()
        nodes: dict = {}
        for name, node in self.nodes.items():
            args = list(node.args)
            for port, arg in enumerate(args):
                if self.nodes[arg].kind == "op":
                    continue
                if arg in seen:
                    copy = f"{arg}\x00{len(self.original)}"
                    self.original[copy] = arg
                    nodes[copy] = self.nodes[arg]
                    args[port] = copy
                seen.add(arg)
            nodes[name] = node._replace(args=tuple(args)) if args != list(node.args) else node
        self.nodes = nodes

    def value(self, name: str):
        return self.graph.values[self.original.get(name, name)]

    # ---- what is written -------------------------------------------------------------------

    def label(self, node: str) -> str:
        node = self.original.get(node, node)
        text = self.labels.get(node, node)
        return " ".join(safe_text(str(text)).split()) or node

    def shown(self, direction: str, node: str, value, shape: bool = True, share: bool = False) -> tuple[str, str]:
        """``share``: the value is what one branch of a branching node carries, a part of its gradient; hidden
        with the gradient (the shares add up to it) but marked ``[?]``, since it is not the blank's value."""
        marker = self.hidden.get((direction, self.original.get(node, node)))
        if marker is not None:
            return f"[{'?' if share else safe_text(str(marker))}]", "blank"
        return format_value(value, ascii=self.ascii, max_items=self.max_items, shape=shape), direction

    def above(self, source: str, named: bool = True) -> tuple[str, str] | None:
        """What goes above the line leaving ``source``: its value, "name = value" for a named intermediate."""
        node = self.nodes[source]
        if node.kind == "const" or not self.forward and not (named and node.kind == "op" and node.named):
            return None
        text = None
        if self.forward:
            # Computed vectors may drop their length: the inputs they are made of show it.
            text = self.shown("forward", source, self.value(source), shape=self.shapes or node.kind != "op")
        if named and node.kind == "op" and node.named and (self.names or text is None):
            name = self.label(source)
            text = (name, "name") if text is None else (f"{name} = {text[0]}", text[1])
        return text

    def below(self, source: str, flow, above, share: bool = False, reader: str | None = None) -> tuple[str, str] | None:
        """A gradient under a line; it has its value's shape: an elided one says it once, above the line.
        ``reader``: the node the line goes into, whose edge a blank may ask for on its own
        (``hidden[("flow", reader, source)]``: its letter, or "" once it is done: the number)."""
        if not self.backward or flow is None:
            return None
        shape = above is None or above[1] != "forward"
        edge = self.hidden.get(("flow", reader, self.original.get(source, source))) if reader else None
        if edge:
            return f"[{safe_text(str(edge))}]", "blank"
        if edge == "":
            return format_value(flow, ascii=self.ascii, max_items=self.max_items, shape=shape), "backward"
        return self.shown("backward", source, flow, shape=shape, share=share)

    # ---- layout --------------------------------------------------------------------------

    def run(self) -> Layout:
        nodes, order = self.nodes, {name: i for i, name in enumerate(self.nodes)}
        readers: dict[str, list[tuple[str, int]]] = {name: [] for name in nodes}
        for name, node in nodes.items():
            for port, arg in enumerate(node.args):
                readers[arg].append((name, port))
        # Layers: as far left as the inputs allow, then each read node moved right to just before its
        # first reader.
        earliest: dict[str, int] = {}
        for name, node in nodes.items():
            earliest[name] = 1 + max((earliest[a] for a in node.args), default=-1)
        layer: dict[str, int] = {}
        for name in reversed(nodes):
            layer[name] = min((layer[r] for r, _ in readers[name]), default=earliest[name] + 1) - 1
        # The host of a node is its reader in the nearest layer; its other readers get slots.
        host = {name: min(rs, key=lambda rp: (-layer[rp[0]], order[rp[0]], rp[1])) for name, rs in readers.items() if rs}
        roots = [self.output] + [n for n in nodes if not readers[n] and n != self.output]
        self.readers, self.layer, self.host = readers, layer, host
        bands = self.bands(roots)
        rows, slots = self.rows(roots, bands)
        self.height = max([*rows.values(), *slots.values()], default=0) + 2
        return self.place(roots, rows, slots)

    def child_keys(self, name: str) -> list:
        """A node's inputs in the host tree: the node itself where this reader hosts it, else a slot."""
        return [arg if self.host.get(arg) == (name, port) else ("slot", name, port)
                for port, arg in enumerate(self.nodes[name].args)]

    def stem_labels(self, name: str) -> tuple:
        """(above, below) of the line leaving ``name``: a branching node's gradient sum, else the one edge's."""
        readers = self.readers[name]
        above = self.above(name, named=bool(readers))
        if len(readers) == 1:
            return above, self.below(name, self.flows.get(readers[0]), above, reader=readers[0][0])
        flow = self.graph.backward().grads.get(name) if self.backward and readers else None
        return above, self.below(name, flow, above)

    def bands(self, roots: list[str]) -> dict:
        """Every node's and slot's band, inputs before readers (a loop, no recursion)."""
        bands: dict = {}
        stack = [(root, False) for root in reversed(roots)]
        while stack:
            key, ready = stack.pop()
            if isinstance(key, tuple) or self.nodes[key].kind != "op":
                bands[key] = _Band(1, 0)
                continue
            if not ready:
                stack.append((key, True))
                stack.extend((child, False) for child in self.child_keys(key))
                continue
            parts = []
            for port, child in enumerate(self.child_keys(key)):
                band = bands[child]
                if isinstance(child, tuple):
                    above, below = None, self.below(self.nodes[key].args[port], self.flows.get((key, port)), None,
                                                    share=True, reader=key)  # a slot: a branch to a reader other than the host
                else:
                    above, below = self.stem_labels(child)
                pad = 1 if above is not None and band.out_row == 0 else 0
                extra = 1 if below is not None and band.out_row == band.height - 1 else 0
                parts.append((child, pad, band.height + pad + extra, band.out_row + pad))
            # Rows: the third input on top, the first level with the symbol, the second below.
            h2, out2 = (parts[2][2], parts[2][3]) if len(parts) > 2 else (0, None)
            first = parts[0]
            y0 = 0 if out2 is None else max(h2 + self.spacing, out2 + 2 - first[3])
            row = y0 + first[3]
            placed = [(first, y0)]
            bottom = y0 + first[2]
            if len(parts) > 1:
                second = parts[1]
                y1 = max(bottom + self.spacing, row + 2 - second[3])
                placed.append((second, y1))
                bottom = y1 + second[2]
            if len(parts) > 2:
                placed.append((parts[2], 0))
            bands[key] = _Band(max(bottom, row + 1), row, [(child, top + pad) for (child, pad, _, _), top in placed])
        return bands

    def rows(self, roots: list[str], bands: dict) -> tuple[dict[str, int], dict[tuple, int]]:
        """Absolute rows: each node's line and each slot's, roots stacked one under another."""
        tops: dict = {}
        top = 0
        for root in roots:
            band = bands[root]
            above, below = self.output_labels(root)
            pad = 1 if above is not None and band.out_row == 0 else 0
            tops[root] = top + pad
            top += max(band.height + pad, band.out_row + pad + (2 if below else 1)) + 1
        rows, slots = {}, {}
        stack = list(reversed(roots))
        while stack:  # parents before children
            key = stack.pop()
            band = bands[key]
            (slots if isinstance(key, tuple) else rows)[key] = tops[key] + band.out_row
            for child, child_top in band.children:
                tops[child] = tops[key] + child_top
                stack.append(child)
        return rows, slots

    def output_labels(self, root: str) -> tuple:
        if self.nodes[root].kind != "op":
            return None, None
        above = self.above(root, named=False)
        if not self.backward:
            return above, None
        if root == self.output and self.upstream is not None:
            # The book's upstream gradient: flowing in from the right, into the node it multiplies.
            grad = self.graph.backward().grads[root]
            value = self.shown("backward", root, grad, shape=False)
            arrow = glyph("arrow_back", self.ascii) + glyph("line", self.ascii)
            outer = self.label(self.graph.output)
            label = f"{arrow} ∂{outer}/∂{self.label(root)} = {value[0]}"
            return above, (ascii_text(label) if self.ascii else label, value[1])
        if root == self.output:
            return above, self.below(root, np.ones_like(self.graph.values[root]), above)
        return above, None

    def glyph_of(self, name: str) -> Placed:
        node = self.nodes[name]
        if node.kind == "op":
            return Placed(0, 0, op_symbol(node.op, self.ascii), "op")
        if node.kind == "const":
            return Placed(0, 0, node.source or format_value(self.value(name), self.ascii), "const")
        return Placed(0, 0, self.label(name), "leaf")

    def place(self, roots: list[str], rows: dict[str, int], slots: dict[tuple, int]) -> Layout:
        nodes, layer, readers = self.nodes, self.layer, self.readers
        glyphs = {name: self.glyph_of(name) for name in nodes}
        gap = {name: 0 if nodes[name].kind == "op" else 1 for name in nodes}
        stems = {name: self.stem_labels(name) if readers[name] else self.output_labels(name) for name in nodes}
        branching = [name for name in nodes if len(readers[name]) > 1]
        branch_labels = {(r, p): self.below(name, self.flows.get((r, p)), stems[name][0], share=True, reader=r)
                         for name in branching for r, p in readers[name]}

        def reach(name: str) -> int:
            """How far right of its layer's start a node's text goes: its glyph, its line's labels and, for a
            node nobody reads, its own arrow and name (a lane must pass none of them)."""
            width = cell_len(glyphs[name].text) + gap[name]
            if readers[name]:
                return width + max(_width(*stems[name]), 2)
            if nodes[name].kind == "op":
                return width + max(max(_width(stems[name][1]) - 1, 1) + 2 + cell_len(self.label(name)),
                                   _width(stems[name][0]))
            return width

        count = max(layer.values(), default=0) + 1
        members = [[n for n in nodes if layer[n] == k] for k in range(count)]
        spans = {name: (min(rs), max(rs)) for name in branching
                 for rs in [[rows[name]] + [self.arrival(name, r, p, rows, slots) for r, p in readers[name]]]}
        # A leaf read once is set against its reader, as the book does, its text reaching left over free rows
        # (its band's rows are its own); it keeps its layer's column only where a lane would cross its text.
        loose = {n for n in nodes if nodes[n].kind != "op" and len(readers[n]) == 1}

        reaches = {name: reach(name) for name in nodes}

        def blocked(name: str, top: int, bottom: int) -> int:
            """How far right of its layer's start a lane spanning rows top..bottom must stay clear of a node:
            its glyph on its own row (its line may be crossed), its labels on theirs."""
            if name in loose:
                return 0
            row, above, below = rows[name], *stems[name]
            text = cell_len(glyphs[name].text) + gap[name]
            widths = [text + (reaches[name] - text if not readers[name] else 1)] if top <= row <= bottom else []
            widths += [text + _width(above)] if above and top <= row - 1 <= bottom else []
            widths += [text + _width(below)] if below and top <= row + 1 <= bottom else []
            return max(widths, default=0)

        def lanes_of(k: int) -> tuple[list, int]:
            """The lanes of layer k's channel, each with how far right of the layer's start it must stand
            (the node's own labels always: its gradient sum stands whole under its stem, before it
            branches), and the cells kept after them: a lane may stand just before the next layer, unless
            it crosses the row of an arrow into it."""
            here = sorted(((max([reaches[name] - 1] + [blocked(n, *spans[name]) for n in members[k]]), name)
                           for name in branching if layer[name] == k))
            arrows = {rows[n] for n in (members[k + 1] if k + 1 < count else ())}
            clear = 2 if any(spans[name][0] <= row <= spans[name][1] for _, name in here for row in arrows) else 1
            return here, clear

        # Each branch's label: its reader, port, node, width, how far past the reader's column it must end
        # (before the arrow, or before a line turning down; None: a line turning up, under which it may run
        # on), and for the branch that continues its node's row, how far its node's own gradient sum reaches.
        branches = [(reader, port, name, _width(label),
                     -2 if port == 0 else None if port == 1 else cell_len(glyphs[reader].text) // 2 - 1,
                     cell_len(glyphs[name].text) + gap[name] + _width(stems[name][1])
                     if self.host[name] == (reader, port) else None)
                    for (reader, port), label in branch_labels.items()
                    for name in [nodes[reader].args[port]]]
        room = [0] * count  # widened where a branch's label found no room along its line
        planned = None
        for _ in range(4 * count + len(nodes) + 8):  # each round widens one channel; a few rounds settle it
            # Columns, layer by layer: [glyphs][stem labels, the lanes beside them][room]▶. A lane stands right
            # of the texts on the rows it crosses, so it may pass beside a longer label on another row.
            if planned is None:
                zones = [max((reaches[n] for n in members[k] if n not in loose), default=0) for k in range(count)]
                planned = [lanes_of(k) for k in range(count)]
            starts, lanes = [0] * (count + 1), {}
            for k in range(count):
                last = starts[k] - 1
                here, clear = planned[k]
                for least, name in here:
                    last = lanes[name] = max(starts[k] + least + 1, last + 1)
                used = max(zones[k], last - starts[k] + clear)
                starts[k + 1] = starts[k] + used + room[k] + 1
                if self.max_cells is not None and starts[k + 1] * self.height > self.max_cells:
                    raise DrawingTooLarge(starts[k + 1] * self.height, self.max_cells)
            placed, short = self.branch_places(branches, lanes, starts)
            if short:  # room before a reader: its channel gets wider (the leftmost first, as below)
                reader = min(short, key=lambda r: layer[r])
                room[layer[reader] - 1] += short[reader]
            cols = {n: self.loose_col(n, starts, rows, glyphs, stems, gap, lanes, spans) for n in loose}
            stuck = {n for n, col in cols.items() if col is None}
            if stuck:  # those leaves keep their layer's column: its zone and its lanes change
                loose -= stuck
                planned = None
            deficits: dict[int, int] = {}  # channel -> columns
            for n in loose:
                if cols[n] < 0:  # left of the drawing: its reader moves right
                    channel = layer[readers[n][0][0]] - 1
                    deficits[channel] = max(deficits.get(channel, 0), -cols[n])
            if deficits:  # the leftmost first: moving it moves everything right of it too
                channel = min(deficits)
                room[channel] += deficits[channel]
            if not short and not stuck and all(cols[n] >= 0 for n in loose):
                break
        for name, piece in glyphs.items():
            piece.row, piece.col = rows[name], cols[name] if name in loose else starts[layer[name]]
        layout = Layout(glyphs=[(self.original.get(name, name), glyphs[name]) for name in nodes])
        lines = _Lines(self.ascii)
        paths: list[tuple[Edge, list[tuple[int, int]], str, str]] = []  # (edge, its corners, its arrow, its line's owner)
        trunks: list[tuple[str, list, list]] = []  # a branching node's stem and lane
        for name in nodes:
            piece = glyphs[name]
            start = (piece.row, piece.col + piece.width + gap[name])
            above, below = stems[name]
            stem = [Placed(start[0] - 1, start[1], above[0], above[1])] if above else []
            if below:
                stem.append(Placed(start[0] + 1, start[1], below[0], below[1]))
            if not readers[name]:
                if nodes[name].kind == "op":  # the output's own arrow, with its value: ──220──▶ 지불 금액
                    end = start[1] + max(_width(below) - 1, 1)  # the value may stand over the arrow and the name
                    edge = Edge(name, None, 0, piece, None, [], stem)
                    paths.append((edge, [start, (start[0], end)], "arrow", name))
                    layout.glyphs.append((name, Placed(start[0], end + 2, self.label(name), "leaf")))
                continue
            for reader, port in readers[name]:
                target = glyphs[reader]
                arrive = rows[name] if self.host[name] == (reader, port) else slots[("slot", reader, port)]
                middle = target.col + target.width // 2
                corner = [(arrive, target.col - 1)] if port == 0 else [
                    (arrive, middle), (target.row + (1 if port == 1 else -1), middle)]
                if name in lanes:  # the branch alone: the stem and the lane are drawn once, below
                    trunk = [(arrive, lanes[name])]
                    label = branch_labels[(reader, port)]
                    labels = [Placed(arrive + 1, placed[(reader, port)], label[0], label[1])] if label else []
                else:
                    trunk, labels = [start], stem
                edge = Edge(self.original.get(name, name), reader, port, piece, target, [], labels)
                paths.append((edge, _dedupe(trunk + corner), ARROWS[port], name))
            if name in lanes:
                layout.stems[name] = stem
                spans = [start[0]] + [self.arrival(name, r, p, rows, slots) for r, p in readers[name]]
                trunks.append((name, [start, (start[0], lanes[name])], [(min(spans), lanes[name]), (max(spans), lanes[name])]))
        for name, stem_points, lane_points in trunks:
            lines.add(name, stem_points)
            lines.add(name, lane_points)
            layout.trunks[name] = [stem_points, lane_points]
        for edge, points, arrow, owner in paths:
            lines.add(owner, points, glyph(arrow, self.ascii))
            edge.points, edge.lines = points, lines
            layout.edges.append(edge)
        lines.finish()
        layout.lines = lines
        return layout

    def arrival(self, name: str, reader: str, port: int, rows: dict, slots: dict) -> int:
        """The row a branch of ``name`` runs on into ``reader``: the node's own where it is hosted, else the slot's."""
        return rows[name] if self.host[name] == (reader, port) else slots[("slot", reader, port)]

    def loose_col(self, name: str, starts: list, rows: dict, glyphs: dict, stems: dict, gap: dict, lanes: dict,
                  spans: dict) -> int | None:
        """The column of a leaf read once, set against its reader (left of the drawing where the reader is too
        near its left edge); None where a lane would cross its text there."""
        (reader, port), = self.readers[name]
        target = starts[self.layer[reader]]
        above, below = stems[name]
        width, text = _width(above, below), cell_len(glyphs[name].text)
        if port == 0:
            line = target - 1 - max(width, 2)
        else:  # a side input's label keeps one cell clear of the line turning up or down
            line = target + cell_len(glyphs[self.readers[name][0][0]].text) // 2 - max(width + 1, 2)
        col = line - gap[name] - text
        row = rows[name]
        texts = [(row, col, col + text)] + [(row + d, line, line + _width(part)) for d, part in ((-1, above), (1, below))
                                            if part]
        for lane_name, lane in lanes.items():
            top, bottom = spans[lane_name]
            if any(top <= r <= bottom and a <= lane < b for r, a, b in texts):
                return None
        return col

    def branch_places(self, branches: list, lanes: dict, starts: list) -> tuple[dict, dict]:
        """Where each branch's gradient stands under its line: the first stretch after its lane that no lane
        crosses (a cell clear of each), after the node's own gradient sum on the branch that continues its
        row, and that ends before the reader's arrow or turn; and how many columns each reader lacks for them.
        ``branches``: (reader, port, node, label width, end past the reader's column or None, own text's
        reach past the node's column or None), what does not change from round to round."""
        from bisect import bisect_left

        columns = sorted(lanes.values())
        places, short = {}, {}
        for reader, port, name, width, past, own in branches:
            col = lanes[name] + 2
            if own is not None:  # under the node's own row: after its gradient sum
                col = max(col, starts[self.layer[name]] + own + 2)
            i = bisect_left(columns, col - 1)
            while i < len(columns) and columns[i] <= col + width:
                col = columns[i] + 2  # the label would touch or cross this lane: start after it
                i += 1
            places[(reader, port)] = col
            if past is not None and width and col + width > starts[self.layer[reader]] + past:
                short[reader] = max(short.get(reader, 0), col + width - starts[self.layer[reader]] - past)
        return places, short


def _width(*parts) -> int:
    return max((cell_len(part[0]) for part in parts if part is not None), default=0)


def _dedupe(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = [points[0]]
    for point in points[1:]:
        if point != out[-1]:
            out.append(point)
    return out


def _cells(points: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Every cell of a path of horizontal and vertical segments, in order."""
    cells = [points[0]]
    for (r0, c0), (r1, c1) in zip(points, points[1:]):
        dr, dc = (r1 > r0) - (r1 < r0), (c1 > c0) - (c1 < c0)
        r, c = r0, c0
        while (r, c) != (r1, c1):
            r, c = r + dr, c + dc
            cells.append((r, c))
    return cells


class _Lines:
    """Every line of a drawing as horizontal and vertical runs. Only the cells where runs meet (corners,
    branchings, crossings, arrows) are looked at one by one; a run's inside is written whole."""

    def __init__(self, ascii: bool):
        self.ascii = ascii
        self.horizontal: list[tuple[int, int, int]] = []  # (row, first column, last column)
        self.vertical: list[tuple[int, int, int]] = []  # (first row, last row, column)
        self.owners: list[str] = []  # the node each run of a kind belongs to, by index: see _add
        self.h_owner: list[str] = []
        self.v_owner: list[str] = []
        self.ends: dict[tuple[int, int], tuple[str, int]] = {}  # cell -> (node, directions)
        self.arrows: dict[tuple[int, int], str] = {}
        self.special: dict[tuple[int, int], str] = {}
        self._upright: set | None = None  # every cell of a vertical run, once asked for

    def add(self, source: str, points: list[tuple[int, int]], arrow: str | None = None) -> None:
        for (r0, c0), (r1, c1) in zip(points, points[1:]):
            if r0 == r1:
                self.horizontal.append((r0, min(c0, c1), max(c0, c1)))
                self.h_owner.append(source)
                self._end(source, (r0, c0), R if c1 > c0 else L)
                self._end(source, (r1, c1), L if c1 > c0 else R)
            else:
                self.vertical.append((min(r0, r1), max(r0, r1), c0))
                self.v_owner.append(source)
                self._end(source, (r0, c0), D if r1 > r0 else U)
                self._end(source, (r1, c1), U if r1 > r0 else D)
        if len(points) == 1:
            self._end(source, points[0], 0)
        if arrow is not None:
            self.arrows[points[-1]] = arrow

    def _end(self, source: str, cell: tuple[int, int], direction: int) -> None:
        mark = self.ends.get(cell)
        if mark is None or mark[0] == source:
            self.ends[cell] = (source, (mark[1] if mark else 0) | direction)
        else:
            self.ends[cell] = (source, CROSSING)

    def finish(self) -> None:
        """Work out every cell where runs meet: a run passing through another's end, or two crossing."""
        by_row: dict[int, list[int]] = {}
        for i, (r, _, _) in enumerate(self.horizontal):
            by_row.setdefault(r, []).append(i)
        passing: dict[tuple[int, int], int] = {}  # directions of runs that pass through a cell, not ending there
        crossings = set()
        for j, (r0, r1, c) in enumerate(self.vertical):
            owner = self.v_owner[j]
            for r in range(r0, r1 + 1):
                for i in by_row.get(r, ()):
                    _, c0, c1 = self.horizontal[i]
                    if c0 <= c <= c1:
                        cell = (r, c)
                        end = self.ends.get(cell)
                        if owner != self.h_owner[i] or (end is not None and end[0] != owner):
                            crossings.add(cell)  # two nodes' lines: the vertical one passes over
                        else:
                            passing[cell] = passing.get(cell, 0) | (U | D if r0 < r < r1 else 0) | (
                                L | R if c0 < c < c1 else 0)
        for cell in set(passing) | set(self.ends):
            end = self.ends.get(cell)
            if cell in crossings or (end is not None and end[1] == CROSSING):
                self.special[cell] = glyph("vertical", self.ascii)
            else:
                self.special[cell] = self._glyph(passing.get(cell, 0) | (end[1] if end else 0))
        for cell in crossings:
            self.special[cell] = glyph("vertical", self.ascii)
        self.special.update(self.arrows)

    def _glyph(self, directions: int) -> str:
        return glyph(BOX.get(directions, "cross"), self.ascii)

    def char(self, r: int, c: int) -> str:
        special = self.special.get((r, c))
        if special is not None:
            return special
        if self._upright is None:
            self._upright = {(r, c) for r0, r1, c in self.vertical for r in range(r0, r1 + 1)}
        return glyph("vertical" if (r, c) in self._upright else "line", self.ascii)

    def runs(self):
        """(row, column, text) pieces that never share a cell: runs split at their special cells."""
        line, vertical = glyph("line", self.ascii), glyph("vertical", self.ascii)
        special = self.special
        for r, c0, c1 in self.horizontal:
            start = c0
            for c in range(c0, c1 + 1):
                if (r, c) in special:
                    if c > start:
                        yield r, start, line * (c - start)
                    start = c + 1
            if c1 + 1 > start:
                yield r, start, line * (c1 + 1 - start)
        for r0, r1, c in self.vertical:
            for r in range(r0, r1 + 1):
                if (r, c) not in special:
                    yield r, c, vertical
        for (r, c), text in special.items():
            yield r, c, text


def _mark(grid: dict, source: str, r0: int, c0: int, r1: int, c1: int) -> None:
    """Mark one segment's cells with the directions the line leaves each in."""
    if r0 == r1:
        step, ahead, back = (1, R, L) if c1 > c0 else (-1, L, R)
        cells = [(r0, c) for c in range(c0, c1 + step, step)]
    else:
        step, ahead, back = (1, D, U) if r1 > r0 else (-1, U, D)
        cells = [(r, c0) for r in range(r0, r1 + step, step)]
    last = len(cells) - 1
    for i, cell in enumerate(cells):
        directions = (ahead if i < last else 0) | (back if i else 0)
        mark = grid.get(cell)
        if mark is None:
            grid[cell] = (source, directions)
        elif mark[0] == source and mark[1] != CROSSING:
            grid[cell] = (source, mark[1] | directions)
        else:
            grid[cell] = (source, CROSSING)
