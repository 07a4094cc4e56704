"""``tutor answers PATH``: the answer key, computed by the engine for the file's values or a variant, as a
table, as JSON, or (``--format md``) as a printable answer sheet in Markdown: the lesson's title, each
graph drawn with its forward and backward values (in a code block, so it prints as drawn), then every
blank step by step: its letter, prompt and answer. Every answer is written as the grader shows it to a
learner (``shown_answer``: the digits its band needs), so typing it back is accepted. Lesson text is
untrusted: control characters are removed before it is written."""

import numpy as np

from tutor.grading.compare import band_of, describe
from tutor.grading.grade import shown_answer, worked
from tutor.lessons import Lesson, text
from tutor.render.graph import render_graph
from tutor.render.mathtext import safe_text

HEADINGS = {
    "ko": {"sheet": "정답지", "default": "파일에 적힌 값", "variant": "변형 --seed {seed}", "graphs": "그래프",
           "step": "{n}단계", "answer": "정답", "at": "이 값에서", "source": "출처"},
    "en": {"sheet": "answer sheet", "default": "the values in the file", "variant": "variant --seed {seed}",
           "graphs": "Graphs", "step": "Step {n}", "answer": "answer", "at": "at these values", "source": "Source"},
}


def answer_key(lesson: Lesson, seed: int | None) -> dict:
    """{"lesson": id, "answers": {problem id: value}, "shown": {problem id: text}}, plus "seed" and "inputs"
    for a variant. ``answers`` are the engine's values in full; ``shown`` is each as a learner sees it."""
    instance = lesson.instance(seed=seed)
    key = {"lesson": lesson.id, "answers": {p.id: _plain(instance.answer(p.id)) for p in lesson.problems},
           "shown": {p.id: shown_answer(instance, p.id) for p in lesson.problems}}
    if seed is not None:
        key["seed"] = seed
        key["inputs"] = {name: _plain(value) for name, value in instance.inputs.items()}
    return key


def answer_table(lesson: Lesson, key: dict, lang: str = "ko") -> list[str]:
    lines = [f"{lesson.id}: {text(lesson.title, lang)}  ({lesson.path})"]
    if "seed" in key:
        chosen = ", ".join(f"{name}={describe(value)}" for name, value in key["inputs"].items()) or "no variants"
        lines.append(f"variant --seed {key['seed']}: {chosen}")
    rows = [("problem", "type", "answer", "value")]
    rows += [(p.id, p.type, p.answer, key["shown"][p.id]) for p in lesson.problems]
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines.append("")
    lines += ["  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[3] for row in rows]
    return lines


def _plain(value):
    if isinstance(value, np.ndarray):
        return value.tolist()
    if isinstance(value, (np.floating, np.integer)):
        return value.item()
    return value


def answer_sheet(lesson: Lesson, seed: int | None = None, lang: str = "ko") -> str:
    words = HEADINGS[lang]
    instance = lesson.instance(seed=seed)
    out = [f"# {_clean(text(lesson.title, lang))} — {words['sheet']}", ""]
    named = {node: text(label, lang) for spec in lesson.graphs.values() for node, label in spec.labels.items()}
    chosen = ", ".join(f"{_clean(named.get(name, name))} = {describe(value)}" for name, value in instance.inputs.items())
    variant = words["default"] if seed is None else words["variant"].format(seed=seed) + (f": {chosen}" if chosen else "")
    out += [f"`{lesson.id}` · {variant}", ""]
    if lesson.source:
        out += [f"{words['source']}: {_clean(text(lesson.source, lang))}", ""]
    if lesson.graphs:
        out += [f"## {words['graphs']}", ""]
    for name, spec in lesson.graphs.items():
        labels = {node: _clean(text(label, lang)) for node, label in spec.labels.items()}
        drawing = render_graph(instance.graph(name), values="both", labels=labels, upstream=spec.upstream)
        out += [f"### {name}", "", "```text", *(line.plain.rstrip() for line in drawing), "```", ""]
    for number, step in enumerate(lesson.steps, 1):
        if not step.blanks:
            continue
        out += [f"## {words['step'].format(n=number)}: {_clean(text(step.title, lang))}", ""]
        for pid, letter in step.letters().items():
            problem = lesson.problem(pid)
            out.append(f"- **({letter}) `{pid}`** {_clean(text(problem.prompt, lang))}")
            out.append(f"  - {words['answer']}: {_answer(instance, problem, lang, words)}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _answer(instance, problem, lang: str, words: dict) -> str:
    """The answer as a learner is shown it, and how it is worked out: never the lesson's answer expression
    (DSL text) nor the author's option id (it may name the answer)."""
    if problem.type == "choice":
        number, option = next((n, o) for n, o in enumerate(problem.options, 1) if o.id == problem.answer)
        return f"**{number}) {_clean(text(option.text, lang))}**"
    value = instance.answer(problem.id)
    if problem.type == "expression":
        graph = instance.graph(problem.graph)
        point = ", ".join(f"{v} = {describe(graph.value(v))}" for v in problem.vars)
        return f"**{_clean(shown_answer(instance, problem.id))}** — {words['at']} {point}: {describe(value)}"
    shown = describe(value, band_of(instance.lesson, problem, value))
    shown = shown if np.ndim(value) == 0 else shown.replace("[", "").replace("]", "")
    steps = worked(instance, problem.id, lang)
    return f"**{shown}**" + (f" — {_clean(steps)}" if steps else "")


def _clean(s: str) -> str:
    """One line of untrusted text, without control characters, that cannot open a Markdown code span."""
    return " ".join(safe_text(s).split()).replace("`", "'")
