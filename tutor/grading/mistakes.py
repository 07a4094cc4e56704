"""Which mistake does a wrong gradient look like? The engine computes the value each known wrong rule
would give for this blank (the forward value, the local derivative alone, the upstream gradient alone,
the own input of a multiplication, a flipped sign, a missing 1/N or 2 in MSE, the gradient split at an
addition), and the learner's number is matched against them with the same tolerance as the answer.
A blank that asks one row or element (``grad(W)[0, 1]``) gets each rule's value on the whole gradient,
at the same index.
"""

import msgspec
import numpy as np
from msgspec.structs import replace

from tutor.engine import Graph
from tutor.lessons.answers import AnswerError, one_edge, parse_answer

from tutor.render.numbers import format_value

from .compare import Band
from .messages import say

class Target(msgspec.Struct, frozen=True):  # structs, not dataclasses: cheaper to import (tutor/lessons/model.py)
    """A gradient blank: ∂m/∂n (``grad(n)``, ``d(m, n)``), or the local derivative of m at its input n;
    ``index`` picks the row or element the blank asks (``grad(W)[0, 1]``), () for the whole value."""

    kind: str  # "grad" (also for d) or "local"
    m: str
    n: str
    index: tuple[int, ...] = ()


class Suspect(msgspec.Struct, frozen=True):
    """The value a wrong rule gives, and what the message about it needs to say: node names (``str``,
    told as the learner sees them) and numbers, each a fact the message states and a test checks
    against the engine. ``form`` picks the message's wording (``mistake-missing-2-square``)."""

    id: str
    value: object
    facts: dict = {}
    form: str = ""

    @property
    def message_key(self) -> str:
        return f"mistake-{self.id}" + (f"-{self.form}" if self.form else "")


def _single_call(answer: str) -> tuple[str, tuple[str, ...], tuple[int, ...]] | None:
    """(function, node names, index) when the answer is one graph call, perhaps indexed:
    ``grad(W)[0, 1]`` → ("grad", ("W",), (0, 1))."""
    try:
        tree = parse_answer(answer)
    except AnswerError:
        return None
    index = ()
    if tree[0] == "index":
        tree, index = tree[1], tree[2]
    return (tree[1], tree[2], index) if tree[0] == "graph" else None


def gradient_target(answer: str, graph: Graph) -> Target | None:
    call = _single_call(answer)
    if call is None or call[0] == "value":
        return None
    function, names, index = call
    if function == "grad":
        target = Target("grad", graph.output, names[0], index)
    else:
        target = Target("grad" if function == "d" else "local", *names, index)
    return target if target.m in graph.nodes and target.n in graph.nodes else None


def value_suspects(answer: str, graph: Graph) -> list[Suspect]:
    """For a blank that is not one gradient or local derivative: a forward-value blank ``value(n)``
    answered with the gradient ∂output/∂n; an MSE loss computed without its 1/N (the sum of squares) or
    with the book's ½Σ. A blank asking the gradient along one edge: ``_edge_suspects``."""
    try:
        edge = one_edge(parse_answer(answer))
    except AnswerError:
        edge = None
    if edge is not None and all(name in graph.nodes for name in edge):
        return _edge_suspects(graph, *edge)
    call = _single_call(answer)
    if call is None or call[0] != "value" or call[1][0] not in graph.nodes:
        return []
    name = call[1][0]
    found = []
    node = graph.nodes[name]
    size = int(np.broadcast(*(graph.values[a] for a in node.args)).size) if node.op == "mse" else 1
    if size > 1:
        loss = graph.values[name]
        found += [Suspect("loss-missing-1/n", loss * size, {"consumer": name, "n": size}),
                  Suspect("loss-sse-convention", loss * size / 2, {"consumer": name, "n": size})]
    gradient = graph.backward().grads.get(name) if name != graph.output else None
    if gradient is not None:
        found.append(Suspect("gradient-for-value", gradient, {"node": name, "output": graph.output, "value": gradient}))
    return _at(found, call[2])


def suspects(graph: Graph, target: Target) -> list[Suspect]:
    """Every wrong rule's value for this blank, most specific first."""
    found = _local_suspects(graph, target) if target.kind == "local" else _gradient_suspects(graph, target)
    return _at(found, target.index)


def _at(found: list[Suspect], index: tuple[int, ...]) -> list[Suspect]:
    """The suspects' values at the blank's index; one with no such element (a scalar loss) is left out."""
    if not index:
        return found
    picked = []
    for suspect in found:
        try:
            picked.append(replace(suspect, value=np.asarray(suspect.value)[index]))
        except IndexError:
            continue
    return picked


