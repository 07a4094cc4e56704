"""One variant of a lesson: its chosen input values, its graphs, its answers."""

import math
from collections.abc import Sequence

import numpy as np

from tutor.engine import GraphError

from .answers import AnswerError, evaluate, parse_answer
from .carried import carried_inputs


def pick_variant(variants: dict, seed: int) -> dict:
    """The same seed always picks the same values (numpy's PCG64, in the file's order of variants)."""
    rng = np.random.default_rng(seed)
    chosen = {}
    for name, spec in variants.items():
        if isinstance(spec, list):
            chosen[name] = spec[int(rng.integers(len(spec)))]
        elif spec.int_range is not None:
            low, high = spec.int_range
            chosen[name] = int(rng.integers(low, high + 1))
        else:
            low, high = spec.float_range
            steps = int(round((high - low) / spec.step))
            chosen[name] = round(low + spec.step * int(rng.integers(steps + 1)), 12)
    return chosen


def variant_values(spec) -> Sequence:
    """Every value a variant can take, in order, as a sequence computed when indexed (a float range may
    have a million steps)."""
    if isinstance(spec, list):
        return spec
    if spec.int_range is not None:
        return range(spec.int_range[0], spec.int_range[1] + 1)
    low, high = spec.float_range
    return _Steps(low, spec.step, int(round((high - low) / spec.step)) + 1)


class _Steps(Sequence):
    """``count`` numbers from ``low`` by ``step``, each rounded as a lesson's numbers are."""

    def __init__(self, low: float, step: float, count: int):
        self.low, self.step, self.count = low, step, count

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self.count))]
        if not -self.count <= i < self.count:
            raise IndexError(i)
        return round(self.low + self.step * (i % self.count), 12)


def working_instance(lesson, seed: int | None, tries: int = 20) -> "LessonInstance":
    """The variant drawn by ``seed``, or when its numbers break a graph or an answer (a draw `tutor check`
    could not rule out), the next seed's, up to ``tries``; then the file's own values, which always work.
    So a quiz skips a failing draw instead of crashing."""
    for candidate in ([] if seed is None else range(seed, seed + tries)):
        instance = LessonInstance(lesson, candidate)
        if instance.computes():
            return instance
    return LessonInstance(lesson)


class LessonInstance:
    def __init__(self, lesson, seed: int | None = None, values: dict | None = None):
        self.lesson = lesson
        self.seed = seed
        self.inputs = pick_variant(lesson.variants, seed) if seed is not None else {}
        self.given = dict(values or {})  # values the caller fixed: they win over variants and carried answers
        if values:
            leaves = {n for g in lesson.engine_graphs.values() for n, node in g.nodes.items() if node.is_leaf}
            unknown = [name for name in values if name not in leaves and name not in lesson.params]
            if unknown:
                raise ValueError(f"'{unknown[0]}' is not an input or a param of lesson '{lesson.id}'")
            self.inputs.update(values)
        self.params = {**lesson.params, **{k: v for k, v in self.inputs.items() if k in lesson.params}}
        self._graphs: dict = {}

    def graph(self, name: str | None = None):
        if name is None:
            if len(self.lesson.engine_graphs) != 1:
                raise ValueError(f"lesson '{self.lesson.id}' has {len(self.lesson.engine_graphs)} graphs; "
                                 "say which one")
            name = next(iter(self.lesson.engine_graphs))
        if name not in self._graphs:
            base = self.lesson.engine_graphs[name]
            own = {k: v for k, v in self.inputs.items() if k in base.nodes and base.nodes[k].is_leaf}
            for input_name, pid in carried_inputs(self.lesson.graphs[name].inputs).items():
                if input_name not in self.given:  # an earlier answer in this variant: where training got to
                    own[input_name] = self.answer(pid)
            self._graphs[name] = base.with_values(own) if own else base
        return self._graphs[name]

    def evaluate(self, expr_text: str, graph_name: str | None = None, known: dict | None = None):
        """An answer expression's value in this variant (``known``: values standing in for graph calls, as
        ``answers.evaluate`` takes them). Raises AnswerError (also for NaN or infinity)."""
        tree = parse_answer(expr_text)
        graph = self.graph(graph_name) if graph_name or self.lesson.engine_graphs else None
        value = evaluate(tree, graph, self.params, known)
        if not (math.isfinite(value) if isinstance(value, (int, float)) else np.isfinite(value).all()):
            raise AnswerError(f"'{expr_text.strip()}' gives {'NaN' if np.any(np.isnan(value)) else 'infinity'}")
        return value

    def computes(self) -> bool:
        """Every graph forward and backward, and every answer and mistake, finite for these values."""
        try:
            for name in self.lesson.engine_graphs:
                self.graph(name).backward()
            for problem in self.lesson.problems:
                if problem.type != "choice":
                    for expression in [problem.answer, *(m.answer for m in problem.mistakes)]:
                        self.evaluate(expression, problem.graph)
        except (GraphError, AnswerError, ArithmeticError):
            return False
        return True

    def answer(self, pid: str):
        problem = self.lesson.problem(pid)
        if problem.type == "choice":
            return problem.answer
        value = self.evaluate(problem.answer, problem.graph)
        if problem.type == "vector":
            return np.atleast_1d(np.asarray(value, dtype=np.float64))
        return value
