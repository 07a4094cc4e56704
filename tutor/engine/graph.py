"""A computational graph: leaves (inputs, params, constants) and operator nodes, a topological
order, a forward pass, and a reverse walk that accumulates gradients, as micrograd does, over numpy
arrays. No recursion anywhere, so a 10,000-node chain is fine.
"""

import keyword
import math
import unicodedata
from collections import deque
from functools import lru_cache
from typing import Mapping, NamedTuple

import numpy as np

from .dsl import Call, ExpressionError, Name, Number, did_you_mean, folded_name, read_expression
from .ops import FUNCTIONS, MATRIX_PRODUCTS, OPS, matmul_shape


MAX_VALUE_NUMBERS = 1_000_000  # per value (8 MB); the bundled course's largest holds 4, the book's net 78,400


class GraphError(ValueError):
    """A graph that cannot be built or computed. ``node`` names the node at fault, when there is one."""

    def __init__(self, message: str, node: str | None = None, column: int | None = None):
        super().__init__(f"node '{node}': {message}" if node else message)
        self.node = node
        self.reason = message
        self.column = column


class GraphTooLarge(GraphError):
    """More nodes than ``Graph.parse(max_nodes=)`` allows."""


class Node(NamedTuple):  # not a dataclass: cheaper to import (dsl.py)
    name: str
    kind: str  # "input", "param", "const" or "op"
    op: str | None = None  # a key of OPS, for kind "op"
    args: tuple[str, ...] = ()  # names of the nodes this one reads, in order
    named: bool = True  # False for the unnamed nodes that nested expressions and constants make
    source: str = ""  # the expression text this node came from

    @property
    def is_leaf(self) -> bool:
        return self.kind != "op"


class Cost(NamedTuple):
    """What computing a graph takes, known from its shapes before any op runs (``Graph.cost``)."""

    values: int  # numbers held by the forward values, leaves included
    gradients: int  # numbers held by one backward pass: every node's gradient and every edge's flow
    work: int  # numbers computed forward and backward; a matmul counts its multiply-adds


class Backward(NamedTuple):
    """One reverse walk: the gradient at every node, and the gradient that flowed along every edge."""

    grads: dict[str, np.ndarray]
    edges: dict[tuple[str, int], np.ndarray]  # (node, input index) -> upstream × local


def as_array(value, what: str) -> np.ndarray:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        raise GraphError(f"{what} must be a number or a list of numbers, not {value!r}")
    try:
        array = np.asarray(value, dtype=np.float64)
    except OverflowError:
        raise GraphError(f"{what} is too large for a float") from None
    except (ValueError, TypeError):
        raise GraphError(f"{what} must be a number or a rectangular list of numbers") from None
    if array.ndim:
        with np.errstate(over="ignore", invalid="ignore"):
            finite = _finite(array)
    else:  # a single number (most inputs): no sum to overflow
        finite = math.isfinite(array)
    if not finite:
        raise GraphError(f"{what} is not finite")
    if array.size > MAX_VALUE_NUMBERS:
        raise GraphError(f"{what} holds {array.size:,} numbers; the limit is {MAX_VALUE_NUMBERS:,}: too large")
    return array


def _finite(array: np.ndarray) -> bool:
    # math.isfinite is ten times quicker than numpy's for the single numbers most lessons use. An array's
    # dot product with itself, its sum of squares, is finite only if every number in it is (an inf or a nan
    # carries through), and makes no array of booleans: about a third of the time of isfinite().all(), run
    # on every value and gradient. Only a sum that overflows (numbers past 1e154) needs the number-by-number
    # look. Callers silence numpy's overflow warning (errstate).
    if array.ndim == 0:
        return math.isfinite(array)
    return math.isfinite(np.vdot(array, array)) or bool(np.isfinite(array).all())


def _plain(value: np.ndarray):
    return float(value) if np.ndim(value) == 0 else value


