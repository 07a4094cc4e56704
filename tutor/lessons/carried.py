"""Inputs carried from an earlier answer. A graph input written ``{answer: PROBLEM}`` takes the value the
engine computes for that problem, in the file's values and in every variant: an unrolled training step
starts where the previous one ended (lesson 10's ``w1: {answer: w-after-one}``), so a variant of the first
weight reaches every later graph.

The graphs are built in the order these references give; a graph cannot take an answer computed on
itself or on a graph that takes one of its own.
"""

from .answers import evaluate, parse_answer


def carried_inputs(inputs) -> dict[str, str]:
    """``{input: problem id}`` for the inputs of a graph spec written ``{answer: PROBLEM}``."""
    if not isinstance(inputs, dict):
        return {}
    return {name: value["answer"] for name, value in inputs.items()
            if isinstance(value, dict) and set(value) == {"answer"} and isinstance(value["answer"], str)}


def graph_order(graphs: dict, problems: list, broken=()) -> tuple[list[str], dict[tuple[str, str], str | None]]:
    """Every graph, in an order where each carried input's problem is on a graph that comes before (a cycle
    at the end), and the complaints ``{(graph, input): message}`` about references that cannot be kept
    (None for a reference to a ``broken`` problem: that problem's own error says it)."""
    by_id = {problem.id: problem for problem in problems}
    needs: dict[str, set[str]] = {}
    complaints: dict[tuple[str, str], str] = {}
    for name, spec in graphs.items():
        needs[name] = set()
        for input_name, pid in carried_inputs(spec.get("inputs") if isinstance(spec, dict) else None).items():
            problem = by_id.get(pid)
            if problem is None and pid in broken:
                complaints[name, input_name] = None
            elif problem is None:
                from tutor.engine.dsl import did_you_mean

                complaints[name, input_name] = f"input '{input_name}' takes the answer of '{pid}', which is not " \
                                               f"a problem of this lesson{did_you_mean(pid, by_id)}"
            elif problem.type not in ("number", "vector") or problem.graph is None:
                complaints[name, input_name] = f"input '{input_name}' takes the answer of '{pid}': only a number " \
                                               "or vector problem with its graph: named can give an input"
            elif problem.graph == name:
                complaints[name, input_name] = f"input '{input_name}' takes the answer of '{pid}', which is " \
                                               f"computed on graph '{name}' itself"
            else:
                needs[name].add(problem.graph)
    order: list[str] = []
    while len(order) < len(needs):
        ready = [g for g in needs if g not in order and needs[g] <= set(order)]
        if not ready:  # the rest wait on each other
            for g in needs:
                if g not in order:
                    for input_name in carried_inputs(graphs[g].get("inputs") if isinstance(graphs[g], dict) else None):
                        complaints.setdefault((g, input_name), f"input '{input_name}' is part of a cycle: graph "
                                                               f"'{g}' waits for an answer that waits for it")
            break
        order += ready
    return order + [g for g in needs if g not in order], complaints


def carried_value(pid: str, problems: list, engines: dict, params: dict):
    """The file's value of an input carried from problem ``pid`` (its graph is built). Raises AnswerError."""
    problem = next(problem for problem in problems if problem.id == pid)
    return evaluate(parse_answer(problem.answer), engines[problem.graph], params)