def _gradient_suspects(graph: Graph, target: Target) -> list[Suspect]:
    back = graph.backward(target.m)
    correct = back.grads.get(target.n)
    if correct is None:
        return []
    found: list[Suspect] = []
    paths = [(c, i) for c, i in graph.consumers(target.n) if c in back.grads]
    if len(paths) == 1 and np.shape(back.grads[paths[0][0]]) == np.shape(correct):
        # one path, no broadcasting: ∂m/∂n is the upstream gradient times the local derivative, item by
        # item (where n is broadcast, each item's products are summed, and those rules say nothing true)
        consumer, index = paths[0]
        facts = _edge_facts(graph, target.n, consumer, back.grads[consumer])
        found += _rule_suspects(graph, facts, index, correct)
        found += _loss_suspects(graph, target, correct)
        found += [Suspect("local-only", facts["local"], facts), Suspect("upstream-only", facts["upstream"], facts)]
        found += _forward_suspects(graph, target, consumer)
    else:
        found += _loss_suspects(graph, target, correct)
        found += [Suspect("one-path", back.edges[(c, i)], {"node": target.n, "consumer": c, "path": back.edges[(c, i)],
                                                           "consumers": tuple(dict.fromkeys(c for c, _ in paths))})
                  for c, i in paths]
        found += _forward_suspects(graph, target)
    found.append(Suspect("sign-flip", -correct, {"node": target.n}))
    return found


def _edge_facts(graph: Graph, n: str, consumer: str, upstream) -> dict:
    return {"node": n, "consumer": consumer, "upstream": upstream, "local": graph.local(consumer, n)}


def _rule_suspects(graph: Graph, facts: dict, index: int, correct) -> list[Suspect]:
    """A wrong rule at the node the gradient comes back through (``facts["consumer"]``, input ``index``):
    the own input at a multiplication, the gradient split at an addition, ReLU's slope at 0."""
    n, consumer, upstream = facts["node"], facts["consumer"], facts["upstream"]
    op, found = graph.nodes[consumer].op, []
    if op == "mul":
        other = graph.nodes[consumer].args[1 - index]
        found.append(Suspect("own-input", upstream * graph.values[n],
                             {**facts, "own": graph.values[n], "other": other, "other_value": graph.values[other]},
                             "constant" if _is_constant(graph, other) else ""))
    if op == "add":
        found.append(Suspect("split-at-add", upstream / len(graph.nodes[consumer].args), facts))
    at_zero = np.asarray(graph.values[n]) == 0
    if op == "relu" and at_zero.any():
        # ReLU has no derivative at 0: the book's Relu takes 0 there; slope 1 passes the upstream gradient
        found.append(Suspect("relu-at-zero", np.where(at_zero, upstream, correct), {"node": n}))
    return found


def _edge_suspects(graph: Graph, consumer: str, n: str) -> list[Suspect]:
    """A blank that asks the gradient along one edge, ``grad(m) * local(m, n)`` (lesson 6: back to x along
    the u branch only): the wrong rules at m, as for a gradient with that one path."""
    node = graph.nodes[consumer]
    if node.op is None or node.args.count(n) != 1:
        return []
    index = node.args.index(n)
    back = graph.backward()
    flow = back.edges.get((consumer, index))
    if flow is None or np.shape(back.grads[consumer]) != np.shape(flow):
        return []  # broadcast: the rules' products would be summed, and they say nothing true
    facts = _edge_facts(graph, n, consumer, back.grads[consumer])
    # (not the forward values: their message says what ∂output/∂n is, and one edge carries a part of it)
    return (_rule_suspects(graph, facts, index, flow)
            + [Suspect("local-only", facts["local"], facts), Suspect("upstream-only", facts["upstream"], facts),
               Suspect("sign-flip", -flow, {"node": n})])


def _is_constant(graph: Graph, name: str) -> bool:
    """A constant is told by its number ("the other input, the constant -1"), not as "-1's value (-1)"."""
    return graph.nodes[name].kind == "const"


def _forward_suspects(graph: Graph, target: Target, consumer: str | None = None) -> list[Suspect]:
    """The forward value of n, of m, or of the node the gradient comes back through (z of z = x + y)."""
    names = (target.n, target.m) + ((consumer,) if consumer else ())
    return [Suspect("forward-value", graph.values[name],
                    {"node": name, "wrt": target.n, "output": target.m, "value": graph.values[name]})
            for name in dict.fromkeys(names)]


