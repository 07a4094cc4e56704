"""What the learner is told must be true: properties of every problem of a lesson, for the file's values
and many variants, checked against the engine (issue 15).

1. shown = accepted: every expected answer the tutor shows is accepted when typed back.
2. exact where exact: a whole-number answer is graded exactly (601 is not 600) unless its author's band
   says otherwise, and then the band must not make a neighbouring whole number right.
3. no false diagnosis: no mistake is told for an accepted answer; no wrong rule (the author's or the
   engine's) gives the right answer by a coincidence of the variant's numbers (lesson 5's x = y).
4. formulas shown as formulas: a formula problem's solution is a formula the grader accepts; a name that
   is not one of its vars is refused with the vars named.
5. no internal names: no learner-facing text names a node the learner cannot see (a labelled node's own
   name, an unnamed node's generated name) or is written in the lessons' DSL.
7. carried forward: a blank computed from an earlier blank accepts what follows from that blank's shown
   (rounded) answer.

``findings(lesson)`` checks a lesson and returns what breaks. Some findings are the author's to fix (the
lints of ``tutor check --strict``: ``AUTHOR_CODES``); the others would be defects of the tutor itself and
are what the course-wide invariant test asserts never happen.
"""

import re
from dataclasses import dataclass

import numpy as np

from tutor.engine import GraphError
from tutor.grading import grade, hints, solution
from tutor.grading.compare import band_of, instance_of, whole_everywhere
from tutor.grading.grade import formula_points, shown_answer, shown_formula
from tutor.grading.mistakes import gradient_target, suspects, value_suspects
from tutor.lessons import AnswerError, text

SEEDS = range(20)  # as `tutor check` computes its variants
AUTHOR_CODES = {"whole-band", "mistake-is-answer", "formula-not-shown", "internal-name"}
LANGS = ("ko", "en")
_DSL = re.compile(r"\b(?:value|grad|local|d)\([^()]*\)|\*\*|\w \* \w")


@dataclass(frozen=True)
class Finding:
    code: str
    keys: tuple  # where in the front matter it is the author's to fix: ("problems", 3, "mistakes", 0, "answer")
    message: str
    subject: str = ""  # what it is about (a problem, a mistake): one finding per code, place and subject


def findings(lesson, seeds=SEEDS, authors_only: bool = False) -> list[Finding]:
    """Every broken invariant of the lesson, for the file's values and the variants of ``seeds``; with
    ``authors_only`` only those its author can fix (the cheaper checks)."""
    seeds = [None, *(seeds if lesson.variants else ())]
    found: dict[tuple, Finding] = {}  # one finding per code and place: the first variant that shows it
    for i, problem in enumerate(lesson.problems):
        for seed in seeds:
            try:
                inst = instance_of(lesson, seed)
                checks = _author_checks(inst, i, problem)
                if not authors_only:
                    checks += _tutor_checks(inst, problem)
            except (AnswerError, GraphError, ValueError, ArithmeticError):
                continue  # a variant the engine cannot compute: `tutor check` reports it
            for finding in checks:
                found.setdefault((finding.code, finding.keys, finding.subject), finding)
    for finding in _author_texts(lesson):
        found.setdefault((finding.code, finding.keys, finding.subject), finding)
    return list(found.values())


def variant(inst) -> str:
    if inst.seed is None:
        return "the file's values"
    chosen = ", ".join(f"{k} = {_number(v)}" for k, v in inst.inputs.items())
    return f"variant --seed {inst.seed}" + (f" ({chosen})" if chosen else "")


# ---- what the author can fix ---------------------------------------------------------------------------

def _author_checks(inst, i: int, problem) -> list[Finding]:
    if problem.type == "choice":
        return []
    found = []
    right = inst.answer(problem.id)
    band = band_of(inst.lesson, problem, right)
    if problem.type in ("number", "vector") and problem.tolerance is not None and whole_everywhere(inst.lesson, problem):
        neighbour = np.array(right, dtype=np.float64) + np.eye(1, np.size(right)).reshape(np.shape(right))
        if band.accepts(neighbour, right, problem.allow_zero):
            found.append(Finding("whole-band", ("problems", i, "tolerance"),
                                 f"problem '{problem.id}': its answer is a whole number in every variant, and the "
                                 f"tolerance accepts {_number(neighbour)} for {_number(right)}; remove the tolerance "
                                 "(whole numbers are graded exactly) or narrow it below 1", problem.id))
    if problem.type == "expression":
        if shown_formula(inst, problem) is None:
            found.append(Finding("formula-not-shown", ("problems", i),
                                 f"problem '{problem.id}': the tutor cannot write its answer as a formula in "
                                 f"{', '.join(problem.vars)} (or the display: given is not the answer); add "
                                 "display: with the formula a learner would write", problem.id))
        return found
    for j, mistake in enumerate(problem.mistakes):
        wrong = inst.evaluate(mistake.answer, problem.graph)
        if band.accepts(wrong, right, allow_zero=True):
            found.append(Finding("mistake-is-answer", ("problems", i, "mistakes", j, "answer"),
                                 f"mistake '{mistake.id}' gives {_number(wrong)}, which is accepted as the right "
                                 f"answer {_number(right)} in {variant(inst)}; its message would never show", mistake.id))
    # The file's own values are the author's chosen example (often the lecture's: x = 1 makes ∂t/∂x = 1 the
    # value of x); a variant is a random draw, which the author constrains: a coincidence the draw made.
    example = instance_of(inst.lesson, None)
    in_example = {rule.id for rule in _coincidences(example, problem, band, example.answer(problem.id))}
    for rule in _coincidences(inst, problem, band, right) if inst.seed is not None else ():
        if rule.id in in_example:
            continue
        found.append(Finding("mistake-is-answer", ("variants",),
                             f"problem '{problem.id}': the engine's mistake '{rule.id}' gives {_number(rule.value)}, "
                             f"the right answer, in {variant(inst)}: a learner who makes that mistake is marked "
                             "right; choose values where it cannot happen", f"{problem.id}/{rule.id}"))
    return found


