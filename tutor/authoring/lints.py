"""The lints of ``tutor check --strict``: what a valid lesson can still get wrong for its learners.

Each lint is a ``Lint`` printed as ``file:line:col: lint[code]: message``, so a reader (and an editor's
error list) tells them from the errors of ``tutor check``:

- ``graph-width``: every graph fits 80 columns, drawn in Unicode and ASCII, forward and backward,
  with Korean and English labels, for the file's values and the first variants.
- ``no-hint``: every problem has at least one hint of the author's own.
- ``mistake-is-answer``: a mistake's value differs from the right answer (else the grader accepts it
  and the mistake's message is never shown); and no variant makes one of the engine's wrong rules give
  the right answer by a coincidence of its numbers (lesson 5's x = y made the own input right).
- ``whole-band``: a tolerance on an answer that is a whole number in every variant does not accept the
  neighbouring whole number (601 for 600).
- ``formula-not-shown``: a formula problem's answer can be shown as a formula (the tutor writes it out,
  or the author gives ``display:``).
- ``internal-name``: prompts, hints, options and mistake messages name only what the learner sees (not a
  node the drawing shows by its label).
- ``one-language``: every string has Korean and English; every step with prose has an ``::: en`` block.
- ``step-too-long``: a step stays under ``MAX_BLOCKS`` Markdown blocks (each costs the app ~2-3 ms).
- ``answer-in-prose``: no blank's answer, written as a person would write it, is in its own step's prose
  (unless it is one of its graph's inputs: a given, not a result).
"""

import re
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import numpy as np
from markdown_it import MarkdownIt
from rich.cells import cell_len

from tutor.lessons import Issue, Lesson, Localized, text
from tutor.lessons import safe_yaml
from tutor.render.graph import render_graph
from tutor.render.numbers import format_number

from .truth import AUTHOR_CODES, findings

WIDTH = 80
MAX_BLOCKS = 40
VARIANT_SEEDS = 5  # besides the file's own values, the first variants are drawn and compared too
_HANGUL = re.compile("[\uac00-\ud7a3\u3131-\u318e]")
_PLACEHOLDER = re.compile(r"\{\{[^{}]*\}\}")
_BLOCK_TOKENS = {"fence", "code_block", "hr", "html_block"}  # self-contained blocks (nesting 0)


@dataclass(frozen=True)
class Lint(Issue):
    code: str = ""

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: lint[{self.code}]: {self.message}"


def lint_lesson(lesson: Lesson) -> list[Lint]:
    """Every lint of a lesson that loads without errors, in file order."""
    where = _Positions(lesson.path)
    instances = [lesson.instance()]
    if lesson.variants:
        instances += [lesson.instance(seed=seed) for seed in range(VARIANT_SEEDS)]
    found: list[Lint] = []
    for check in (_graph_width, _hints, _mistakes, _truth, _languages, _step_blocks, _answers_in_prose):
        found += check(lesson, instances, where)
    return sorted(found, key=lambda lint: (lint.line, lint.col, lint.code))


class _Positions:
    """Where things are in the lesson file: front matter keys by their YAML path (read again with the
    lessons' safe reader: the loader keeps only a few positions), and the file's lines."""

    def __init__(self, path: Path):
        self.path = safe_yaml.escaped_name(path)
        self.lines = path.read_bytes().decode("utf-8-sig").replace("\r\n", "\n").replace("\r", "\n").split("\n")
        close = next(i for i in range(1, len(self.lines)) if self.lines[i].rstrip() == "---")
        self.doc = safe_yaml.read_yaml("\n".join(self.lines[1:close]) + "\n")

    def lint(self, code: str, keys: tuple, message: str, at_key: bool = False) -> Lint:
        line, col = self.at(keys, at_key)
        return Lint(self.path, line, col, message, code)

    def at(self, keys: tuple, at_key: bool = False) -> tuple[int, int]:
        """Where the value at ``keys`` starts (or its key, with ``at_key``), else its nearest parent."""
        while keys and keys not in self.doc.values and keys not in self.doc.keys:
            keys = keys[:-1]
        first, second = (self.doc.keys, self.doc.values) if at_key else (self.doc.values, self.doc.keys)
        mark = first.get(keys) or second.get(keys)
        return (mark.line + 2, mark.column + 1) if mark else (2, 1)  # the front matter starts on line 2


def _variant(instance) -> str:
    return "" if instance.seed is None else f" (variant --seed {instance.seed})"


