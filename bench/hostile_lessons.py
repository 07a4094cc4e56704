"""Lessons built to sit exactly at one limit of a lesson's budget (SECURITY.md), or one step past it.

``at_limit(name)`` is the largest lesson of its kind that `tutor check` passes; ``past_limit(name)`` is the
same lesson made one step larger, which `tutor check` refuses naming the limit. Each kind stresses one
limit and stays well inside the others, so the limit named in the refusal is the one being tested. The
test suite's generated-attack test and the bench's ``hostile_open`` both use them. A size is found by
asking the program itself (the engine's cost from shapes, the drawing's layout), so the lessons follow
the limits when they change.
"""

import json
from dataclasses import dataclass
from typing import Callable

from tutor.engine import Graph
from tutor.lessons import charts as lesson_charts
from tutor.lessons import loader
from tutor.lessons.safe_yaml import MAX_SCALARS
from tutor.render import budget

HEAD = "---\nid: {id}\ntitle: {{ko: 한계 시험, en: At the limit}}\n"


def _graph_lesson(kind: str, graphs: dict[str, tuple[dict, dict]], body: str = "") -> str:
    """graphs: name -> (inputs, nodes); one problem (the first graph's output gradient) placed in the body."""
    lines = [HEAD.format(id=kind), "graphs:\n"]
    for name, (inputs, nodes) in graphs.items():
        lines.append(f"  {name}:\n    inputs:\n")
        lines += [f"      {k}: {json.dumps(v)}\n" for k, v in inputs.items()]
        lines.append("    nodes:\n")
        lines += [f"      {k}: {v}\n" for k, v in nodes.items()]
    first = next(iter(graphs))
    first_input = next(iter(graphs[first][0]))
    lines.append(f"problems:\n  - {{id: p, graph: {first}, answer: 'sum(grad({first_input}))', type: number}}\n")
    placed = "".join(f"{{{{graph {name}}}}}\n\n" for name in graphs)
    return "".join(lines) + f"---\n## 한 단계 / One step\n\n{placed}{body}{{{{blank p}}}}\n"


def graphs(n: int) -> str:
    """n graphs of one product each."""
    return _graph_lesson("graphs", {f"g{i}": ({"x": 2}, {"z": "x * 3"}) for i in range(n)})