def _coincidences(inst, problem, band, right) -> list:
    """The engine's wrong rules that give the right answer here but not at other points of the graph: a
    coincidence of these numbers (own input = other input when x = y), not the rule being right."""
    graph = inst.graph(problem.graph)
    target = gradient_target(problem.answer, graph)
    try:
        here = suspects(graph, target) if target else value_suspects(problem.answer, graph)
        hits = [k for k, s in enumerate(here) if band.accepts(s.value, right, allow_zero=True)]
        if not hits:
            return []
        elsewhere = [(suspects(g, target) if target else value_suspects(problem.answer, g), want)
                     for _, g, want in ((p[0], p[0].graph(problem.graph), p[2]) for p in formula_points(inst, problem)[1:])]
    except (GraphError, ValueError, AnswerError):
        return []
    return [here[k] for k in hits
            if any(len(rules) == len(here) and not band.accepts(rules[k].value, want, allow_zero=True)
                   for rules, want in elsewhere)]


def _author_texts(lesson) -> list[Finding]:
    """Prompts, hints, options and mistake messages that name a node the learner cannot see."""
    found = []
    for i, problem in enumerate(lesson.problems):
        hidden = hidden_names(lesson, problem.graph)
        texts = [(("problems", i, "prompt"), problem.prompt)]
        texts += [(("problems", i, "hints", j), hint) for j, hint in enumerate(problem.hints)]
        texts += [(("problems", i, "options", j, "text"), o.text) for j, o in enumerate(problem.options)]
        texts += [(("problems", i, "mistakes", j, "message"), m.message) for j, m in enumerate(problem.mistakes)]
        for keys, value in texts:
            for lang in LANGS:
                name = internal_name(text(value, lang), hidden, dsl=False)
                if name:
                    found.append(Finding("internal-name", keys, f"problem '{problem.id}' writes '{name}', a name the "
                                                                f"learner never sees; write what the graph shows", problem.id))
                    break
    return found


# ---- what the tutor itself must never do -----------------------------------------------------------

def _tutor_checks(inst, problem) -> list[Finding]:
    found = []
    pid, where = problem.id, f"problem '{problem.id}' in {variant(inst)}"
    hidden = hidden_names(inst.lesson, problem.graph)
    authors = {m.id for m in problem.mistakes}  # the author's words are linted as the author's (internal-name)
    if problem.type == "expression" and shown_formula(inst, problem) is None:
        return []  # no formula to show: the author's to fix (formula-not-shown)
    shown = shown_answer(inst, pid)
    verdict = grade(inst, pid, shown)
    if not verdict.correct:
        found.append(Finding("shown-refused", (pid,), f"{where}: the shown answer {shown} is refused: {verdict.message}", pid))
    texts = [verdict.message]
    for lang in LANGS:
        worked = solution(inst, pid, lang)
        if shown not in worked:
            found.append(Finding("shown-refused", (pid,), f"{where}: the solution does not show {shown}: {worked}", pid))
        own = {text(hint, lang) for hint in problem.hints}  # the author's, linted as the author's (internal-name)
        texts += [worked, *(hint for hint in hints(inst, pid, lang) if hint not in own)]
    if problem.type in ("number", "vector"):
        right = inst.answer(pid)
        if whole_everywhere(inst.lesson, problem) and problem.tolerance is None:
            off = _typed(np.array(right, dtype=np.float64) + np.eye(1, np.size(right)).reshape(np.shape(right)))
            if grade(inst, pid, off).correct:
                found.append(Finding("inexact-whole", (pid,), f"{where}: {off} is accepted for the whole number {shown}", pid))
        for value in _wrong_values(inst, problem):
            for lang in LANGS:
                wrong = grade(inst, pid, _typed(value), lang)
                if wrong.mistake not in authors:
                    texts.append(wrong.message)
                if wrong.correct and wrong.mistake:
                    found.append(Finding("false-diagnosis", (pid,), f"{where}: {_typed(value)} is accepted and "
                                                                    f"told the mistake '{wrong.mistake}'", pid))
        found += _carry_checks(inst, problem, where)
    if problem.type == "expression":
        found += _formula_checks(inst, problem, where, texts)
    for message in texts:
        name = internal_name(message, hidden)
        if name:
            found.append(Finding("internal-name-shown", (pid,), f"{where}: the tutor writes '{name}': {message}", pid))
    return found