# ---- graph-width --------------------------------------------------------------------------------

def _graph_width(lesson: Lesson, instances, where: _Positions) -> list[Lint]:
    found = []
    for name, spec in lesson.graphs.items():
        widest, how = 0, ""
        for instance in instances:
            graph = instance.graph(name)
            for lang in ("ko", "en"):
                labels = {node: text(label, lang) for node, label in spec.labels.items()}
                for ascii in (False, True):
                    for values in ("forward", "both"):
                        lines = render_graph(graph, values=values, ascii=ascii, width=WIDTH, labels=labels)
                        width = max((cell_len(line.plain) for line in lines), default=0)
                        if width > widest:
                            drawing = f"{'ASCII' if ascii else 'Unicode'}, {'forward' if values == 'forward' else 'backward'}"
                            seed = "" if instance.seed is None else f", variant --seed {instance.seed}"
                            widest, how = width, f"{drawing}, {lang} labels{seed}"
        if widest > WIDTH:
            found.append(where.lint("graph-width", ("graphs", name), f"graph '{name}' is {widest} columns wide "
                                    f"({how}); keep it within {WIDTH}: shorter labels or fewer nodes per graph", at_key=True))
    return found


# ---- no-hint ---------------------------------------------------------------------------------------

def _hints(lesson: Lesson, instances, where: _Positions) -> list[Lint]:
    return [where.lint("no-hint", ("problems", i), f"problem '{p.id}' has no hint: add hints: [{{ko: ..., en: ...}}]")
            for i, p in enumerate(lesson.problems) if not p.hints]


# ---- mistake-is-answer ---------------------------------------------------------------------------

def _mistakes(lesson: Lesson, instances, where: _Positions) -> list[Lint]:
    """A choice problem's mistake that is its right option (a number's: ``truth``, in ``_truth``)."""
    found = []
    for i, problem in enumerate(lesson.problems):
        for j, mistake in enumerate(problem.mistakes):
            if problem.type == "choice" and mistake.answer == problem.answer:
                found.append(where.lint("mistake-is-answer", ("problems", i, "mistakes", j, "answer"),
                                        f"mistake '{mistake.id}' is the right option '{problem.answer}'"))
    return found


# ---- whole-band, mistake-is-answer, formula-not-shown, internal-name --------------------------------------

def _truth(lesson: Lesson, instances, where: _Positions) -> list[Lint]:
    """What the learner is told must be true (``tutor.authoring.truth``), for the file's values and 20
    variants: the invariants whose breaking is the author's to fix."""
    return [where.lint(finding.code, finding.keys, finding.message, at_key=finding.keys == ("variants",))
            for finding in findings(lesson, authors_only=True) if finding.code in AUTHOR_CODES]


# ---- one-language --------------------------------------------------------------------------------

def _languages(lesson: Lesson, instances, where: _Positions) -> list[Lint]:
    strings: list[tuple[tuple, object]] = [(("title",), lesson.title), (("source",), lesson.source)]
    for name, spec in lesson.graphs.items():
        strings += [(("graphs", name, "labels", node), label) for node, label in spec.labels.items()]
    for i, p in enumerate(lesson.problems):
        strings.append((("problems", i, "prompt"), p.prompt))
        strings.append((("problems", i, "quiz_prompt"), p.quiz_prompt))
        strings += [(("problems", i, "hints", j), hint) for j, hint in enumerate(p.hints)]
        strings += [(("problems", i, "options", j, "text"), option.text) for j, option in enumerate(p.options)]
        strings += [(("problems", i, "mistakes", j, "message"), m.message) for j, m in enumerate(p.mistakes)]
    found = [where.lint("one-language", keys, f"{_name(keys)} {missing}") for keys, value in strings
             if value not in (None, "") and (missing := _missing_language(value))]
    for number, step in enumerate(lesson.steps, 1):
        heading = where.lines[step.line - 1]
        if heading.startswith("##") and not isinstance(step.title, Localized):
            found.append(Lint(where.path, step.line, 1, f"step {number}'s heading has one language: write it as "
                                                       "'## 한국어 제목 / English title'", "one-language"))
        if step.en == step.ko and _HANGUL.search(_PLACEHOLDER.sub("", step.ko)):
            found.append(Lint(where.path, step.line, 1, f"step {number} has no English: add a '::: en' block "
                                                       "(ending with ':::') after the Korean", "one-language"))
    return found


