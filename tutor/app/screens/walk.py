"""What the lesson screen animates: the backward pass node by node, and training step by step.

``walk_order`` and ``walk_lines`` are pure (no Textual) so tests and other screens can use them.
"""

from rich.text import Text

from tutor.render.numbers import format_value

from ..i18n import t


def walk_order(graph) -> list[str]:
    """The nodes in the order backpropagation visits them: output first, leaves last; constants
    receive no gradient and are skipped, and so is a node the output does not depend on (lesson 1
    draws the SGD iterations beside the output: walking to it crashed the app)."""
    reached = graph.backward().grads
    return [name for name in reversed(graph.nodes) if graph.nodes[name].kind != "const" and name in reached]


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

    def grad_of(n: str, value) -> str:
        # The edge into n carries n's whole gradient or a share of it: either would give the blank away.
        marker = (hidden or {}).get(("backward", n))
        return f"[{marker}]" if marker else format_value(value, ascii)

    times = "x" if ascii else "×"
    grads = graph.backward().grads
    spec = graph.nodes[node]
    out = Text()
    if node == graph.output:
        out.append_text(plain(t("walk.start", lang, node=name(node)) + "\n", style="bold"))
    if spec.is_leaf:
        out.append_text(plain(t("walk.leaf", lang, node=name(node), grad=grad_of(node, grads[node])),
                              style="bold"))
        return out
    upstream = grad_of(node, grads[node])
    for i, arg in enumerate(spec.args):
        flow = graph.edge_grad(node, i)
        if flow is None:  # a constant input: nothing flows back to it
            continue
        local = format_value(graph.local(node, arg), ascii)
        out.append_text(plain(t("walk.edge", lang, arg=name(arg)) + "\n"))
        out.append(f"    {upstream} {times} {local} = {grad_of(arg, flow)}\n", style="bold")
    out.rstrip()
    return out


class Trainer:
    """Gradient descent on a lesson's graph, one step at a time: GD uses the whole dataset, SGD
    one sample (in order, starting over after the last). The scalar inputs are the weights; the
    vector inputs are the dataset; the graph's output is the loss."""

    def __init__(self, graph, lr: float, shown=None):
        import numpy as np

        from tutor.render.numbers import format_number

        self.start = graph
        self.lr = lr
        self.shown = shown or format_number  # how a loss or weight is written (the blanks' digits)
        values = graph.leaf_values
        self.weights = [n for n, node in graph.nodes.items() if node.kind == "input" and np.ndim(values[n]) == 0]
        self.data = [n for n, node in graph.nodes.items() if node.kind == "input" and np.ndim(values[n]) >= 1]
        self.samples = min(len(values[n]) for n in self.data) if self.data else 0
        self.reset()

    @classmethod
    def fits(cls, lesson, graph) -> bool:
        """A graph to train: the lesson names a learning rate, the loss is a number, and the graph
        has weights (scalar inputs) and data (vector inputs)."""
        import numpy as np

        if "lr" not in lesson.params or np.ndim(graph.values[graph.output]) != 0:
            return False
        dims = [np.ndim(v) for n, v in graph.leaf_values.items() if graph.nodes[n].kind == "input"]
        return 0 in dims and any(d >= 1 for d in dims)

    def reset(self) -> None:
        self.graph = self.start
        self.next_sample = 0
        self.history: list[tuple[str, float, dict[str, float]]] = [("", self.loss(), self.weight_values())]

    def loss(self) -> float:
        return float(self.graph.value(self.graph.output))

    def weight_values(self) -> dict[str, float]:
        return {w: float(self.graph.value(w)) for w in self.weights}

    def step(self, stochastic: bool) -> None:
        """One update of every weight: w ← w − lr · ∂L/∂w (on one sample when ``stochastic``)."""
        source = self.graph
        if stochastic and self.samples:
            i = self.next_sample
            self.next_sample = (i + 1) % self.samples
            source = self.graph.with_values({n: self.graph.leaf_values[n][i:i + 1] for n in self.data})
        updated = {w: self.graph.value(w) - self.lr * float(source.grad(w)) for w in self.weights}
        self.graph = self.graph.with_values(updated)
        self.history.append(("SGD" if stochastic else "GD", self.loss(), self.weight_values()))


def training_text(trainer: Trainer, lang: str, ascii: bool = False, rows: int = 4, secret: bool = False) -> Text:
    """The loss and the weights per step: a sparkline each, then the last few steps in numbers.
    With ``secret`` every number after the start is ``[?]`` (the curves' shapes stay): those numbers
    are the answers of the step's blanks."""
    from tutor.render.numbers import format_number

    from ..widgets import sparkline

    out = Text()
    out.append(t("train.title", lang, graph=trainer.start.output, lr=format_number(trainer.lr)) + "\n", style="bold")
    losses = [loss for _, loss, _ in trainer.history]
    series = [("L", losses)] + [(w, [ws[w] for _, _, ws in trainer.history]) for w in trainer.weights]
    def number(value: float, step: int) -> str:
        return "[?]" if secret and step > 0 else trainer.shown(value)

    for name, values in series:
        out.append(f"{name:>6} ", style="bold")
        out.append(sparkline(values, ascii), style="cyan")
        out.append(f"  {trainer.shown(values[0])} → {number(values[-1], len(values) - 1)}\n")
    first = max(0, len(trainer.history) - rows)
    for n, (kind, loss, ws) in enumerate(trainer.history[first:], first):
        weights = ", ".join(f"{w} = {number(v, n)}" for w, v in ws.items())
        out.append(f"{n:>3} {kind:<4}" + t("train.row", lang, loss=number(loss, n), weights=weights) + "\n")
    out.append(t("train.keys", lang), style="dim")
    return out


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