def _wrong_values(inst, problem) -> list:
    """The values the author's mistakes and the engine's rules give: what learners type when wrong."""
    graph = inst.graph(problem.graph)
    values = [inst.evaluate(m.answer, problem.graph) for m in problem.mistakes]
    target = gradient_target(problem.answer, graph)
    try:
        values += [s.value for s in (suspects(graph, target) if target else value_suspects(problem.answer, graph))]
    except (GraphError, ValueError):
        pass
    return [v for v in values if np.all(np.isfinite(v)) and np.size(v) == np.size(inst.answer(problem.id))]


def _formula_checks(inst, problem, where: str, texts: list) -> list[Finding]:
    found = []
    graph = inst.graph(problem.graph)
    outside = [n for n, node in graph.nodes.items() if node.named and node.kind != "const" and n not in problem.vars]
    for name in outside[:1]:
        verdict = grade(inst, problem.id, name, "en")
        if not verdict.invalid or not all(v in verdict.message for v in problem.vars):
            found.append(Finding("formula-var", (problem.id,), f"{where}: '{name}' is not refused with the vars "
                                                               f"named: {verdict.message}", problem.id))
    for value in ("1", "0", *problem.vars):
        verdict = grade(inst, problem.id, value)
        texts.append(verdict.message.replace(text(next((m.message for m in problem.mistakes
                                                         if m.id == verdict.mistake), ""), "ko"), ""))
    return found


def _carry_checks(inst, problem, where: str) -> list[Finding]:
    """An earlier blank answered with its shown (rounded) answer: this blank accepts what follows from it."""
    from tutor.grading.carry import carried_answer

    found = []
    lesson = inst.lesson
    for earlier in lesson.problems[: lesson.problems.index(problem)]:
        if earlier.type not in ("number", "vector"):
            continue
        typed = shown_answer(inst, earlier.id)
        carried = carried_answer(inst, problem, {earlier.id: typed})
        if carried is None:
            continue
        answer = band_of(lesson, problem, carried.value).shown(carried.value)
        if not grade(inst, problem.id, answer, earlier={earlier.id: typed}).correct:
            found.append(Finding("carry-refused", (problem.id,), f"{where}: {answer}, which follows from "
                                                                 f"{earlier.id} = {typed}, is refused", problem.id))
    return found


# ---- names -----------------------------------------------------------------------------------------------

def hidden_names(lesson, graph_name: str | None) -> set[str]:
    """The names of a graph's nodes the learner never sees: an unnamed node's generated name, and the name
    of a node the drawing shows by its label (unless the label spells it)."""
    if graph_name is None:
        return set()
    graph = lesson.engine_graphs[graph_name]
    spec = lesson.graphs[graph_name]
    # an unnamed node is named by its source text (w + h), which reads as mathematics; a repeat of it is
    # not (w + h #2), and DSL text (s0 * x1) is caught as DSL wherever it appears
    hidden = {name for name, node in graph.nodes.items() if not node.named and "#" in name}
    written = " ".join(text(label, lang) for label in spec.labels.values() for lang in LANGS)
    hidden |= {name for name in spec.labels if not re.search(rf"(?<!\w){re.escape(name)}(?!\w)", written)}
    shown_elsewhere = {n for g, s in lesson.graphs.items() if g != graph_name
                       for n, node in lesson.engine_graphs[g].nodes.items() if node.named and n not in s.labels}
    return {name for name in hidden if name not in shown_elsewhere or not graph.nodes[name].named}


def internal_name(message: str, hidden: set[str], dsl: bool = True) -> str | None:
    """The first hidden name (as a whole word) or piece of DSL text in a message, else None."""
    for name in sorted(hidden, key=len, reverse=True):
        if re.search(rf"(?<![\w.-]){re.escape(name)}(?![\w(-])", message):  # not in iters-per-epoch
            return name
    match = _DSL.search(message) if dsl else None
    return match.group() if match else None


# ---- writing numbers ----------------------------------------------------------------------------------

def _typed(value) -> str:
    array = np.asarray(value, dtype=np.float64)
    return ", ".join(repr(float(v)) for v in array.ravel()) if array.ndim else repr(float(array))


def _number(value) -> str:
    from tutor.render.numbers import format_value

    return format_value(value)
