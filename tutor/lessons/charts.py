"""Charts of a lesson, computed by the engine: the loss as gradient descent (GD) or stochastic gradient
descent (SGD) updates the weights, and a node's value as one input varies.

An author asks for one with ``{{chart NAME}}`` in a step and its spec under ``charts:`` in the front
matter (docs/authoring.md); lesson 10's (y = 2x) training panel steps the same ``Trainer`` by hand. No drawing
here: the app plots the series (tutor/app/chart.py), so nothing outside the app imports a plotting library.
"""

from typing import Literal

import msgspec
import numpy as np

from tutor.engine import GraphError
from tutor.engine.dsl import did_you_mean

from .model import Text

# A chart is drawn in a terminal, at most ~150 points across (two braille dots a cell): more would
# only cost time. Each point of a training chart is one forward and backward pass of its graph, and a
# sweep's one forward pass; both are also counted in the lesson's work budget (loader.MAX_LESSON_WORK).
MAX_CHART_POINTS = 200  # per chart, all its series together
MAX_CHARTS = 16  # per lesson, as graphs
METHODS = {"gd": "GD", "sgd": "SGD"}


class TrainingChart(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """The loss after each weight update, one series per method, from the graph's own weights."""
    kind: Literal["training"] = "training"
    graph: str | None = None  # may be omitted when the lesson has one graph
    updates: int = 10  # weight updates per method
    methods: list[Literal["gd", "sgd"]] = msgspec.field(default_factory=lambda: ["gd", "sgd"])
    lr: float | None = None  # default: the lesson's params.lr
    title: Text = ""


class SweepChart(msgspec.Struct, forbid_unknown_fields=True, kw_only=True):
    """A node's value as one scalar input goes from ``from`` to ``to`` (the other inputs as they are)."""
    kind: Literal["sweep"] = "sweep"
    graph: str | None = None
    input: str
    node: str | None = None  # default: the graph's output
    start: float = msgspec.field(name="from")
    stop: float = msgspec.field(name="to")
    points: int = 41
    title: Text = ""


KINDS = {"training": TrainingChart, "sweep": SweepChart}
ChartSpec = TrainingChart | SweepChart


class Series(msgspec.Struct, frozen=True):  # structs, not dataclasses: cheaper to import (model.py)
    name: str  # "GD", "SGD", or the node's name
    xs: list[float]
    ys: list[float]


def points(spec: ChartSpec) -> int:
    """The points a chart plots (its budget's measure), known from the spec alone."""
    if isinstance(spec, TrainingChart):
        return (spec.updates + 1) * len(spec.methods)
    return spec.points


def spec_errors(spec: ChartSpec, graph) -> list[tuple[tuple, str]]:
    """What is wrong with a chart for its (sound) graph: (key inside the chart's spec, message) pairs."""
    if isinstance(spec, TrainingChart):
        errors = [(("updates",), "updates must be at least 1")] * (spec.updates < 1)
        errors += [(("methods",), "methods must name gd, sgd or both")] * (not spec.methods)
        errors += [(("methods",), "methods names gd or sgd once each")] * (len(set(spec.methods)) < len(spec.methods))
        if spec.lr is None:
            errors.append(((), "a training chart needs a learning rate: lr in the chart or in the lesson's params"))
        elif not np.isfinite(spec.lr) or spec.lr <= 0:
            errors.append((("lr",), "lr must be a positive number"))
        if why := Trainer.untrainable(graph):
            errors.append((("graph",), f"graph '{spec.graph}' cannot be trained: {why}"))
        return errors
    scalars = [n for n, node in graph.nodes.items() if node.kind == "input" and np.ndim(graph.leaf_values[n]) == 0]
    errors = []
    if spec.input not in scalars:
        errors.append((("input",), f"'{spec.input}' is not an input of graph '{spec.graph}' holding one number"
                                   f"{did_you_mean(spec.input, scalars)}"))
    node = spec.node or graph.output
    if node not in graph.nodes or not graph.nodes[node].named:
        names = [n for n, g in graph.nodes.items() if g.named]
        errors.append((("node",), f"'{node}' is not a node of graph '{spec.graph}'{did_you_mean(node, names)}"))
    elif np.ndim(graph.values[node]) != 0:
        errors.append((("node",), f"'{node}' holds {np.size(graph.values[node])} numbers; a sweep plots one"))
    if not (np.isfinite(spec.start) and np.isfinite(spec.stop)) or spec.start >= spec.stop:
        errors.append((("to",), "from and to must be finite numbers with from < to"))
    if spec.points < 2:
        errors.append((("points",), "points must be at least 2"))
    return errors


def series(spec: ChartSpec, graph) -> list[Series]:
    """The chart's series for ``graph`` (a lesson instance's: its variant). A GraphError names the node
    where a value is not finite (a sweep through log(0), a training run that diverges)."""
    if isinstance(spec, TrainingChart):
        out = []
        for method in spec.methods:
            trainer = Trainer(graph, spec.lr, stochastic=method == "sgd")
            for _ in range(spec.updates):
                trainer.step()
            out.append(Series(METHODS[method], list(range(spec.updates + 1)), trainer.losses))
        return out
    node = spec.node or graph.output
    xs = [float(x) for x in np.linspace(spec.start, spec.stop, spec.points)]
    ys = []
    for x in xs:
        try:
            ys.append(float(graph.with_values({spec.input: x}).value(node)))
        except GraphError as e:
            raise GraphError(f"at {spec.input} = {x:g}: {e}") from None
    return [Series(node, xs, ys)]


class Update(msgspec.Struct, frozen=True):
    loss: float  # on the whole dataset, after the update
    weights: dict[str, float]
    sample: int | None  # the sample an SGD update used (0-based); None for GD and for the start


class Trainer:
    """Training a lesson's graph one weight update at a time: GD on the whole dataset, or SGD on one
    sample (in order, starting over after the last). The scalar inputs are the weights, the vector
    inputs the dataset, the graph's output the loss: after every update it is measured on the whole
    dataset, so GD's and SGD's losses can be compared."""

    def __init__(self, graph, lr: float, stochastic: bool = False):
        self.start = graph
        self.lr = lr
        self.stochastic = stochastic
        values = graph.leaf_values
        inputs = [n for n, node in graph.nodes.items() if node.kind == "input"]
        self.weights = [n for n in inputs if np.ndim(values[n]) == 0]
        self.data = [n for n in inputs if np.ndim(values[n]) >= 1]
        self.samples = min(len(values[n]) for n in self.data) if self.data else 0
        self.reset()

    @staticmethod
    def untrainable(graph) -> str:
        """Why ``graph`` cannot be trained ("" when it can): it needs weights (inputs holding one number),
        data (inputs holding a list) and a loss holding one number."""
        if np.ndim(graph.values[graph.output]) != 0:
            return f"its output '{graph.output}' (the loss) must be one number"
        dims = [np.ndim(v) for n, v in graph.leaf_values.items() if graph.nodes[n].kind == "input"]
        if 0 not in dims:
            return "it has no weight (an input holding one number)"
        if not any(d >= 1 for d in dims):
            return "it has no data (an input holding a list, one entry per sample)"
        return ""

    def reset(self) -> None:
        self.graph = self.start
        self.next_sample = 0
        self.history: list[Update] = [self._now(None)]

    @property
    def losses(self) -> list[float]:
        return [update.loss for update in self.history]

    @property
    def updates(self) -> int:
        return len(self.history) - 1

    def _now(self, sample: int | None) -> Update:
        weights = {w: float(self.graph.value(w)) for w in self.weights}
        return Update(float(self.graph.value(self.graph.output)), weights, sample)

    def step(self) -> None:
        """One update of every weight: w ← w − lr · ∂L/∂w (with SGD, L of one sample)."""
        source, sample = self.graph, None
        if self.stochastic and self.samples:
            sample = self.next_sample
            self.next_sample = (sample + 1) % self.samples
            source = self.graph.with_values({n: self.graph.leaf_values[n][sample:sample + 1] for n in self.data})
        updated = {w: self.graph.value(w) - self.lr * float(source.grad(w)) for w in self.weights}
        self.graph = self.graph.with_values(updated)
        self.history.append(self._now(sample))