def sum_to_shape(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Undo numpy broadcasting: sum the gradient back down to the input's shape."""
    grad = np.asarray(grad, dtype=np.float64)
    if grad.shape == shape:
        return grad
    while grad.ndim > len(shape):
        grad = grad.sum(axis=0)
    for axis, size in enumerate(shape):
        if size == 1 and grad.shape[axis] != 1:
            grad = grad.sum(axis=axis, keepdims=True)
    return grad.reshape(shape)


def _substituted(grad: np.ndarray, value: np.ndarray, name: str) -> np.ndarray:
    try:
        return np.broadcast_to(grad, value.shape).copy()
    except ValueError:
        raise GraphError(f"a gradient of shape {grad.shape} does not fit the node's shape {value.shape}",
                         name) from None


def _describe(array: np.ndarray) -> str:
    return "NaN" if np.any(np.isnan(array)) else "infinity"


class Graph:
    def __init__(self, nodes: dict[str, Node], leaf_values: Mapping[str, np.ndarray], output: str):
        self.nodes = nodes  # in topological order
        self.output = output
        self.leaf_values = dict(leaf_values)
        self._values: dict[str, np.ndarray] | None = None
        self._backward: dict[str, Backward] = {}

    # ---- building -------------------------------------------------------------------------

    @classmethod
    def parse(cls, inputs: Mapping, nodes: Mapping[str, str], output: str | None = None,
              params: Mapping | None = None, max_nodes: int | None = None) -> "Graph":
        """``max_nodes`` bounds every node the graph gets, the unnamed ones that nested operations and
        numbers make included (a lesson's graph is untrusted; a program's own may be any size)."""
        built: dict[str, Node] = {}
        repeats: dict[str, int] = {}  # text -> how many unnamed nodes are named after it
        if max_nodes is not None and len(inputs) + len(params or {}) + len(nodes) > max_nodes:
            raise _too_many_nodes(max_nodes)  # before reading any expression
        values: dict[str, np.ndarray] = {}
        for kind, leaves in (("input", inputs), ("param", params or {})):
            for name, value in leaves.items():
                _check_name(name, built)
                built[name] = Node(name, kind)
                values[name] = as_array(value, f"{kind} '{name}'")
        for name in nodes:
            _check_name(name, built)
        known = set(built) | set(nodes)
        for name, text in nodes.items():
            try:
                tree = read_expression(text)
            except ExpressionError as e:
                raise GraphError(str(e), name, e.column) from None
            _add_expression(name, tree, built, values, known, repeats)
            if max_nodes is not None and len(built) > max_nodes:
                raise _too_many_nodes(max_nodes)
        if not nodes and not built:
            raise GraphError("the graph has no inputs and no nodes")
        if output is None:
            output = list(nodes)[-1] if nodes else list(built)[-1]
        if output not in built:
            raise GraphError(f"output '{output}' is not a node of the graph{did_you_mean(output, known)}")
        return cls(_topological(built), values, output)

    def with_values(self, leaf_values: Mapping) -> "Graph":
        """The same graph with some leaves given new values (a lesson's variants)."""
        values = dict(self.leaf_values)
        for name, value in leaf_values.items():
            if name not in self.nodes or not self.nodes[name].is_leaf:
                raise GraphError(f"'{name}' is not an input of the graph{did_you_mean(name, self.leaf_values)}")
            values[name] = as_array(value, f"input '{name}'")
        return Graph(self.nodes, values, self.output)

    # ---- cost ------------------------------------------------------------------------------

    def cost(self) -> Cost:
        """The graph's cost from shapes alone, before any op runs; a GraphError names a node whose inputs'
        shapes do not fit (as the forward pass would)."""
        shapes = {name: np.shape(value) for name, value in self.leaf_values.items()}
        values = gradients = work = 0
        for name, node in self.nodes.items():
            if node.is_leaf:
                values += math.prod(shapes[name])
                continue
            args = [shapes[a] for a in node.args]
            shapes[name], _, steps = _result(node, args)
            values += math.prod(shapes[name])
            gradients += math.prod(shapes[name]) + sum(math.prod(shapes[a]) for a in node.args
                                                       if self.nodes[a].kind != "const")
            work += steps * (1 + len(args))  # forward, and one rule per input backward
        return Cost(values, gradients + sum(math.prod(shapes[n]) for n, node in self.nodes.items()
                                            if node.kind in ("input", "param")), work)

    # ---- forward ---------------------------------------------------------------------------

    def forward(self, overrides: Mapping[str, np.ndarray] | None = None) -> dict[str, np.ndarray]:
        """Every node's value, in topological order; ``overrides`` replace leaf values."""
        values = dict(self.leaf_values)
        if overrides:
            values.update(overrides)
        with np.errstate(all="ignore"):
            for name, node in self.nodes.items():
                if node.is_leaf:
                    continue
                args = [values[a] for a in node.args]
                op = OPS[node.op]
                if not op.keeps_shape:  # one that does makes nothing larger than its input
                    _refuse_a_huge_result(node, [a.shape for a in args])
                try:
                    out = np.asarray(op.forward(*args), dtype=np.float64)
                except ValueError:
                    raise _shapes_do_not_fit(node, [a.shape for a in args]) from None
                if not _finite(out):
                    raise GraphError(f"'{node.source}' gives {_describe(out)}{_hint(node, args)}", name)
                values[name] = out
        return values

    @property
    def values(self) -> dict[str, np.ndarray]:
        if self._values is None:
            self._values = self.forward()
        return self._values

    def value(self, name: str):
        return _plain(self.values[self._known(name)])

    # ---- backward --------------------------------------------------------------------------

    def backward(self, output: str | None = None, seed=None,
                 substitute: Mapping[str, object] | None = None) -> Backward:
        """Reverse walk from ``output`` (the gradient of its sum, or ``seed``).

        ``substitute`` puts a chosen gradient at a node in place of the true one, and the walk goes
        on from there: what a learner's wrong upstream value would have led to.
        """
        output = self._known(output or self.output)
        cacheable = seed is None and not substitute
        if cacheable and output in self._backward:
            return self._backward[output]
        values = self.values
        grads = {output: np.ones_like(values[output]) if seed is None
                 else _substituted(as_array(seed, "the seed gradient"), values[output], output)}
        substitute = {self._known(k): as_array(v, f"gradient at '{k}'") for k, v in (substitute or {}).items()}
        edges: dict[tuple[str, int], np.ndarray] = {}
        names = list(self.nodes)
        with np.errstate(all="ignore"):
            for name in reversed(names[: names.index(output) + 1]):
                if name in substitute:
                    grads[name] = _substituted(substitute[name], values[name], name)
                node, g = self.nodes[name], grads.get(name)
                if g is None or node.is_leaf:
                    continue
                args = [values[a] for a in node.args]
                for i, (arg, rule) in enumerate(zip(node.args, OPS[node.op].backward)):
                    if self.nodes[arg].kind == "const":
                        continue
                    flow = sum_to_shape(rule(g, values[name], *args), values[arg].shape)
                    if flow is not g and not _finite(flow):  # g itself was checked
                        raise GraphError(f"the gradient flowing back to '{arg}' is {_describe(flow)}", name)
                    edges[(name, i)] = flow
                    if arg in grads:  # a node read twice: the flows add up, and two finite ones can overflow
                        flow = grads[arg] + flow
                        if not _finite(flow):
                            raise GraphError(f"the gradients flowing back to it add up to {_describe(flow)}",
                                             arg)
                    grads[arg] = flow
        result = Backward(grads, edges)
        if cacheable:
            self._backward[output] = result
        return result

    def grad(self, name: str):
        """∂output/∂name (of the output's sum when the output is not a scalar)."""
        return self.d(self.output, name)

    def d(self, m: str, n: str):
        """∂m/∂n for any node m downstream of n; zero where there is no path."""
        n = self._known(n)
        grad = self.backward(m).grads.get(n)
        return _plain(grad if grad is not None else np.zeros_like(self.values[n]))

    def local(self, m: str, n: str):
        """The local derivative of node m with respect to its direct input n (upstream gradient 1)."""
        node = self.nodes[self._known(m)]
        n = self._known(n)
        if n not in node.args:
            inputs = ", ".join(dict.fromkeys(node.args)) or "none: it is a leaf"
            raise GraphError(f"'{n}' is not a direct input of '{m}' (its inputs: {inputs})", m)
        values = self.values
        args = [values[a] for a in node.args]
        ones = np.ones_like(values[m])
        total = sum(sum_to_shape(rule(ones, values[m], *args), values[n].shape)
                    for arg, rule in zip(node.args, OPS[node.op].backward) if arg == n)
        return _plain(total)

    def edge_local(self, node: str, index: int):
        """The local derivative along input ``index`` of ``node`` at every number of the node's output
        (upstream gradient 1 there), before it is summed back to the input's shape: for ``w * X`` with
        a single w, one derivative per number of X. For an op whose derivative is not elementwise (a
        matrix product), what an upstream of ones would send back."""
        spec = self.nodes[self._known(node)]
        values = self.values
        rule = OPS[spec.op].backward[index]
        with np.errstate(all="ignore"):
            local = rule(np.ones_like(values[node]), values[node], *(values[a] for a in spec.args))
        return _plain(np.asarray(local, dtype=np.float64))

    def edge_grad(self, node: str, index: int):
        """The gradient that flows back along input ``index`` of ``node``: upstream × local."""
        flow = self.backward().edges.get((self._known(node), index))
        return None if flow is None else _plain(flow)

    # ---- helpers ---------------------------------------------------------------------------

    def inputs_of(self, name: str) -> tuple[str, ...]:
        return self.nodes[self._known(name)].args

    def consumers(self, name: str) -> list[tuple[str, int]]:
        """Every (node, input index) that reads ``name``."""
        return [(n, i) for n, node in self.nodes.items() for i, a in enumerate(node.args) if a == name]

    def _known(self, name: str) -> str:
        if name not in self.nodes:
            raise GraphError(f"no node named '{name}'{did_you_mean(str(name), self.nodes)}")
        return name


def _check_name(name, built) -> None:
    if not isinstance(name, str) or not name.isidentifier():
        raise GraphError(f"{name!r} is not a valid name (letters, digits and _, not starting with a digit)")
    if folded_name(name):  # an expression would read 'ｘ' as 'x': the two could never meet
        raise GraphError(f"'{name}' would be read as '{unicodedata.normalize('NFKC', name)}' in an expression; "
                         "write that", name)
    if keyword.iskeyword(name):  # expressions are read as Python, where these cannot be names
        raise GraphError(f"'{name}' is a reserved word; choose another name", name)
    if name in built:
        raise GraphError(f"'{name}' is defined twice", name)
    if name in FUNCTIONS:
        raise GraphError(f"'{name}' is the name of a function; choose another name", name)


def _result(node: Node, shapes: list[tuple]) -> tuple[tuple, tuple, int]:
    """(the result's shape, the shape of the largest array the op makes, the numbers it computes), from
    the inputs' shapes. The largest array is the broadcast of the operands (what an elementwise op, and a
    loss such as mse, computes inside) or the result; a matmul computes a multiply-add per row, column
    and inner index."""
    try:
        return _sizes(node.op, tuple(shapes))
    except ValueError:
        raise _shapes_do_not_fit(node, shapes) from None


@lru_cache(maxsize=4096)  # each forward pass asks again for the same few shapes; np.broadcast_shapes costs µs
def _sizes(op: str, shapes: tuple[tuple, ...]) -> tuple[tuple, tuple, int]:
    shape = OPS[op].shape(*shapes)
    if op in MATRIX_PRODUCTS:
        x = (1, *shapes[0]) if len(shapes[0]) == 1 else shapes[0]
        return shape, shape, math.prod(shape) * (x[-1] + 1)
    inside = np.broadcast_shapes(*shapes)
    largest = inside if math.prod(inside) > math.prod(shape) else shape
    return shape, largest, math.prod(largest)


def _refuse_a_huge_result(node: Node, shapes: list[tuple]) -> None:
    """Before the op runs: refuse a node whose arrays would be too large, from its operands' shapes alone."""
    _, largest, _ = _result(node, shapes)
    if math.prod(largest) > MAX_VALUE_NUMBERS:
        raise GraphError(f"'{node.source}' would hold {math.prod(largest):,} numbers (shape {largest}); the limit "
                         f"is {MAX_VALUE_NUMBERS:,}: too large", node.name)


def _shapes_do_not_fit(node: Node, shapes: list[tuple]) -> GraphError:
    return GraphError(f"shapes {' and '.join(map(str, shapes))} do not fit for '{OPS[node.op].symbol}'"
                      f" in '{node.source}'", node.name)


def _too_many_nodes(max_nodes: int) -> GraphError:
    return GraphTooLarge(f"the graph has more than {max_nodes} nodes (counting every operation and number "
                      "inside its expressions); make it smaller")


def _hint(node: Node, args: list[np.ndarray]) -> str:
    if node.op == "log" and np.any(args[0] <= 0):
        return " (log of a number that is not positive)"
    if node.op == "div" and np.any(args[1] == 0):
        return " (division by zero)"
    return ""


def _add_expression(name: str, tree, built: dict[str, Node], values: dict, known: set[str],
                    repeats: dict[str, int]) -> None:
    """Add the nodes of one named expression; nested operations and numbers become unnamed nodes,
    named by their text: ``1.5``, ``1.5 #2``, ``1.5 #3`` ... (``repeats`` counts them per text, so the
    n-th repeat is named at once, not after trying n - 1 taken names)."""

    def fresh(text: str) -> str:
        candidate = text
        while candidate in built or candidate in known:
            repeats[text] = repeats.get(text, 1) + 1
            candidate = f"{text} #{repeats[text]}"
        return candidate

    # Iterative post-order walk: children first, then the node itself.
    result: dict[int, str] = {}
    stack = [(tree, False)]
    while stack:
        expr, children_done = stack.pop()
        is_root = expr is tree
        if isinstance(expr, Name):
            if expr.name not in known:
                raise GraphError(f"unknown name '{expr.name}'{did_you_mean(expr.name, known)}", name, expr.column)
            if is_root:
                raise GraphError(f"only repeats '{expr.name}'; use '{expr.name}' directly", name)
            result[id(expr)] = expr.name
        elif isinstance(expr, Number):
            node_name = name if is_root else fresh(expr.text)
            built[node_name] = Node(node_name, "const", named=is_root, source=expr.text)
            values[node_name] = np.asarray(expr.value, dtype=np.float64)
            result[id(expr)] = node_name
        elif not children_done:
            stack.append((expr, True))
            stack.extend((a, False) for a in reversed(expr.args))
        else:
            node_name = name if is_root else fresh(expr.text)
            args = tuple(result[id(a)] for a in expr.args)
            built[node_name] = Node(node_name, "op", expr.op, args, named=is_root, source=expr.text)
            result[id(expr)] = node_name


def _topological(nodes: dict[str, Node]) -> dict[str, Node]:
    """Kahn's algorithm, keeping the written order among nodes that are ready together."""
    waiting = {name: len(set(node.args)) for name, node in nodes.items()}
    readers: dict[str, list[str]] = {name: [] for name in nodes}
    for name, node in nodes.items():
        for arg in set(node.args):
            readers[arg].append(name)
    ready = deque(name for name, count in waiting.items() if count == 0)
    order: dict[str, Node] = {}
    while ready:
        name = ready.popleft()
        order[name] = nodes[name]
        for reader in readers[name]:
            waiting[reader] -= 1
            if waiting[reader] == 0:
                ready.append(reader)
    if len(order) < len(nodes):
        loop = [n for n in _find_cycle(nodes, set(order)) if nodes[n].named]
        raise GraphError(f"the nodes form a cycle: {' → '.join(loop + loop[:1])}", loop[0])
    return order


def _find_cycle(nodes: dict[str, Node], done: set[str]) -> list[str]:
    """The nodes of one cycle, in order. Every node left over by Kahn's algorithm reads another
    left-over node, so walking from any of them along such inputs must come back around."""
    path, seen, current = [], {}, next(n for n in nodes if n not in done)
    while current not in seen:
        seen[current] = len(path)
        path.append(current)
        current = next(a for a in nodes[current].args if a not in done)
    return path[seen[current]:]