def nodes(n: int) -> str:
    """n nodes in all (n >= 2), in graphs of at most 32 (x and sums x + x, each drawn on its own)."""
    sizes = [32] * (n // 32) + ([n % 32] if n % 32 else [])
    if sizes[-1] == 1:  # a graph needs its input and a node
        sizes[-2:] = [sizes[-2] - 1, 2]
    fans = {f"g{i}": ({"x": 2}, {f"n{j}": "x + x" for j in range(size - 1)}) for i, size in enumerate(sizes)}
    return _graph_lesson("nodes", fans)


def _numbers_graph(n: int) -> dict:
    """A 20 × n outer product, summed: the numbers held grow with n, from 20 + n numbers in the file."""
    return {"g": ({"u": [[0.5]] * 20, "v": [[0.5] * n]}, {"y": "u * v", "z": "sum(y)"})}


def _work_graph(n: int) -> dict:
    """A (24 × n) matrix made by a broadcast, times its transpose: the work grows with 576·n."""
    return {"g": ({"u": [[0.5]] * 24, "v": [[0.5] * n]}, {"a": "u * v", "z": "sum(a @ transpose(a))"})}


def numbers(n: int) -> str:
    return _graph_lesson("numbers", _numbers_graph(n))


def work(n: int) -> str:
    return _graph_lesson("work", _work_graph(n))


def values(n: int) -> str:
    """A front matter of exactly n values (keys included): an input list makes up the rest."""
    import yaml

    def lesson(length: int) -> str:
        return _graph_lesson("values", {"g": ({"x": [0.5] * length}, {"z": "sum(x)"})})

    front = lesson(1).split("---\n")[1]
    one = sum(isinstance(event, yaml.ScalarEvent) for event in yaml.parse(front, Loader=yaml.CSafeLoader))
    return lesson(n - one + 1)


def blocks(n: int) -> str:
    """One step of n paragraphs (the blank and the graph are two more)."""
    return _graph_lesson("blocks", {"g": ({"x": 2}, {"z": "x * 3"})},
                         "".join(f"문단 {i}: 계산 그래프의 한 노드를 봅니다.\n\n" for i in range(n - 2)))


def blanks(n: int) -> str:
    problems = "".join(f"  - {{id: p{i}, answer: 'grad(x)'}}\n" for i in range(n))
    body = "".join(f"({i}) {{{{blank p{i}}}}}\n" for i in range(n))
    return (HEAD.format(id="blanks") + "graphs:\n  g:\n    inputs: {x: 2}\n    nodes: {z: x * 3}\n"
            f"problems:\n{problems}---\n## 빈칸 / Blanks\n\n{body}")


def depth(n: int) -> str:
    """A list nested n deep, one item per level."""
    items = "".join("  " * level + f"- 단계 {level}\n" for level in range(n))
    return _graph_lesson("depth", {"g": ({"x": 2}, {"z": "x * 3"})}, items + "\n")


def cells(n: int) -> str:
    """A chain of n products by constants: the drawing grows in both directions."""
    chain = {f"n{j}": (f"n{j - 1}" if j else "x") + " * 1.5" for j in range(n)}
    return _graph_lesson("cells", {"g": ({"x": 2}, chain)})


def _chart_lesson(kind: str, charts: dict[str, int]) -> str:
    """One small graph and sweep charts of it (name -> points), every chart placed in the one step."""
    lesson = _graph_lesson(kind, {"g": ({"x": 2}, {"z": "x * x"})}, "".join(f"{{{{chart {c}}}}}\n\n" for c in charts))
    specs = "".join(f"  {c}: {{kind: sweep, input: x, from: -1, to: 1, points: {n}}}\n" for c, n in charts.items())
    return lesson.replace("problems:\n", f"charts:\n{specs}problems:\n", 1)


def charts(n: int) -> str:
    return _chart_lesson("charts", {f"c{i}": 2 for i in range(n)})


def points(n: int) -> str:
    return _chart_lesson("points", {"c": n})


@dataclass(frozen=True)
class Kind:
    build: Callable[[int], str]
    limit_name: str  # as the refusal names it
    at: Callable[[], int]  # the largest n that passes


def _largest(build: Callable[[int], str], fits: Callable[[str], bool], low: int, high: int) -> int:
    """The largest n in [low, high) whose lesson fits (fits(build(low)) holds, fits(build(high)) does not)."""
    while high - low > 1:
        middle = (low + high) // 2
        low, high = (middle, high) if fits(build(middle)) else (low, middle)
    return low


def _engine_fits(graphs: dict) -> bool:
    """The graphs within the numbers and work limits, by the engine's own cost from shapes (as the loader
    counts it, with the one backward pass these lessons' answer asks for)."""
    numbers = work = 0
    for inputs, nodes in graphs.values():
        cost = Graph.parse(inputs=inputs, nodes=nodes).cost()
        numbers, work = numbers + cost.values + cost.gradients, work + cost.work
    return numbers <= loader.MAX_LESSON_NUMBERS and work <= loader.MAX_LESSON_WORK


def _draws(text: str) -> bool:
    import tempfile
    from pathlib import Path

    from tutor.lessons import load_lesson

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "cells.md"
        path.write_text(text, encoding="utf-8")
        return budget.drawing_error(load_lesson(path)) is None


KINDS = {
    "graphs": Kind(graphs, "graphs per lesson", lambda: loader.MAX_GRAPHS),
    "nodes": Kind(nodes, "nodes per lesson", lambda: loader.MAX_LESSON_NODES),
    "numbers": Kind(numbers, "numbers per lesson",
                    lambda: _largest(_numbers_graph, _engine_fits, 1, loader.MAX_LESSON_NUMBERS // 20)),
    "work": Kind(work, "work per lesson", lambda: _largest(_work_graph, _engine_fits, 1, loader.MAX_LESSON_WORK // 576)),
    "values": Kind(values, "values per lesson", lambda: MAX_SCALARS),
    "blocks": Kind(blocks, "blocks per step", lambda: loader.MAX_STEP_BLOCKS),
    "blanks": Kind(blanks, "blanks per step", lambda: loader.MAX_STEP_BLANKS),
    "depth": Kind(depth, "Markdown depth", lambda: loader.MAX_MARKDOWN_DEPTH),
    "cells": Kind(cells, "cells per drawing", lambda: _largest(cells, _draws, 1, 200)),
    "charts": Kind(charts, "charts per lesson", lambda: lesson_charts.MAX_CHARTS),
    "points": Kind(points, "points per chart", lambda: lesson_charts.MAX_CHART_POINTS),
}


def at_limit(kind: str) -> str:
    return KINDS[kind].build(KINDS[kind].at())


def past_limit(kind: str) -> str:
    return KINDS[kind].build(KINDS[kind].at() + 1)


def size_at_limit(kind: str) -> int:
    return KINDS[kind].at()


