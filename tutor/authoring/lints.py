"""The lints of ``tutor check --strict``: what a valid lesson can still get wrong for its learners.

Each lint is a ``Lint`` printed as ``file:line:col: lint[code]: message``, so a reader (and an editor's
error list) tells them from the errors of ``tutor check``:

- ``graph-width``: every graph fits 80 columns, drawn in Unicode and ASCII, forward and backward,
  with Korean and English labels, for the file's values and the first variants.
- ``few-hints``: every problem has at least two hints of the author's own, from the general rule to the
  specific step.
- ``hint-reveals``: a problem's first hint does not give its answer away: not the number as a person writes
  it (for the file's values or a variant; a given of the graph aside), not a formula the grader accepts,
  not the right option's text.
- ``mistake-is-answer``: a mistake's value differs from the right answer (else the grader accepts it
  and the mistake's message is never shown); and no variant makes one of the engine's wrong rules give
  the right answer by a coincidence of its numbers (lesson 5's x = y made the own input right).
- ``whole-band``: a tolerance on an answer that is a whole number in every variant does not accept the
  neighbouring whole number (601 for 600).
- ``formula-not-shown``: a formula problem's answer can be shown as a formula (the tutor writes it out,
  or the author gives ``display:``).
- ``internal-name``: prompts, hints, options and mistake messages name only what the learner sees (not a
  node the drawing shows by its label).
- ``one-language``: every string has Korean and English; every step with prose has an ``::: en`` block; a
  heading splits into its Korean and English at the ' / ' its author meant (not '## 1단계: / 노드 / …').
- ``step-too-long``: a step stays under ``MAX_BLOCKS`` Markdown blocks (each costs the app ~2-3 ms).
- ``answer-in-prose``: no blank's answer, written as a person would write it, is in its own step's prose
  (unless it is one of its graph's inputs: a given, not a result).
"""

import re
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


class Lint(Issue, frozen=True):
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
                        lines = render_graph(graph, values=values, ascii=ascii, width=WIDTH, labels=labels,
                                             upstream=spec.upstream)
                        width = max((cell_len(line.plain) for line in lines), default=0)
                        if width > widest:
                            drawing = f"{'ASCII' if ascii else 'Unicode'}, {'forward' if values == 'forward' else 'backward'}"
                            seed = "" if instance.seed is None else f", variant --seed {instance.seed}"
                            widest, how = width, f"{drawing}, {lang} labels{seed}"
        if widest > WIDTH:
            found.append(where.lint("graph-width", ("graphs", name), f"graph '{name}' is {widest} columns wide "
                                    f"({how}); keep it within {WIDTH}: shorter labels or fewer nodes per graph", at_key=True))
    return found


# ---- few-hints, hint-reveals ---------------------------------------------------------------------------

MIN_HINTS = 2
_FORMULA_RUN = re.compile(r"[A-Za-z0-9_.+\-−–*/×÷·⋅^()\[\] ⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+")
_FORMULA_TOKEN = re.compile(r"[A-Za-z_]\w*|[0-9]+(?:\.[0-9]+)?|[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+|\S")


def _hints(lesson: Lesson, instances, where: _Positions) -> list[Lint]:
    found = []
    for i, problem in enumerate(lesson.problems):
        count = len(problem.hints)
        if count < MIN_HINTS:
            found.append(where.lint("few-hints", ("problems", i), f"problem '{problem.id}' has {count} hint"
                                    f"{'s' * (count != 1)}; give at least {MIN_HINTS}, the general rule first and the "
                                    "specific step last: hints: [{ko: ..., en: ...}, {ko: ..., en: ...}]"))
        if count and (given_away := _revealed(lesson, problem, instances)):
            found.append(where.lint("hint-reveals", ("problems", i, "hints", 0), f"the first hint of problem "
                                    f"'{problem.id}' gives the answer away ({given_away}): start from the general "
                                    "rule and keep the answer for the last hint"))
    return found


