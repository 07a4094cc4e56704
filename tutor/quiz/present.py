"""What a quiz question and the summary look like as text: shared by the line mode and the quiz
screen. Lesson text is made safe here (no escape codes reach the terminal); no Textual."""

import re
from datetime import datetime

import numpy as np
from rich.text import Text

from tutor.lessons import text
from tutor.render.graph import render_graph
from tutor.render.mathtext import markdown_math, safe_text
from tutor.render.mistake_names import mistake_name
from tutor.render.numbers import format_number

from .messages import say
from .schedule import REVEALED

ASKED_MARK = "?"  # the value the question asks for
OTHER_MARK = "*"  # gradients not shown: they would give the asked one away

# value(node) or grad(node), maybe indexed: the drawing hides that node's value.
_SINGLE = re.compile(r"^\s*(value|grad)\(\s*([A-Za-z_]\w*)\s*\)\s*(\[[^\]]*\])?\s*$")


def lesson_text(localized, lang: str) -> str:
    """A lesson's string in ``lang``, its $math$ as Unicode, without control characters."""
    return safe_text(markdown_math(text(localized, lang)))


def _downstream(graph, node: str) -> set[str]:
    """Every node that ``node``'s value flows into, up to the output."""
    found, todo = set(), [consumer for consumer, _ in graph.consumers(node)]
    while todo:
        name = todo.pop()
        if name not in found:
            found.add(name)
            todo += [consumer for consumer, _ in graph.consumers(name)]
    return found


def _values_equal_to(graph, expected, leaves: bool = True) -> dict[tuple[str, str], str]:
    """Forward values equal to the answer, and those computed from them: drawn, they would give it
    away (an unrolled training step's next weight is an input of the next step's graph; ReLU of
    positive numbers is the product before it). ``leaves=False`` keeps the givens drawn."""
    if not isinstance(expected, (int, float, np.ndarray)):
        return {}
    equal = [name for name, value in graph.values.items()
             if graph.nodes[name].kind != "const" and (leaves or not graph.nodes[name].is_leaf)
             and np.shape(value) == np.shape(expected) and np.allclose(value, expected, rtol=1e-6)]
    hidden = {("forward", later): OTHER_MARK for name in equal for later in _downstream(graph, name)}
    return hidden | {("forward", name): ASKED_MARK for name in equal}


def hidden_values(problem, graph, expected=None) -> tuple[str, dict[tuple[str, str], str]]:
    """Which values to draw ("forward" or "both") and which to hide, for one question.

    A gradient question shows the backward values that lead to the asked one (the upstream
    gradients); the others are hidden, since some are computed from it or mirror it. Any other
    question draws forward values, less those equal to ``expected``."""
    single = _SINGLE.match(problem.answer)
    if not single or single[2] not in graph.nodes:
        return "forward", _values_equal_to(graph, expected)
    kind, node = single[1], single[2]
    if kind == "value":  # the node and any intermediate value equal to it; its givens stay
        return "forward", _values_equal_to(graph, expected, leaves=False) | {("forward", node): ASKED_MARK}
    upstream = _downstream(graph, node)
    hidden = {("backward", name): OTHER_MARK for name in graph.nodes if name not in upstream}
    hidden[("backward", node)] = ASKED_MARK
    return "both", hidden


def drawing(question, instance, lang: str, ascii: bool = False, width: int | None = 80) -> list[Text]:
    """The question's graph with the variant's numbers and the asked value hidden; [] for none."""
    problem = question.problem
    if problem.type == "choice" or not problem.graph or problem.graph not in question.lesson.graphs:
        return []
    graph = instance.graph(problem.graph)
    labels = {node: lesson_text(label, lang) for node, label in question.lesson.graphs[problem.graph].labels.items()}
    values, hidden = hidden_values(problem, graph, instance.answer(problem.id))
    lines = render_graph(graph, values=values, hidden=hidden, ascii=ascii, width=width, labels=labels,
                         upstream=question.lesson.graphs[problem.graph].upstream)
    return lines + [Text(line) for line in _matrix_lines(graph, hidden, labels)]


def _matrix_lines(graph, hidden, labels) -> list[str]:
    """The graph draws a matrix as its shape (2×2); the lesson's prose gives its numbers, which a
    quiz leaves out. So each given matrix (an input or parameter, not hidden) is written out here."""
    lines = []
    for name, node in graph.nodes.items():
        value = graph.values[name]
        if node.kind in ("input", "param") and np.ndim(value) == 2 and ("forward", name) not in hidden:
            rows = ", ".join("[" + ", ".join(format_number(x) for x in row) + "]" for row in value)
            lines.append(f"{labels.get(name, name)} = [{rows}]")
    return lines


def question_lines(question, lang: str) -> list[str]:
    """The prompt, the options of a choice, and what kind of answer is expected."""
    problem = question.problem
    # A prompt that leans on the lesson around it ("같은 dout과 W에서") has a quiz_prompt that stands alone.
    lines = [lesson_text(problem.quiz_prompt or problem.prompt, lang)]
    # numbered as the learner answers them; the ids are the author's, and may name the answer
    lines += [f"  {n}) {lesson_text(option.text, lang)}" for n, option in enumerate(problem.options, 1)]
    return lines


def answer_label(question, instance, lang: str) -> str:
    problem = question.problem
    if problem.type == "choice":
        return say("ask-choice", lang)
    if problem.type == "expression":
        return say("ask-expression", lang, vars=", ".join(problem.vars) or "-")
    size = int(np.size(instance.answer(problem.id)))
    return say("ask-vector", lang, size=size) if problem.type == "vector" or size > 1 else say("ask-number", lang)


def verdict_line(verdict, ascii: bool = False) -> str:
    """The grader's message, marked right or wrong (no mark when the answer could not be read)."""
    if verdict.invalid:
        return verdict.message
    marks = ("OK", "X") if ascii else ("✓", "✗")
    return f"{marks[0] if verdict.correct else marks[1]} {verdict.message}"


def when(moment: datetime) -> str:
    """A due time in the learner's own time zone, to the minute."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _kind_name(kind: str | None, summary, lang: str) -> str:
    return say("kind-revealed", lang) if kind == REVEALED else mistake_name(kind, lang, summary.made_at.get(kind))


def summary_lines(summary, lang: str) -> list[str]:
    lines = [say("summary", lang), say("score", lang, right=summary.right, asked=summary.asked)]
    if summary.asked < summary.total:
        lines[-1] += " " + say("not-asked", lang, count=summary.total - summary.asked)
    if summary.mistakes:
        lines.append(say("mistakes", lang))
        lines += [f"  - {_kind_name(kind, summary, lang)}: {count}" for kind, count in summary.mistakes]
    if summary.revisit:
        lines.append(say("revisit", lang))  # one a line, as the mistakes: titles have commas of their own
        lines += [f"  - {lesson_text(lesson.title, lang)}" for lesson in summary.revisit]
    if summary.due_now:
        lines.append(say("next-due-now", lang))
    elif summary.next_due is not None:
        lines.append(say("next-due", lang, when=when(summary.next_due)))
    else:
        lines.append(say("next-due-none", lang))
    return lines