def _missing_language(value) -> str | None:
    if isinstance(value, str):
        return "has one language: write {ko: ..., en: ...}"
    if not (value.en or "").strip():
        return "has no English (en)"
    if not value.ko.strip():
        return "has no Korean (ko)"
    return None


def _name(keys: tuple) -> str:
    return "".join(f"[{k}]" if isinstance(k, int) else (f".{k}" if i else k) for i, k in enumerate(keys))


# ---- step-too-long ---------------------------------------------------------------------------------

_markdown = MarkdownIt("commonmark").enable("table")


def markdown_blocks(markdown: str) -> int:
    """How many block widgets Textual's Markdown builds for this text (paragraphs, headings, list items,
    table rows and cells, code blocks...): its cost grows with this count."""
    tokens = _markdown.parse(markdown)
    return sum(1 for token in tokens if token.nesting == 1 or token.type in _BLOCK_TOKENS)


def _step_blocks(lesson: Lesson, instances, where: _Positions) -> list[Lint]:
    found = []
    for number, step in enumerate(lesson.steps, 1):
        for lang, prose in (("Korean", step.ko), ("English", step.en)):
            blocks = markdown_blocks(_PLACEHOLDER.sub("", prose))
            if blocks > MAX_BLOCKS:
                found.append(Lint(where.path, step.line, 1, f"step {number} has {blocks} Markdown blocks in {lang}; "
                                                           f"keep a step under {MAX_BLOCKS}: split it with a '##' "
                                                           "heading", "step-too-long"))
                break
    return found


# ---- answer-in-prose -------------------------------------------------------------------------------

def _written(value) -> list[str]:
    """The ways a person writes this answer: ``2.2``; ``60000`` and ``60,000``; ``14/3`` and ``4.667``;
    a vector as ``3, 6, 9``."""
    array = np.asarray(value, dtype=np.float64)
    if array.ndim:
        return [", ".join(format_number(v) for v in array.ravel())]
    number = float(array)
    forms = [format_number(number)]
    if number.is_integer() and abs(number) >= 1000:
        forms.append(f"{int(number):,}")
    fraction = Fraction(number).limit_denominator(100)
    if fraction.denominator > 1 and abs(float(fraction) - number) <= 1e-9 * abs(number):
        forms.append(f"{fraction.numerator}/{fraction.denominator}")
    return forms


def _written_pattern(form: str) -> re.Pattern:
    """``form`` as a whole number in text: not a piece of 12.25 or 2.2e3, but 2 in "2입니다" or "110원"
    (Korean particles and units follow a number without a space); any spacing after commas."""
    body = r",\s*".join(re.escape(part) for part in form.split(", "))
    return re.compile(rf"(?<![0-9A-Za-z_.]){body}(?![0-9A-Za-z_]|\.\d|/\d)")


def _is_given(answer, graph) -> bool:
    """The answer is written as one of the graph's inputs is (60,000 samples, and SGD's 60,000 iterations)."""
    inputs = (graph.values[name] for name, node in graph.nodes.items() if node.kind in ("input", "param"))
    return _written(answer)[0] in {_written(value)[0] for value in inputs}


def _answers_in_prose(lesson: Lesson, instances, where: _Positions) -> list[Lint]:
    instance = instances[0]  # the blank version a learner first sees: the file's own values
    ends = [step.line for step in lesson.steps[1:]] + [len(where.lines) + 1]
    found = []
    for number, (step, end) in enumerate(zip(lesson.steps, ends), 1):
        lines = [_PLACEHOLDER.sub(lambda m: " " * len(m.group()), line) for line in where.lines[step.line - 1:end - 1]]
        for pid in step.blanks:
            problem = lesson.problem(pid)
            if problem.type not in ("number", "vector"):
                continue
            answer = instance.answer(pid)
            if problem.graph is not None and _is_given(answer, instance.graph(problem.graph)):
                continue  # a given of the problem, not a result: the prose may state it
            for form in _written(answer):
                pattern = _written_pattern(form)
                hit = next(((offset, m.start()) for offset, line in enumerate(lines) if (m := pattern.search(line))),
                           None)
                if hit:
                    found.append(Lint(where.path, step.line + hit[0], hit[1] + 1,
                                      f"the answer to blank '{pid}' ({form}) is written in step {number}'s text: "
                                      "the learner can copy it", "answer-in-prose"))
                    break
    return found
