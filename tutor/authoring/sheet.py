"""``tutor answers PATH --format md``: a printable answer sheet in Markdown. The lesson's title, each
graph drawn with its forward and backward values (in a code block, so it prints as drawn), then every
blank step by step: its letter, prompt and answer, computed by the engine for the file's values or a
variant. Lesson text is untrusted: control characters are removed before it is written."""

import numpy as np

from tutor.grading.compare import describe
from tutor.lessons import Lesson, text
from tutor.render.graph import render_graph
from tutor.render.mathtext import safe_text

LETTERS = "abcdefghijklmnopqrstuvwxyz"  # as the app marks a step's blanks
HEADINGS = {
    "ko": {"sheet": "정답지", "default": "파일에 적힌 값", "variant": "변형 --seed {seed}", "graphs": "그래프",
           "step": "{n}단계", "answer": "정답", "at": "이 값에서", "source": "출처"},
    "en": {"sheet": "answer sheet", "default": "the values in the file", "variant": "variant --seed {seed}",
           "graphs": "Graphs", "step": "Step {n}", "answer": "answer", "at": "at these values", "source": "Source"},
}


def answer_sheet(lesson: Lesson, seed: int | None = None, lang: str = "ko") -> str:
    words = HEADINGS[lang]
    instance = lesson.instance(seed=seed)
    out = [f"# {_clean(text(lesson.title, lang))} — {words['sheet']}", ""]
    chosen = ", ".join(f"{name} = {describe(value)}" for name, value in instance.inputs.items())
    variant = words["default"] if seed is None else words["variant"].format(seed=seed) + (f": {chosen}" if chosen else "")
    out += [f"`{lesson.id}` · {variant}", ""]
    if lesson.source:
        out += [f"{words['source']}: {_clean(text(lesson.source, lang))}", ""]
    if lesson.graphs:
        out += [f"## {words['graphs']}", ""]
    for name, spec in lesson.graphs.items():
        labels = {node: _clean(text(label, lang)) for node, label in spec.labels.items()}
        drawing = render_graph(instance.graph(name), values="both", labels=labels)
        out += [f"### {name}", "", "```text", *(line.plain.rstrip() for line in drawing), "```", ""]
    for number, step in enumerate(lesson.steps, 1):
        if not step.blanks:
            continue
        out += [f"## {words['step'].format(n=number)}: {_clean(text(step.title, lang))}", ""]
        for letter, pid in zip(LETTERS, step.blanks):
            problem = lesson.problem(pid)
            out.append(f"- **({letter}) `{pid}`** {_clean(text(problem.prompt, lang))}")
            out.append(f"  - {words['answer']}: {_answer(instance, problem, lang, words)}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


def _answer(instance, problem, lang: str, words: dict) -> str:
    if problem.type == "choice":
        number, option = next((n, o) for n, o in enumerate(problem.options, 1) if o.id == problem.answer)
        return f"**{number}) {_clean(text(option.text, lang))}** (`{option.id}`)"  # as learners see it, and the id
    value = instance.answer(problem.id)
    if problem.type == "expression":
        graph = instance.graph(problem.graph)
        point = ", ".join(f"{v} = {describe(graph.value(v))}" for v in problem.vars)
        return f"`{problem.answer}` — {words['at']} {point}: **{describe(value)}**"
    shown = describe(value) if np.ndim(value) == 0 else describe(np.ravel(value)).strip("[]")
    return f"**{shown}** (`{problem.answer}`)"


def _clean(s: str) -> str:
    """One line of untrusted text, without control characters, that cannot open a Markdown code span."""
    return " ".join(safe_text(s).split()).replace("`", "'")
