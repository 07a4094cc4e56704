"""What a lesson is, once loaded: the schema of its front matter (msgspec structs that refuse
unknown keys) and the Lesson, Step and error types built from it. These are msgspec structs too, not
dataclasses: on Python 3.11 a dataclass costs about 1 ms to create at import, and every `tutor grade`
imports them (issue 23)."""

from pathlib import Path
from typing import Any, Literal

import msgspec


class Localized(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    ko: str
    en: str | None = None


Text = str | Localized  # a plain string or {ko, en}


def text(localized, lang: str = "ko") -> str:
    """The text in ``lang``; a missing language falls back to Korean."""
    if localized is None:
        return ""
    if isinstance(localized, str):
        return localized
    if isinstance(localized, dict):
        return localized.get(lang) or localized.get("ko") or ""
    return getattr(localized, lang, None) or localized.ko


class Tolerance(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    rel: float | None = None
    abs: float | None = None


class Option(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: str
    text: Text


class Mistake(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    id: str
    answer: str  # an answer expression giving the wrong value
    message: Text


class Problem(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    answer: str  # an answer expression; for choice: an option id
    type: Literal["number", "expression", "vector", "choice"] = "number"
    graph: str | None = None  # filled in by the loader when the lesson has one graph
    prompt: Text = ""
    quiz_prompt: Text = ""  # the prompt as `tutor quiz` asks it, without the lesson around it
    hints: list[Text] = []
    tolerance: Tolerance | None = None
    vars: list[str] = []
    display: str | None = None  # an expression problem's answer as the learner may write it, if the tutor cannot
    options: list[Option] = []
    mistakes: list[Mistake] = []
    allow_zero: bool = False


PICKED = "option:"  # before an option's id: the mistake a wrong option is recorded as, when the author names none


class GraphSpec(msgspec.Struct, forbid_unknown_fields=True):
    # Maps are checked entry by entry by the loader (msgspec does not say which key was wrong).
    inputs: dict[str, Any] = {}
    nodes: dict[str, Any] = {}  # name -> expression text
    output: str | None = None  # the loader fills in the engine's choice when omitted
    labels: dict[str, Any] = {}  # node -> Text
    # An input standing for the gradient that flows into the graph from upstream (the book's ∂L/∂z): the
    # output multiplies it by one node, and the drawing shows it as an arrow into that node from the right.
    upstream: str | None = None


class VariantRange(msgspec.Struct, forbid_unknown_fields=True, frozen=True):
    int_range: list[int] | None = msgspec.field(name="int", default=None)
    float_range: list[float] | None = msgspec.field(name="float", default=None)
    step: float | None = None


Variant = list[Any] | VariantRange  # pick one of the list, or a number in the range


class FrontMatter(msgspec.Struct, forbid_unknown_fields=True):
    id: str
    title: Text
    source: Text | None = None
    requires: list[str] = []
    params: dict[str, Any] = {}
    graphs: dict[str, Any] = {}
    variants: dict[str, Any] = {}
    problems: list[Problem] = []
    charts: dict[str, Any] = {}  # name -> a chart spec (tutor.lessons.charts), shaped by the loader


class Issue(msgspec.Struct, frozen=True):
    path: str
    line: int  # 1-based
    col: int  # 1-based
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.col}: {self.message}"


class LessonError(ValueError):
    def __init__(self, issues: list[Issue], found: int | None = None):
        super().__init__("\n".join(str(issue) for issue in issues))
        self.issues = issues
        self.found = len(issues) if found is None else found  # more than shown when the list was cut short

    @property
    def path(self) -> str:
        return self.issues[0].path

    def __reduce__(self):  # made again from its issues: `tutor check` sends it from process to process
        return type(self), (self.issues, self.found)


BLANK_LETTERS = "abcdefghijklmnopqrstuvwxyz"


class Step(msgspec.Struct):
    title: Text
    ko: str
    en: str
    blanks: list[str] = []
    graphs: list[str] = []
    charts: list[str] = []
    line: int = 1  # where the step starts in the file

    def letters(self) -> dict[str, str]:
        """Each blank's letter, in the order of the step: the app marks it [a], the answer sheet (a)."""
        return {pid: BLANK_LETTERS[i % len(BLANK_LETTERS)] for i, pid in enumerate(self.blanks)}


class Lesson(msgspec.Struct):
    id: str
    title: Text
    source: Text | None
    requires: list[str]
    params: dict[str, float]
    graphs: dict[str, GraphSpec]
    variants: dict[str, Variant]
    problems: list[Problem]
    steps: list[Step]
    path: Path
    file_bytes: bytes  # the file as read, for content_hash
    engine_graphs: dict = {}  # name -> tutor.engine.Graph (file values)
    positions: dict = {}  # ("id",) / ("requires", i) -> (line, col)
    memo: dict = {}  # facts the grader derives once
    charts: dict = {}  # name -> tutor.lessons.charts.ChartSpec (graph and lr filled in)

    def __repr__(self) -> str:  # not the file's bytes, graphs and memo
        return f"Lesson(id={self.id!r}, path={str(self.path)!r})"

    def problem(self, pid: str) -> Problem:
        for problem in self.problems:
            if problem.id == pid:
                return problem
        raise KeyError(f"lesson '{self.id}' has no problem '{pid}'")

    @property
    def content_hash(self) -> str:
        """The file's sha256: progress notices an edited lesson. Computed when asked, since hashlib
        (OpenSSL) costs 4 ms of every command's start and only the app's progress asks."""
        import hashlib

        return hashlib.sha256(self.file_bytes).hexdigest()

    def instance(self, seed: int | None = None, values: dict | None = None):
        from .instance import LessonInstance

        return LessonInstance(self, seed, values)
