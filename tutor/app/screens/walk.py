"""What the lesson screen shows beside a graph: the backward pass node by node, and the dataset table.

``walk_order`` and ``walk_lines`` are pure (no Textual) so tests and other screens can use them.
"""

import numpy as np
from rich.text import Text

from tutor.engine.graph import sum_to_shape
from tutor.engine.ops import OPS, matrix_operand
from tutor.render.glyphs import ascii_text
from tutor.render.numbers import format_value

from ..i18n import t


def walk_order(graph, upstream: str | None = None) -> list[str]:
    """The nodes in the order backpropagation visits them: output first, leaves last; constants
    receive no gradient and are skipped, and so is a node the output does not depend on (lesson 1
    draws the SGD iterations beside the output: walking to it crashed the app). With an ``upstream``
    gradient (drawn as an arrow, not a node) the walk starts at the node it flows into."""
    reached = graph.backward().grads
    skipped = {upstream, graph.output} if upstream is not None else set()
    return [name for name in reversed(graph.nodes)
            if graph.nodes[name].kind != "const" and name in reached and name not in skipped]


def walk_lines(graph, node: str, lang: str, ascii: bool = False, labels: dict[str, str] | None = None,
               hidden: dict[tuple[str, str], str] | None = None) -> Text:
    """What happens at ``node``: where the walk starts, or ``upstream × local = downstream`` for
    each input the gradient flows to, or the total gradient collected at a leaf. ``labels`` names
    nodes as the drawing does; a gradient in ``hidden`` (an unsolved blank's answer, as the
    drawing's markers) is written as its marker, ``[b]``, not as a number."""
    from tutor.grading.hints import label

    from ..widgets import plain

    def name(n: str) -> str:  # as the grader names it: a label, a name, or the operation drawn (처음 w × x1)
        return label(graph, n, labels or {})

    def grad_of(n: str, value, share: bool = False, reader: str | None = None) -> str:
        # The edge into n carries n's whole gradient or a share of it: either would give the blank away,
        # but a share is not the blank's value ([?] + [?] = [a]), unless a blank asks for that edge itself.
        edge = (hidden or {}).get(("flow", reader, n)) if reader else None
        if edge is not None:
            return f"[{edge}]" if edge else _written(value, ascii)
        marker = (hidden or {}).get(("backward", n))
        return f"[{'?' if share else marker}]" if marker else _written(value, ascii)

    grads = graph.backward().grads
    spec = graph.nodes[node]
    out = Text()
    if node == graph.output:
        start = "walk.start" if name(node) == node else "walk.start-labelled"  # a label may say 'output' itself
        out.append_text(plain(t(start, lang, ascii, node=name(node)) + "\n", style="bold"))
    shares = [(reader, port) for reader, port in graph.consumers(node) if graph.edge_grad(reader, port) is not None]
    if len(shares) > 1:
        # A branching node: the gradients flowing back along its branches add up here, 2 + 4 = 6.
        terms = " + ".join(grad_of(node, graph.edge_grad(reader, port), share=True, reader=reader)
                           for reader, port in shares)
        out.append_text(plain(t("walk.sum", lang, ascii, node=name(node)) + "\n"))
        out.append(f"    {terms} = {grad_of(node, grads[node])}\n", style="bold")
    if spec.is_leaf:
        out.append_text(plain(t("walk.leaf", lang, ascii, node=name(node), grad=grad_of(node, grads[node])),
                              style="bold"))
        return out
    upstream = grad_of(node, grads[node])
    for i, arg in enumerate(spec.args):
        flow = graph.edge_grad(node, i)
        if flow is None:  # a constant input: nothing flows back to it
            continue
        local = graph.edge_local(node, i)
        marker = (hidden or {}).get(("local", node, arg))  # a blank asks for this local derivative
        local_shown = f"[{marker}]" if marker else _written(local, ascii)
        product = _product(grads[node], local)
        if matrix_operand(spec.op, i):  # no product of numbers: the book's rule, dX = dY · Wᵀ
            x, w = (name(a) for a in spec.args[:2])
            words, shown = "walk.edge_matrix", f"{upstream} · {w}ᵀ" if i == 0 else f"{x}ᵀ · {upstream}"
        elif product is not None and np.shape(product) == np.shape(flow) and np.allclose(product, flow):
            words, shown = "walk.edge", f"{upstream} × {local_shown}"
        elif product is not None and np.allclose(sum_to_shape(product, np.shape(flow)), flow):
            # w in w * X: one w for every x, its gradient the sum of theirs
            shown_one = local_shown if marker else _written(_one_if_even(local), ascii)
            words, shown = "walk.edge_summed", f"Σ({upstream} × {shown_one})"
        else:  # softmax, transpose: their own rule
            words, shown = "walk.edge_rule", upstream
        out.append_text(plain(t(words, lang, ascii, arg=name(arg), op=OPS[spec.op].symbol) + "\n"))
        line = f"    {shown} = {grad_of(arg, flow, share=len(graph.consumers(arg)) > 1, reader=node)}\n"
        out.append(plain(ascii_text(line) if ascii else line, style="bold"))
    out.rstrip()
    return out


def _written(value, ascii: bool) -> str:
    """A value in the walk's ``upstream × local = downstream``; a matrix, drawn as its shape, in brackets
    ([2×2]) so that it does not read as a product of numbers (1 × 2×2 = 2×2). Its numbers are not written:
    a blank may ask for one of its rows (lesson 14, grad(a)[0])."""
    shown = format_value(value, ascii)
    return f"[{shown}]" if np.ndim(value) >= 2 else shown


def _product(upstream, local):
    """upstream × local, number by number; None when their shapes do not fit (a matrix product's)."""
    try:
        return np.multiply(upstream, local)
    except ValueError:
        return None


def _one_if_even(local):
    """A local derivative the same at every number (an added b's 1) as that one number."""
    values = np.unique(local)
    return values[0] if values.size == 1 else local


def dataset_table(graph, hidden: dict, backward: list[str], labels: dict[str, str], ascii: bool = False):
    """The dataset as a table, one row per sample: every vector of the graph as long as the data
    (inputs and nodes, in order), then the gradients of ``backward`` nodes. A value a blank asks
    for shows the blank's marker (``[a]``) in each of its cells."""
    import numpy as np
    from rich import box
    from rich.table import Table

    from tutor.render.numbers import format_number

    from ..widgets import plain

    vectors = {n: v for n, v in graph.values.items() if graph.nodes[n].named and np.ndim(v) == 1}
    size = max((len(v) for n, v in vectors.items() if graph.nodes[n].is_leaf), default=0)
    columns = [("forward", n) for n, v in vectors.items() if len(v) == size]
    grads = graph.backward().grads
    columns += [("backward", n) for n in backward if n in grads and np.shape(grads[n]) == (size,)]
    table = Table(box=box.ASCII if ascii else box.SQUARE, show_edge=True, pad_edge=True)
    table.add_column("#", justify="right")
    for direction, node in columns:
        name = labels.get(node, node)
        table.add_column(plain(name if direction == "forward" else f"∂L/∂{name}"), justify="right")
    for i in range(size):
        cells = []
        for direction, node in columns:
            marker = hidden.get((direction, node))
            value = (graph.values if direction == "forward" else grads)[node][i]
            cells.append(plain(f"[{marker}]") if marker else plain(format_number(value)))
        table.add_row(str(i + 1), *cells)
    return table