def _loss_suspects(graph: Graph, target: Target, correct) -> list[Suspect]:
    """Missing 1/N or 2 at an MSE, mean or square node between n and m; the book's ½Σ for the lecture's
    (1/N)Σ. Each is a constant factor on the gradient at that node, so on every gradient behind it too."""
    found = []
    between = _between(graph, target.n, target.m)
    for name in between:
        node = graph.nodes[name]
        if node.op not in ("mse", "mean", "square"):
            continue  # (an affine node's X and W do not broadcast: only these nodes' sizes are asked)
        via = next(a for a in node.args if a == target.n or a in between)  # the argument the gradient flows through
        size = int(np.broadcast(*(graph.values[a] for a in node.args)).size)
        if node.op in ("mse", "mean") and size > 1:
            found.append(Suspect("missing-1/n", correct * size, {"n": size, "consumer": name}))
        if node.op == "mse":
            other = next(a for a in node.args if a != via) if node.args[0] != node.args[1] else via
            local = graph.local(name, via)
            facts = {"consumer": name, "pred": via, "target": other, "n": size, "local": local}
            found.append(Suspect("missing-2", correct / 2, facts, "mse"))
            if size > 1:
                found.append(Suspect("sse-convention", correct * size / 2,
                                     {**facts, "book": local * size / 2, "factor": size / 2}))
        if node.op == "square":
            found.append(Suspect("missing-2", correct / 2, {"consumer": name, "arg": via, "u": graph.values[via],
                                                            "local": graph.local(name, via)}, "square"))
    return found


def _between(graph: Graph, n: str, m: str) -> list[str]:
    """The operation nodes on some path from n to m (m included)."""
    downstream = {n}
    for name, node in graph.nodes.items():
        if any(a in downstream for a in node.args):
            downstream.add(name)
    upstream = set(graph.backward(m).grads)
    return [name for name in graph.nodes if name in downstream and name in upstream and name != n]


def _local_suspects(graph: Graph, target: Target) -> list[Suspect]:
    node = graph.nodes[target.m]
    local = graph.local(target.m, target.n)
    facts = {"node": target.n, "consumer": target.m, "local": local,
             "upstream": graph.backward().grads.get(target.m, 1.0)}
    found = []
    # the local derivative is this blank's answer: the messages name its rule, not its value
    if node.op == "mul" and node.args[0] != node.args[1]:
        other = node.args[1 - node.args.index(target.n)]
        found.append(Suspect("own-input", graph.values[target.n],
                             {"node": target.n, "consumer": target.m, "own": graph.values[target.n], "other": other},
                             "local-constant" if _is_constant(graph, other) else "local"))
    found.append(Suspect("with-upstream", facts["upstream"] * local, {"upstream": facts["upstream"]}))
    found += _forward_suspects(graph, target)
    found.append(Suspect("sign-flip", -np.asarray(local), {"node": target.n}))
    return found


def explain(suspects: list[Suspect], lang: str = "ko", name=lambda node: node) -> str:
    """The mistakes' messages, joined by "or" when several rules give the learner's value; ``name`` tells
    a node as the learner sees it (the lesson's label, or the operation it draws)."""

    def shown(fact) -> str:
        if isinstance(fact, str):
            return name(fact)
        if isinstance(fact, tuple):
            return ", ".join(map(shown, fact))
        return format_value(fact)

    messages = [say(s.message_key, lang, **{k: shown(v) for k, v in s.facts.items()}) for s in suspects]
    return f" {say('mistake-or', lang)} ".join(messages)


def diagnose(given, correct, candidates: list[Suspect], band: Band, typed: Band | None = None) -> list[Suspect]:
    """The wrong rules whose value the learner's number matches (and the right answer does not), in the
    candidates' order, one per rule. ``typed``: the band the learner's number is matched in, when wider
    than the answer's (the decimals it was rounded to)."""
    found: dict[str, Suspect] = {}
    for suspect in candidates:
        try:
            if band.accepts(suspect.value, correct, allow_zero=True):
                continue  # this rule happens to give the right value here: it tells nothing
            if (typed or band).accepts(given, suspect.value, allow_zero=True):
                found.setdefault(suspect.id, suspect)
        except (ValueError, TypeError):
            continue  # a shape that cannot be compared
    return list(found.values())