def _revealed(lesson: Lesson, problem, instances) -> str | None:
    """What in the problem's first hint (in either language) is its answer, if anything is."""
    hint = problem.hints[0]
    texts = [text(hint, "ko"), text(hint, "en")]
    if problem.type == "choice":
        return _option_named(problem, texts)
    if problem.type == "expression":
        return next(filter(None, (_formula_in(instances[0], problem, t) for t in texts)), None)
    from tutor.grading import grade  # here: only this lint grades

    numbers = [n for t in texts for n in _numbers_in(t, vector=problem.type == "vector")]
    for instance in instances:
        if problem.graph is not None and _is_given(instance.answer(problem.id), instance.graph(problem.graph)):
            continue  # a given of the problem: the hint may name it
        for number in numbers:
            if grade(instance, problem.id, number).correct:
                return number + _variant(instance)
    return None


_NUMBER = re.compile(r"[-−]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+(?:\.[0-9]+)?(?:/[0-9]+(?:\.[0-9]+)?)?)")
_VECTOR = re.compile(r"[-−]?[0-9]+(?:\.[0-9]+)?(?:\s*,\s*[-−]?[0-9]+(?:\.[0-9]+)?)+")
_IN_A_FORMULA = set("+-−–*/×÷·⋅^()[]_ŷ") | set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


def _numbers_in(hint: str, vector: bool) -> list[str]:
    """The numbers a hint states (a list of them for a vector blank): not one that is part of a formula,
    as the 1 of y(1 − y) or the 2 of 2·(ŷ − y), which the grader would read alone."""
    found = []
    for match in (_VECTOR if vector else _NUMBER).finditer(hint):
        before, after = hint[:match.start()].rstrip()[-1:], hint[match.end():].lstrip()[:1]
        if before not in _IN_A_FORMULA and after not in _IN_A_FORMULA:
            found.append(match.group())
    return found


def _option_named(problem, texts: list[str]) -> str | None:
    """The right option's text, written in the hint when the other options' are not (naming every option
    compares them, which gives nothing away)."""
    def named(option) -> bool:
        return any(text(option.text, lang).casefold() in t.casefold() for lang, t in zip(("ko", "en"), texts))

    right = next(option for option in problem.options if option.id == problem.answer)
    others = [option for option in problem.options if option.id != problem.answer]
    return f"'{text(right.text, 'en')}'" if named(right) and not all(named(o) for o in others) else None


def _formula_in(instance, problem, hint: str) -> str | None:
    """A piece of the hint that the grader accepts as the answer: a run of formula characters, cut at any
    two of its tokens, that uses one of the problem's variables (a bare number is a hint's given: x grows
    by 1)."""
    from tutor.grading import grade  # here: only this lint grades (tutor check starts without the grader)

    for run in _FORMULA_RUN.finditer(hint):
        tokens = _FORMULA_TOKEN.findall(run.group())
        for start in range(len(tokens)):
            for end in range(len(tokens), start, -1):
                piece = "".join(tokens[start:end])
                if not any(token in problem.vars for token in tokens[start:end]) or \
                        piece.count("(") != piece.count(")"):
                    continue
                if grade(instance, problem.id, piece).correct:
                    return piece
    return None


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
    found = [where.lint("one-language", keys, f"{_name(lesson, keys)} {missing}") for keys, value in strings
             if value not in (None, "") and (missing := _missing_language(value))]
    for number, step in enumerate(lesson.steps, 1):
        heading = where.lines[step.line - 1]
        if heading.startswith("##") and not isinstance(step.title, Localized):
            found.append(Lint(where.path, step.line, 1, f"step {number}'s heading has one language: write it as "
                                                       "'## 한국어 제목 / English title'", "one-language"))
        elif isinstance(step.title, Localized) and " / " in step.title.en:
            found.append(Lint(where.path, step.line, 1, f"step {number}'s heading splits at its first ' / ' into "
                                                       f"'{step.title.ko}' and '{step.title.en}': write a / inside "
                                                       "a title without spaces around it, as '/'", "one-language"))
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


def _name(lesson: Lesson, keys: tuple) -> str:
    """``problem 'dx' hints[1]``, ``graphs.shop.labels.price``: a problem by its id, as the author names it."""
    if keys[0] == "problems":
        return f"problem '{lesson.problems[keys[1]].id}' " + _name(lesson, keys[2:])
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
