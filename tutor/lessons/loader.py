"""Read and check lesson files (DESIGN.md, "Lesson file (format v1)").

A lesson file is untrusted: it is size-capped before it is read, decoded strictly, read as YAML through
``safe_yaml`` (no tags, no aliases, no deep nesting), shaped by msgspec structs that refuse unknown
keys, and every graph and answer is computed by the engine for the file's values. ``tutor check``
(``check_variants=True``) also computes every answer for 20 variants; loading a lesson to teach or
grade it does not repeat that (it is most of the loading time). Every problem found becomes an Issue
with the file's line and column.
"""

import functools
import itertools
import math
import os
import pickle
import re
import stat
from pathlib import Path
from types import UnionType
from typing import Union, get_args, get_origin

import msgspec
import numpy as np

from tutor.engine import Graph, GraphError, GraphTooLarge
from tutor.engine.dsl import did_you_mean
from tutor.engine.graph import as_array

from . import charts, front_cache, safe_yaml
from .answers import AnswerError, differentiated, parse_answer
from .carried import carried_inputs, carried_value, graph_order
from .instance import pick_variant, variant_values
from .mathspans import math_depth_error
from .model import (FrontMatter, GraphSpec, Issue, Lesson, LessonError, Localized, Problem, Step, Text,
                    Variant, text)

MAX_FILE_BYTES = 1_000_000
# The budget of a lesson (SECURITY.md): each limit is checked before the work it bounds is done, from
# the file's text and the graphs' shapes, and refused at file:line:col naming the limit. The bundled
# course's largest lesson is far below each; a lesson within all of them opens in well under a second.
MAX_GRAPHS = 16  # graphs per lesson; the course's most is 6
MAX_LESSON_NODES = 300  # nodes of all the lesson's graphs, unnamed ones inside expressions included; the course's most is 42
MAX_LESSON_NUMBERS = 200_000  # numbers the graphs hold forward and backward (1.6 MB); the course's most is 106
MAX_LESSON_WORK = 2_000_000  # numbers the graphs compute forward and backward; the course's most is 88
MAX_STEP_BLOCKS = 50  # paragraphs, list items, headings, quotes, tables, code blocks in a step; the course's most is 8
MAX_STEP_BLANKS = 16  # blanks in one step; the course's most is 5 (each answer field costs the app ~40 ms to build)
MAX_MARKDOWN_DEPTH = 8  # quotes and lists inside each other, checked on each line before any Markdown parser runs
_CONTAINER = re.compile(r"\s*(?:>|[-+*](?=\s|$)|[0-9]{1,9}[.)](?=\s|$))")  # one quote or list marker
_BLOCK_START = re.compile(r"\s{0,3}(?:#{1,6}(?:\s|$)|>|[-+*]\s|[0-9]{1,9}[.)]\s|```|~~~|\|)")
MAX_ISSUES_SHOWN = 25  # per file, sorted by position; then one line says how many more there are
MAX_ISSUES_COLLECTED = 1000  # reading stops there: a file of errors must not cost more than a good one
VARIANT_CHECKS = 20  # seeds 0..19 are computed by `tutor check` besides the walk over the variants' values
# How much `tutor check` computes to walk a lesson's variants (about 0.1 s): an instance costs its graphs'
# work and VARIANT_NODE_WORK for each node and answer (a numpy call's own time, ~20 µs, counted in numbers)
MAX_CHECK_WORK = 100_000_000
VARIANT_NODE_WORK = 20_000
LESSON_ID = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
NAME_ID = re.compile(r"[A-Za-z0-9]+([-_][A-Za-z0-9]+)*\Z")  # problem, option, mistake and graph ids
_PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z]+)\s+([^{}\s]+)\s*\}\}")
_IDENTIFIER = re.compile(r"[A-Za-z_]\w*")
_TYPE_WORDS = {"str": "text", "int": "a whole number", "float": "a number", "array": "a list",
               "object": "a map", "null": "nothing", "bool": "true or false"}


def is_fence(line: str) -> bool:
    """Whether ``line`` opens or closes a code fence, as the loader and the lesson screen both read fences:
    inside one, a heading, an '::: en' block, a blank line or a marker means nothing."""
    return line.lstrip().startswith(("```", "~~~"))


def bundled_lessons_dir() -> Path:
    """The course shipped inside the package (works from a wheel, not only from a checkout)."""
    from importlib import resources  # here: it costs 4 ms of every command that reads a lesson by path

    return Path(str(resources.files("tutor") / "course"))


def load_lessons(folder, check_variants: bool = False, then=None,
                 parallel: bool = False) -> tuple[list[Lesson], list[LessonError]]:
    """Every ``*.md`` lesson of a folder, ordered by file name, and the broken ones with their errors.
    Also checks across the folder: ids are unique and ``requires`` names an earlier lesson.
    ``check_variants``: as in ``load_lesson``. A link to a file outside the folder is not read
    (``leaves_the_pack``). ``then``: a function (of a module) called with each lesson read, in the process
    that read it: what it finds, it keeps in ``lesson.memo``. ``parallel``: read a large folder in a process
    per core (`tutor check`: 200 lessons and their variants take seconds)."""
    paths = [path for path in sorted(Path(folder).glob("*.md")) if not path.name.startswith(".")]
    read = functools.partial(_read_lesson, check_variants=check_variants, then=then)
    read_all = _in_processes if parallel and len(paths) >= PARALLEL_FROM else map
    if read_all is _in_processes:
        safe_yaml.parser()  # imported once before the workers fork, not in each of them
    results = list(read_all(read, paths))
    return _check_together([r for r in results if isinstance(r, Lesson)],
                           [r for r in results if isinstance(r, LessonError)])


PARALLEL_FROM = 16  # lessons; fewer are read before a second process would have started


def _read_lesson(path: Path, check_variants: bool, then) -> Lesson | LessonError:
    if leaves_the_pack(path):
        return LessonError([Issue(safe_yaml.escaped_name(path), 1, 1, LINK_OUT)])
    try:
        lesson = load_lesson(path, check_variants)
    except LessonError as e:
        return e
    if then is not None:
        then(lesson)
    return lesson


def _in_processes(function, items: list) -> list:
    """``function`` over ``items``, in order, in a forked process per core (each starts with all that is
    imported), the results sent back pickled; where a process cannot fork, or has one core, in this one.
    Not multiprocessing.Pool: a ctrl+c while it started its workers left tracebacks, or a pool that never
    ended. Here the workers ignore ctrl+c from birth, and the parent ends them when it is pressed."""
    import signal  # only here: its import builds enums, and reading one lesson (`tutor grade`) needs none

    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    if cores < 2 or not hasattr(os, "fork"):
        return list(map(function, items))
    count = min(cores, 8, len(items))
    workers: list[tuple[int, int]] = []  # (pid, the read end of its pipe)
    try:
        shown = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})  # until each worker ignores it
        try:
            for k in range(count):
                read, write = os.pipe()
                pid = os.fork()
                if pid == 0:
                    _work(function, items[k::count], write, shown)  # never returns
                os.close(write)
                workers.append((pid, read))
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, shown)  # a ctrl+c held back till now is raised here
        shares = []
        for _, read in workers:
            with open(read, "rb", closefd=False) as pipe:
                failed, share = pickle.load(pipe)
            if failed:
                raise share
            shares.append(share)
    except BaseException:
        for pid, _ in workers:
            os.kill(pid, signal.SIGKILL)
        raise
    finally:
        for pid, read in workers:
            os.close(read)
            os.waitpid(pid, 0)
    results = [None] * len(items)
    for k, share in enumerate(shares):
        results[k::count] = share  # the items were dealt out in turn: a costly lesson seldom sits by another
    return results


def _work(function, items: list, write: int, mask) -> None:
    """In a worker: ``function`` over ``items``, sent back (or the exception it raised); then exit."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_SETMASK, mask)
    code = 0
    try:
        try:
            message = (False, [function(item) for item in items])
        except Exception as error:  # a fault of the code, not of a lesson: raised again in the parent
            message = (True, error)
        with open(write, "wb") as pipe:
            pickle.dump(message, pipe)
    except BaseException:
        code = 1
    finally:
        os._exit(code)


FOLLOW_LINKS = "TUTOR_FOLLOW_LINKS"  # set (by `--follow-links`): a pack's links to files outside it are read
LINK_OUT = ("a link to a file outside the lesson folder; not read (a pack brings its own files: copy it in, "
            "or pass --follow-links to read it)")


def leaves_the_pack(path: Path) -> bool:
    """A symbolic link in a pack pointing outside the pack's folder (a shared pack could point at any file
    of the learner's: ~/.ssh/…), unless links are followed on purpose."""
    if os.environ.get(FOLLOW_LINKS) or not path.is_symlink():
        return False
    return not path.resolve().is_relative_to(path.parent.resolve())


def _check_together(lessons: list[Lesson], broken: list[LessonError]):
    earlier: dict[str, Lesson] = {}
    all_ids = {lesson.id: lesson for lesson in reversed(lessons)}
    good = []
    for lesson in lessons:
        issues = []
        shown = safe_yaml.escaped_name(lesson.path)  # a shared pack names its own files
        if lesson.id in earlier:
            line, col = lesson.positions[("id",)]
            issues.append(Issue(shown, line, col, f"lesson id '{lesson.id}' is already used by "
                                                  f"{safe_yaml.escaped_name(earlier[lesson.id].path.name)}"))
        for i, required in enumerate(lesson.requires):
            if required in earlier or required == lesson.id:
                continue
            line, col = lesson.positions[("requires", i)]
            if required in all_ids:
                why = (f"comes after this lesson ({safe_yaml.escaped_name(all_ids[required].path.name)}; "
                       "lessons are ordered by file name)")
            else:
                why = f"is not a lesson here{did_you_mean(required, all_ids)}"
            issues.append(Issue(shown, line, col, f"requires '{required}', which {why}"))
        earlier.setdefault(lesson.id, lesson)
        if issues:
            broken.append(LessonError(issues))
        else:
            good.append(lesson)
    broken.sort(key=lambda e: e.path)
    return good, broken


def load_lesson(path, check_variants: bool = False) -> Lesson:
    """The lesson at ``path``, or LessonError listing every problem found. Its answers are computed for the
    file's values; ``check_variants`` (``tutor check``) also computes them for seeds 0..19."""
    path = Path(path)
    try:
        return _Reader(path, check_variants).read()
    except (RecursionError, MemoryError):
        raise LessonError([Issue(safe_yaml.escaped_name(path), 1, 1,
                                 "the lesson is too large or too deeply nested to read")]) from None


class _Fatal(Exception):
    """Stops reading a lesson after an error that makes the rest meaningless."""


class _Reader:
    def __init__(self, path: Path, check_variants: bool):
        self.path = path
        self.check_variants = check_variants
        self.shown = safe_yaml.escaped_name(path)  # a shared pack names its own files
        self.issues: list[Issue] = []
        self.doc: safe_yaml.Document | None = None
        self.first_line = 2  # the file line of the front matter's first line
        self.instance_cost = 0  # what computing one variant of the lesson costs (MAX_CHECK_WORK's units)
        self.lesson_work = 0  # numbers the graphs compute forward and backward (MAX_LESSON_WORK's units)

    # ---- reporting -------------------------------------------------------------------------

    def add(self, line: int, col: int, message: str) -> None:
        # a message may quote the file's keys and values: never let it carry an escape sequence
        self.issues.append(Issue(self.shown, line, col, safe_yaml.escaped(message)))
        if len(self.issues) >= MAX_ISSUES_COLLECTED:
            raise _Fatal  # a file of nothing but errors: enough to go on with, and no more work

    def fail(self, line: int, col: int, message: str):
        self.add(line, col, message)
        raise _Fatal

    def position(self, path: tuple, key: bool = False, offset: int | None = None) -> tuple[int, int]:
        """The file line:col of the value at ``path`` (or of its key), or of the nearest enclosing one."""
        while True:
            marks = (self.doc.keys, self.doc.values) if key else (self.doc.values, self.doc.keys)
            mark = marks[0].get(path) or marks[1].get(path)
            if mark is not None or not path:
                break
            path = path[:-1]
        if mark is None:
            return self.first_line, 1
        shift = offset if offset and mark.plain and not key else 0
        return mark.line + self.first_line, mark.column + 1 + shift

    def at(self, path: tuple, message: str, key: bool = False, offset: int | None = None) -> None:
        self.add(*self.position(path, key, offset), message)

    # ---- reading ---------------------------------------------------------------------------

    def read(self) -> Lesson:
        try:
            data = self._read_bytes()
            text = self._decode(data)
            front_text, body_lines = self._split(text)
            lesson = self._build(front_text, body_lines, data)
        except _Fatal:
            lesson = None
        if self.issues:
            raise LessonError(_first_issues(self.issues), found=len(set(self.issues)))
        return lesson

    def _read_bytes(self) -> bytes:
        too_big = f"the file is larger than {MAX_FILE_BYTES // 1_000_000} MB; a lesson must be smaller"
        try:
            # O_NONBLOCK: opening a FIFO or a terminal must not wait for a writer (it is refused below)
            with open(os.open(self.path, os.O_RDONLY | os.O_NONBLOCK), "rb") as f:
                status = os.fstat(f.fileno())  # of what was opened, not of what the name pointed to before
                if not stat.S_ISREG(status.st_mode):
                    self.fail(1, 1, "not a regular file (a pipe, a device or a folder); a lesson is a file")
                if status.st_size > MAX_FILE_BYTES:
                    self.fail(1, 1, too_big)
                data = f.read(MAX_FILE_BYTES + 1)
        except OSError as e:
            self.fail(1, 1, f"cannot read the file: {e.strerror or e}")
        if len(data) > MAX_FILE_BYTES:
            self.fail(1, 1, too_big)
        return data

    def _decode(self, data: bytes) -> str:
        body = data[3:] if data.startswith(b"\xef\xbb\xbf") else data  # a BOM is fine, and not a column
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError as e:
            line_start = body.rfind(b"\n", 0, e.start) + 1
            col = len(body[line_start:e.start].decode("utf-8", "replace").rstrip("\r")) + 1
            self.fail(body.count(b"\n", 0, e.start) + 1, col,
                      f"not valid UTF-8 (byte 0x{body[e.start]:02x}); save the file as UTF-8")
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        if bad := safe_yaml.UNSAFE_CHARACTER.search(text):
            line = text.count("\n", 0, bad.start()) + 1
            self.fail(line, bad.start() - text.rfind("\n", 0, bad.start()),
                      safe_yaml.unsafe_character_message(bad.group()))
        return text

    def _split(self, text: str) -> tuple[str, list[str]]:
        lines = text.split("\n")
        if lines[0].rstrip() != "---":
            self.fail(1, 1, "a lesson starts with a '---' line, its YAML front matter, and another '---' line")
        close = next((i for i in range(1, len(lines)) if lines[i].rstrip() == "---"), None)
        if close is None:
            self.fail(1, 1, "the front matter is not closed: add a '---' line after it")
        self.body_first_line = close + 2
        return "\n".join(lines[1:close]) + "\n", lines[close + 1:]

    # ---- the front matter ------------------------------------------------------------------

    def _build(self, front_text: str, body_lines: list[str], data: bytes) -> Lesson:
        try:
            self.doc = front_cache.read_yaml(front_text, self.first_line)
        except safe_yaml.YamlError as e:
            self.fail(e.line + self.first_line, e.column + 1, str(e))
        if not isinstance(self.doc.data, dict):
            self.fail(self.first_line, 1, "the front matter must be a map of keys (id: ..., title: ...)")
        # Each problem is shaped on its own, so one problem's wrong key hides neither the others' errors
        # nor the body's; a broken problem is left out, and blanks naming it are not errors too.
        raw_problems = self.doc.data.get("problems")
        whole = {**self.doc.data, "problems": []} if isinstance(raw_problems, list) else self.doc.data
        front = self.convert(whole, FrontMatter, ())
        if front is None:
            raise _Fatal
        self.problem_paths, self.broken_problem_ids = [], set()
        for i, raw in enumerate(raw_problems if isinstance(raw_problems, list) else []):
            problem = self.convert(raw, Problem, ("problems", i))
            if problem is None:
                given = raw.get("id") if isinstance(raw, dict) else None
                self.broken_problem_ids.add(given if isinstance(given, str) else None)
            else:
                front.problems.append(problem)
                self.problem_paths.append(("problems", i))
        if not LESSON_ID.match(front.id):
            self.at(("id",), f"lesson id '{front.id}' must be lowercase letters and digits joined by single "
                             "hyphens, like apple-backward")
        for i, required in enumerate(front.requires):
            if required == front.id:
                self.at(("requires", i), "a lesson cannot require itself")
        params = self._params(front.params)
        graphs, engines = self._graphs(front.graphs, params, front.problems)
        variants = self._variants(front.variants, front.graphs, params)
        to_compute = self._problems(front.problems, front.graphs, engines)
        chart_specs = self._charts(front.charts, engines, params)
        steps = self._steps(body_lines, front)
        self._math_nesting(body_lines, front.problems)
        lesson = Lesson(
            id=front.id, title=front.title, source=front.source, requires=front.requires, params=params,
            graphs=graphs, variants=variants, problems=front.problems, steps=steps, path=self.path,
            file_bytes=data, engine_graphs=engines, charts=chart_specs,
            positions={("id",): self.position(("id",)),
                       **{("graphs", name): self.position(("graphs", name), key=True) for name in graphs},
                       **{("requires", i): self.position(("requires", i)) for i in range(len(front.requires))}})
        if self.params_ok:  # each problem whose own parts are sound, even when others are not
            self._compute_answers(lesson, to_compute, self.check_variants and bool(variants))
        return lesson

    def convert(self, data, typ, base: tuple):
        """``msgspec.convert``, with its complaint turned into an Issue at the right line:col."""
        try:
            return msgspec.convert(data, typ)
        except msgspec.ValidationError as e:
            message, _, where = str(e).partition(" - at `")
            segments = tuple(name or int(index) for name, index in
                             re.findall(r"\.([^.\[`]+)|\[(\d+)\]", where.rstrip("`")))
            path = base + segments
            inside = f" in {_label(path)}" if path else ""
            if unknown := re.match(r"Object contains unknown field `(.*)`$", message):
                key = unknown.group(1)
                self.at(path + (key,), f"unknown key '{key}'{inside}{did_you_mean(key, _fields_at(typ, segments))}",
                        key=True)
            elif missing := re.match(r"Object missing required field `(.*)`$", message):
                self.at(path, f"missing required key '{missing.group(1)}'{inside}")
            elif path and path[-1] == "type" and message.startswith("Invalid enum value"):
                given = message.split("'")[1] if "'" in message else ""
                kinds = ["number", "expression", "vector", "choice"]
                self.at(path, f"unknown problem type '{given}': use {', '.join(kinds)}{did_you_mean(given, kinds)}")
            else:
                self.at(path, f"{_label(path) or 'front matter'}: {_humanize(message)}")
            return None

    def convert_entries(self, mapping: dict, typ, base: tuple) -> dict | None:
        converted = {key: self.convert(value, typ, base + (key,)) for key, value in mapping.items()}
        return None if any(v is None for v in converted.values()) else converted

    def _params(self, raw: dict) -> dict[str, float]:
        params = self.convert_entries(raw, float, ("params",))
        self.params_ok = params is not None  # else every answer naming one would be a second error
        params = params or {}
        for name, value in params.items():
            if not name.isidentifier():
                self.at(("params", name), f"param name '{name}' must be letters, digits and _", key=True)
            elif not np.isfinite(value):
                self.at(("params", name), f"param '{name}' must be a finite number")
        return params

    def _graphs(self, raw: dict, params: dict, problems: list[Problem]) -> tuple[dict[str, GraphSpec], dict[str, Graph]]:
        if len(raw) > MAX_GRAPHS:
            self.at(("graphs",), f"the lesson has {len(raw)} graphs; at most {MAX_GRAPHS} (limit: graphs per lesson)",
                    key=True)
            return {}, {}
        specs, engines = {}, {}
        nodes_left = MAX_LESSON_NODES
        order, complaints = graph_order(raw, problems, self.broken_problem_ids)
        for (name, input_name), message in complaints.items():
            if message:
                self.at(("graphs", name, "inputs", input_name), f"graph '{name}': {message}")
        for name in order:
            value = raw[name]
            base = ("graphs", name)
            if not NAME_ID.match(name):
                self.at(base, f"graph name '{name}' must be letters and digits joined by - or _", key=True)
                continue
            spec = self.convert(value, GraphSpec, base)
            if spec is None or any(key[0] == name for key in complaints):
                continue
            nodes = self.convert_entries(spec.nodes, str, base + ("nodes",))
            labels = self.convert_entries(spec.labels, Text, base + ("labels",))
            inputs = self._inputs(spec, base, problems, engines, params)
            if nodes is None or labels is None or inputs is None:
                continue
            used = {word for expression in nodes.values() for word in _IDENTIFIER.findall(expression)}
            try:
                graph = Graph.parse(inputs=inputs, nodes=nodes, output=spec.output,
                                    params={k: v for k, v in params.items() if k in used},
                                    max_nodes=nodes_left)
                graph.cost()  # shapes that do not fit, found before anything runs
            except GraphTooLarge:
                self.at(base, f"graph '{name}': the lesson's graphs have more than {MAX_LESSON_NODES} nodes in all, "
                              "counting every operation and number inside their expressions (limit: nodes per "
                              "lesson); make them smaller", key=True)
                return {}, {}
            except GraphError as e:
                self._graph_error(e, base, spec, nodes)
                continue
            nodes_left -= len(graph.nodes)
            for label in labels:
                if label not in graph.nodes:
                    self.at(base + ("labels", label), f"label for '{label}', which is not a node of graph "
                                                      f"'{name}'{did_you_mean(label, graph.nodes)}", key=True)
            if spec.upstream is not None:
                self._upstream(spec.upstream, graph, base)
            spec.nodes, spec.labels, spec.output = nodes, labels, graph.output
            specs[name], engines[name] = spec, graph
            if not self._within_budget(engines):  # now: a later graph's inputs may compute this one
                return {}, {}
        for name, graph in list(engines.items()):
            try:
                graph.values  # the forward pass: NaN or infinity for the file's values is an error now
            except GraphError as e:
                self._graph_error(e, ("graphs", name), specs[name], specs[name].nodes)
                del engines[name], specs[name]
        return {name: specs[name] for name in raw if name in specs}, {name: engines[name] for name in raw if name in engines}

    def _inputs(self, spec: GraphSpec, base: tuple, problems: list[Problem], engines: dict, params: dict) -> dict | None:
        """The graph's input values for the file: as written, or (``{answer: PROBLEM}``) that problem's answer."""
        carried = carried_inputs(spec.inputs)
        inputs, ok = {}, True
        for name, value in spec.inputs.items():
            if name in carried:
                problem_graph = next(p.graph for p in problems if p.id == carried[name])
                if problem_graph not in engines:
                    ok = False  # that graph is broken and already reported
                    continue
                try:
                    value = carried_value(carried[name], problems, engines, params)
                except (AnswerError, GraphError) as e:
                    self.at(base + ("inputs", name), f"input '{name}' takes the answer of '{carried[name]}', which "
                                                     f"cannot be computed: {e}")
                    ok = False
                    continue
            ok = self._leaf_ok(base + ("inputs", name), value, f"input '{name}'") and ok
            inputs[name] = value
        return inputs if ok else None

    def _within_budget(self, engines: dict[str, Graph]) -> bool:
        """The numbers all graphs hold and compute, forward and once backward from each node an answer
        differentiates (``grad``: the output; ``d(m, n)``: m), within the lesson's budget; from shapes."""
        passes = self._backward_passes(engines)
        numbers = work = 0
        self.instance_cost = sum(len(graph.nodes) for graph in engines.values()) * VARIANT_NODE_WORK
        for name, graph in engines.items():
            cost = graph.cost()
            numbers += cost.values + cost.gradients * passes[name]
            work += cost.work * passes[name]
            over = [(f"would hold {numbers:,} numbers", MAX_LESSON_NUMBERS, "numbers per lesson")] * \
                (numbers > MAX_LESSON_NUMBERS) + [(f"would compute {work:,} numbers", MAX_LESSON_WORK,
                                                   "work per lesson")] * (work > MAX_LESSON_WORK)
            for what, limit, limit_name in over:
                earlier = " with the graphs before it" if name != next(iter(engines)) else ""
                self.at(("graphs", name), f"graph '{name}'{earlier} {what} forward and backward; at most {limit:,} "
                                          f"(limit: {limit_name})", key=True)
            if over:
                return False
        self.instance_cost += work
        self.lesson_work = work
        return True

    def _backward_passes(self, engines: dict[str, Graph]) -> dict[str, int]:
        """How many backward passes each graph's answers ask for: one from the output, one more from each
        other node that a ``d(m, n)`` differentiates."""
        starts = {name: {graph.output} for name, graph in engines.items()}
        raw = self.doc.data.get("problems")
        for problem in raw if isinstance(raw, list) else []:
            if not isinstance(problem, dict):
                continue
            graphs = self.doc.data.get("graphs")
            graph = problem.get("graph", next(iter(graphs)) if isinstance(graphs, dict) and len(graphs) == 1 else None)
            mistakes = problem.get("mistakes")
            answers = [problem.get("answer")] + [m.get("answer") for m in mistakes if isinstance(m, dict)] \
                if isinstance(mistakes, list) else [problem.get("answer")]
            for answer in answers:
                if isinstance(graph, str) and graph in starts and isinstance(answer, str):
                    starts[graph] |= differentiated(answer)
        return {name: len(nodes) for name, nodes in starts.items()}

    def _upstream(self, upstream: str, graph: Graph, base: tuple) -> None:
        """``upstream`` names an input that only the output reads, as one of the two operands of a ×."""
        output = graph.nodes[graph.output]
        readers = [name for name, node in graph.nodes.items() if upstream in node.args]
        if upstream not in graph.nodes or graph.nodes[upstream].kind != "input":
            self.at(base + ("upstream",), f"upstream: '{upstream}' is not an input of the graph"
                                          f"{did_you_mean(upstream, graph.leaf_values)}")
        elif output.op != "mul" or readers != [graph.output] or len(set(output.args)) != 2:
            self.at(base + ("upstream",), f"upstream: the output '{graph.output}' must be a node times '{upstream}' "
                                          f"(like L: z * {upstream}), and nothing else may read '{upstream}'")

    def _leaf_ok(self, path: tuple, value, what: str) -> bool:
        try:
            as_array(value, what)
            return True
        except GraphError as e:
            self.at(path, str(e))
            return False

    def _graph_error(self, e: GraphError, base: tuple, spec: GraphSpec, nodes: dict) -> None:
        """Point at the expression of the node the engine blames (or the input, or the output)."""
        message = f"graph '{base[1]}': {e}"
        if e.node in nodes:
            self.at(base + ("nodes", e.node), message, offset=e.column)
        elif e.node in spec.inputs:
            self.at(base + ("inputs", e.node), message)
        elif e.node is not None:  # an unnamed node: the named expression it was written in
            owner = next((n for n, expression in nodes.items() if e.node.split(" #")[0] in expression), None)
            self.at(base + (("nodes", owner) if owner else ()), message)
        elif e.reason.startswith("output") and spec.output is not None:
            self.at(base + ("output",), message)
        else:
            culprit = next((k for k in [*spec.inputs, *nodes] if repr(k) in e.reason), None)
            self.at(base + (("nodes" if culprit in nodes else "inputs", culprit) if culprit else ()), message,
                    key=culprit is not None)

    def _variants(self, raw: dict, graphs_raw: dict, params: dict) -> dict[str, Variant] | None:
        leaves = {name for g in graphs_raw.values() if isinstance(g, dict)
                  for name in (g.get("inputs") or {}) if isinstance(g.get("inputs"), dict)}
        variants, ok = {}, True
        for name, value in raw.items():
            base = ("variants", name)
            spec = self.convert(value, Variant, base)
            if spec is None:
                ok = False
            elif name not in leaves and name not in params:
                self.at(base, f"variant '{name}' is not an input of any graph nor a param"
                              f"{did_you_mean(name, [*leaves, *params])}", key=True)
                ok = False
            elif isinstance(spec, list):
                if not spec:
                    self.at(base, f"variant '{name}' lists no values")
                    ok = False
                ok = all([self._leaf_ok(base + (i,), v, f"variant '{name}'") for i, v in enumerate(spec)]) and ok
            else:
                ok = self._range_ok(name, spec, base) and ok
            variants[name] = spec
        return variants if ok else None

    def _range_ok(self, name: str, spec, base: tuple) -> bool:
        ranges = [(key, r) for key, r in (("int", spec.int_range), ("float", spec.float_range)) if r is not None]
        if len(ranges) != 1:
            self.at(base, f"variant '{name}': give one range, int: [low, high] or float: [low, high] with a step")
            return False
        key, bounds = ranges[0]
        if len(bounds) != 2 or not np.all(np.isfinite(bounds)) or bounds[0] > bounds[1]:
            self.at(base + (key,), f"variant '{name}': a range is [low, high] with low <= high")
            return False
        if key == "int" and spec.step is not None:
            self.at(base + ("step",), f"variant '{name}': an int range takes every whole number; remove the step")
            return False
        if key == "float" and not (spec.step and spec.step > 0 and (bounds[1] - bounds[0]) / spec.step <= 1e6):
            self.at(base + ("step",), f"variant '{name}': a float range needs a positive step "
                                      f"(at most a million steps), as in step: 0.1")
            return False
        return True

    # ---- problems --------------------------------------------------------------------------

    def _problems(self, problems: list[Problem], graphs_raw: dict, engines: dict) -> list[int]:
        """Check each problem's shape; return the indexes of those whose answers can be computed."""
        first_line: dict[str, int] = {}
        computable = []
        for i, problem in enumerate(problems):
            base = self.problem_paths[i]
            ok = self._id_ok(problem.id, base + ("id",), "problem", first_line)
            if problem.type != "choice" and problem.graph is None:
                if len(graphs_raw) == 1:
                    problem.graph = next(iter(graphs_raw))
                else:
                    names = " or ".join(graphs_raw)
                    self.at(base, f"problem '{problem.id}' needs a graph, and the lesson has none" if not names else
                            f"problem '{problem.id}': say which graph it uses (graph: {names})")
                    ok = False
            elif problem.graph is not None and problem.graph not in graphs_raw:
                self.at(base + ("graph",), f"unknown graph '{problem.graph}'{did_you_mean(problem.graph, graphs_raw)}")
                ok = False
            graph = engines.get(problem.graph)
            if problem.graph is not None and graph is None:
                ok = False  # the graph itself is broken and already reported
            if problem.quiz_prompt and not problem.prompt:
                self.at(base + ("quiz_prompt",), f"problem '{problem.id}' has a quiz_prompt but no prompt: "
                                                 "the lesson asks with prompt, the quiz with quiz_prompt")
            for key in ("rel", "abs"):
                if problem.tolerance and (getattr(problem.tolerance, key) or 0) < 0:
                    self.at(base + ("tolerance", key), f"tolerance {key} must not be negative")
            mistake_ids: dict[str, int] = {}
            for j, mistake in enumerate(problem.mistakes):
                self._id_ok(mistake.id, base + ("mistakes", j, "id"), "mistake", mistake_ids)
            if problem.type == "choice":
                self._choice(problem, base)
                continue
            if problem.type == "expression":
                ok = self._vars_ok(problem, base, graph) and ok
            ok = self._parses(problem.answer, base + ("answer",)) and ok
            ok = all([self._parses(m.answer, base + ("mistakes", j, "answer"))
                      for j, m in enumerate(problem.mistakes)]) and ok
            if ok:
                computable.append(i)
        return computable

    def _id_ok(self, given: str, path: tuple, what: str, first_line: dict) -> bool:
        if not NAME_ID.match(given):
            self.at(path, f"{what} id '{given}' must be letters and digits joined by - or _")
            return False
        if given in first_line:
            self.at(path, f"duplicate {what} id '{given}' (first on line {first_line[given]})")
            return False
        first_line[given] = self.position(path)[0]
        return True

    def _choice(self, problem: Problem, base: tuple) -> None:
        if not problem.options:
            self.at(base, f"choice problem '{problem.id}' needs options: [{{id: ..., text: ...}}, ...]")
            return
        ids: dict[str, int] = {}
        for j, option in enumerate(problem.options):
            self._id_ok(option.id, base + ("options", j, "id"), "option", ids)
        for path, given in [(base + ("answer",), problem.answer),
                            *((base + ("mistakes", j, "answer"), m.answer) for j, m in enumerate(problem.mistakes))]:
            if given not in ids:
                self.at(path, f"'{given}' is not one of the options ({', '.join(ids)}){did_you_mean(given, ids)}")

    def _charts(self, raw: dict, engines: dict[str, Graph], params: dict) -> dict:
        """The charts' specs, each checked against its graph and within the chart's and the lesson's budget;
        a chart's graph and learning rate are filled in ("graph" may be left out when there is one graph,
        "lr" when the lesson's params have it)."""
        if len(raw) > charts.MAX_CHARTS:
            self.at(("charts",), f"the lesson has {len(raw)} charts; at most {charts.MAX_CHARTS} (limit: charts "
                                 "per lesson)", key=True)
            return {}
        graph_names = self.doc.data.get("graphs") if isinstance(self.doc.data.get("graphs"), dict) else {}
        specs, work = {}, self.lesson_work
        for name, value in raw.items():
            base = ("charts", name)
            kind = value.get("kind") if isinstance(value, dict) else None
            if not NAME_ID.match(name):
                self.at(base, f"chart name '{name}' must be letters and digits joined by - or _", key=True)
                continue
            if kind not in charts.KINDS:
                kinds = list(charts.KINDS)
                if isinstance(kind, str):
                    self.at(base + ("kind",), f"unknown chart kind '{kind}': use {' or '.join(kinds)}"
                                              f"{did_you_mean(kind, kinds)}")
                else:
                    self.at(base, f"chart '{name}' needs a kind: {' or '.join(kinds)}", key=True)
                continue
            spec = self.convert(value, charts.KINDS[kind], base)
            if spec is None:
                continue
            if spec.graph is None and len(graph_names) == 1:
                spec.graph = next(iter(graph_names))
            if spec.graph not in engines:
                if spec.graph is None:
                    self.at(base, f"chart '{name}' needs graph: the lesson has several", key=True)
                elif spec.graph not in graph_names:
                    self.at(base + ("graph",), f"chart '{name}': no graph is named '{spec.graph}'"
                                               f"{did_you_mean(spec.graph, graph_names)}")
                continue  # else the graph is broken, and reported
            points = charts.points(spec)
            if points > charts.MAX_CHART_POINTS:
                where = "updates" if isinstance(spec, charts.TrainingChart) else "points"
                self.at(base + (where,), f"chart '{name}' plots {points} points; at most {charts.MAX_CHART_POINTS} "
                                         "(limit: points per chart)")
                continue
            if isinstance(spec, charts.TrainingChart) and spec.lr is None:
                spec.lr = params.get("lr")
            errors = charts.spec_errors(spec, engines[spec.graph])
            for where, message in errors:
                self.at(base + where, f"chart '{name}': {message}")
            if errors:
                continue
            work += points * engines[spec.graph].cost().work  # each point: a forward (and backward) pass
            if work > MAX_LESSON_WORK:
                self.at(base, f"chart '{name}' with the lesson's graphs would compute {work:,} numbers; at most "
                              f"{MAX_LESSON_WORK:,} (limit: work per lesson)", key=True)
                continue
            specs[name] = spec
        self.instance_cost += work - self.lesson_work
        return specs

    def _vars_ok(self, problem: Problem, base: tuple, graph) -> bool:
        if not problem.vars:
            self.at(base, f"expression problem '{problem.id}' needs vars: the names the learner may use, "
                          "as in vars: [x, y]")
            return False
        if graph is None:
            return False
        # an input, or a named node the learner writes the answer in (Sigmoid's y(1 − y) in its output y)
        named = [n for n, node in graph.nodes.items() if node.named and node.kind != "const"]
        for j, name in enumerate(problem.vars):
            if name not in named:
                self.at(base + ("vars", j), f"'{name}' is not a node of graph '{problem.graph}'"
                                            f"{did_you_mean(name, named)}")
                return False
        return True

    def _parses(self, answer: str, path: tuple) -> bool:
        try:
            parse_answer(answer)
            return True
        except AnswerError as e:
            self.at(path, f"answer: {e}", offset=e.column)
            return False

    def _compute_answers(self, lesson: Lesson, indexes: list[int], with_variants: bool) -> None:
        """Every graph forward and backward, and every answer (and mistake), finite for the file's values and,
        ``with_variants``, for the variants (``_variants_to_check``). One instance at a time: each is
        dropped before the next is made."""
        expressions = []  # (problem, path, expression)
        for i in indexes:
            problem, base = lesson.problems[i], self.problem_paths[i]
            expressions += [(problem, (*base, "answer"), problem.answer)]
            expressions += [(problem, (*base, "mistakes", j, "answer"), m.answer) for j, m in enumerate(problem.mistakes)]
        failed: set[tuple] = set()  # each expression is reported for its first failing variant only
        chosen = self._variants_to_check(lesson, len(expressions)) if with_variants else []
        leaves = {n for graph in lesson.engine_graphs.values() for n, node in graph.nodes.items() if node.is_leaf}
        for values in [None, *chosen]:
            # a variant of a broken graph's input (already reported) is left out
            instance = lesson.instance(values={k: v for k, v in (values or {}).items() if k in leaves or k in lesson.params})
            if not self._graphs_compute(instance) or not self._charts_compute(instance):
                return  # the variant's own fault, reported; the answers would only repeat it
            for problem, path, expression in expressions:
                if path not in failed and not self._computes(instance, problem, path, expression):
                    failed.add(path)

    def _variants_to_check(self, lesson: Lesson, expressions: int):
        """The variants `tutor check` computes: all of them when that fits the check's budget; else each
        variant's every value with the others as in the file; else each one's ends. Then seeds 0..19."""
        lists = {name: variant_values(spec) for name, spec in lesson.variants.items()}
        each = self.instance_cost + VARIANT_NODE_WORK * expressions
        if math.prod(len(values) for values in lists.values()) * each <= MAX_CHECK_WORK:
            yield from (dict(zip(lists, chosen)) for chosen in itertools.product(*lists.values()))
            return
        if sum(len(values) for values in lists.values()) * each <= MAX_CHECK_WORK:
            yield from ({name: value} for name, values in lists.items() for value in values)
        else:
            yield from ({name: value} for name, values in lists.items() for value in (values[0], values[-1]))
        yield from (pick_variant(lesson.variants, seed) for seed in range(VARIANT_CHECKS))

    def _graphs_compute(self, instance) -> bool:
        """Every graph's forward pass and its whole backward pass (which `tutor show --backward`, the drawing
        and the backward walk use) work; for a variant's values, it is the variant's fault."""
        for name, graph_spec in instance.lesson.graphs.items():
            try:
                graph = instance.graph(name)
                graph.values
                graph.backward()
            except GraphError as e:
                if instance.inputs:
                    self.at(("variants",), f"{_describe(instance)}: graph '{name}': {e}", key=True)
                else:
                    self._graph_error(e, ("graphs", name), graph_spec, graph_spec.nodes)
                return False
        return True

    def _charts_compute(self, instance) -> bool:
        """Every chart's series, computed as the app will draw them: finite for these values."""
        for name, spec in instance.lesson.charts.items():
            try:
                charts.series(spec, instance.graph(spec.graph))
            except GraphError as e:
                variant = f" with {_describe(instance)}" if instance.inputs else ""
                self.at(("charts", name), f"chart '{name}'{variant}: {e}", key=True)
                return False
        return True

    def _computes(self, instance, problem: Problem, path: tuple, expression: str) -> bool:
        try:
            value = instance.evaluate(expression, problem.graph)
        except (AnswerError, GraphError) as e:
            variant = f" with {_describe(instance)}" if instance.inputs else ""
            self.at(path, f"answer: {e}{variant}", offset=getattr(e, "column", None))
            return False
        if problem.type == "number" and path[-1] == "answer" and len(path) == 3 and np.ndim(value) != 0:
            self.at(path, f"answer: a number problem needs one number, but this gives shape {np.shape(value)}; "
                          "use type: vector")
            return False
        return True

    # ---- the body --------------------------------------------------------------------------

    def _math_nesting(self, body_lines: list[str], problems: list[Problem]) -> None:
        """A formula nested deeper than the renderer's limit, in the body or in a problem's texts."""
        body = "\n".join(body_lines)
        if found := math_depth_error(body):
            offset, message = found
            line_start = body.rfind("\n", 0, offset) + 1
            self.add(self.body_first_line + body.count("\n", 0, offset), offset - line_start + 1, message)
        for i, problem in enumerate(problems):
            texts = [("prompt",), *(("hints", j) for j in range(len(problem.hints))),
                     *(("options", j, "text") for j in range(len(problem.options))),
                     *(("mistakes", j, "message") for j in range(len(problem.mistakes)))]
            for path in texts:
                value = problem
                for key in path:
                    value = getattr(value, key) if isinstance(key, str) else value[key]
                for lang, localized in (("ko", text(value, "ko")), ("en", text(value, "en"))):
                    if found := math_depth_error(localized):
                        where = (*self.problem_paths[i], *path) + ((lang,) if not isinstance(value, str) else ())
                        self.at(where, found[1])
                        break

    def _steps(self, lines: list[str], front: FrontMatter) -> list[Step]:
        """Split the body at '##' headings, take out '::: en' blocks, and check every placeholder."""
        steps: list[Step] = []
        english: dict[int, list[list[str]]] = {}  # step index -> its '::: en' blocks
        korean: dict[int, list[str]] = {}
        in_fence, en_start = False, None
        placed: dict[str, tuple[int, int]] = {}  # problem id -> (step index, line)
        placed_in: dict[tuple[str, bool], int] = {}  # (problem id, in English) -> line: once in each language
        problem_ids = [p.id for p in front.problems]
        for offset, line in enumerate(lines):
            number = self.body_first_line + offset
            stripped = line.strip()
            if is_fence(line):
                in_fence = not in_fence
            elif not in_fence:
                self._depth_ok(line, number)
            if not in_fence and en_start is None and (line.startswith("## ") or stripped == "##"):
                steps.append(Step(_heading(line[2:].strip()), "", "", line=number))
                continue
            if not steps:
                steps.append(Step(front.title, "", "", line=number))
            index = len(steps) - 1
            if not in_fence and en_start is None and stripped == "::: en":
                en_start = number
                english.setdefault(index, []).append([])
                continue
            if not in_fence and en_start is not None and stripped == ":::":
                en_start = None
                continue
            (english[index][-1] if en_start is not None else korean.setdefault(index, [])).append(line)
            for match in _PLACEHOLDER.finditer(line):
                self._placeholder(match, number, steps[index], index, front, problem_ids, placed,
                                  placed_in, en_start is not None)
        if en_start is not None:
            self.add(en_start, 1, "this '::: en' block is not closed: add a ':::' line after it")
        for index, step in enumerate(steps):
            step.ko = "\n".join(korean.get(index, [])).strip("\n")
            step.en = "\n\n".join("\n".join(block).strip("\n") for block in english.get(index, [])) or step.ko
        if steps and steps[0].line == self.body_first_line and not steps[0].ko.strip() and 0 not in english \
                and not lines[0].startswith("##"):
            steps.pop(0)  # only blank lines before the first heading
        self._step_sizes_ok(steps)
        for i, problem in enumerate(front.problems):
            if problem.id not in placed:
                self.at((*self.problem_paths[i], "id"), f"problem '{problem.id}' is never placed: add "
                                               f"{{{{blank {problem.id}}}}} to the text")
        placed_charts = {name for step in steps for name in step.charts}
        for name in front.charts:
            if name not in placed_charts:
                self.at(("charts", name), f"chart '{name}' is never placed: add {{{{chart {name}}}}} to a step", key=True)
        return steps

    def _depth_ok(self, line: str, number: int) -> None:
        """Quotes and lists nested more than MAX_MARKDOWN_DEPTH deep (``> > > …``, ``- - - …``, or list items
        indented level after level) are refused from the line's text, before a Markdown parser sees it."""
        markers, at = 0, 0
        while (marker := _CONTAINER.match(line, at)) and markers <= MAX_MARKDOWN_DEPTH:
            markers, at = markers + 1, marker.end()
        indent = (len(line) - len(line.lstrip(" "))) // 2  # before a marker, two spaces nest a list one deeper
        if markers and markers + indent > MAX_MARKDOWN_DEPTH:
            self.add(number, 1, f"quotes and lists are nested more than {MAX_MARKDOWN_DEPTH} levels deep here "
                                f"(limit: Markdown depth)")

    def _step_sizes_ok(self, steps: list[Step]) -> None:
        for step in steps:
            blocks = max(_blocks(step.ko), _blocks(step.en))
            if blocks > MAX_STEP_BLOCKS:
                self.add(step.line, 1, f"this step shows {blocks} paragraphs and other blocks; at most "
                                       f"{MAX_STEP_BLOCKS} (limit: blocks per step): split it with ## headings")
            if len(step.blanks) > MAX_STEP_BLANKS:
                self.add(step.line, 1, f"this step has {len(step.blanks)} blanks; at most {MAX_STEP_BLANKS} "
                                       f"(limit: blanks per step): split it with ## headings")

    def _placeholder(self, match, line: int, step: Step, index: int, front: FrontMatter,
                     problem_ids: list[str], placed: dict, placed_in: dict, english: bool) -> None:
        kind, name = match.group(1), match.group(2)
        col = match.start() + 1
        if kind == "blank":
            if name not in problem_ids and name not in self.broken_problem_ids:
                self.add(line, col, f"{{{{blank {name}}}}}: no problem has the id '{name}'"
                                    f"{did_you_mean(name, problem_ids)}")
            elif name not in problem_ids:
                pass  # a problem whose own errors are reported
            elif name in placed and placed[name][0] != index:
                self.add(line, col, f"{{{{blank {name}}}}} is already placed on line {placed[name][1]}")
            elif (name, english) in placed_in:
                language = "English" if english else "Korean"
                self.add(line, col, f"{{{{blank {name}}}}} is already placed in this step's {language} text on line "
                                    f"{placed_in[name, english]}: place a blank once in each language")
            else:
                placed_in[name, english] = line
                if name not in step.blanks:
                    placed.setdefault(name, (index, line))
                    step.blanks.append(name)
        elif kind in ("graph", "chart"):  # drawn where placed; their names are the front matter's keys
            names, placed_here = (front.graphs, step.graphs) if kind == "graph" else (front.charts, step.charts)
            if name not in names:
                self.add(line, col, f"{{{{{kind} {name}}}}}: no {kind} is named '{name}'{did_you_mean(name, names)}")
            elif name not in placed_here:
                placed_here.append(name)
        else:
            self.add(line, col, f"unknown placeholder '{{{{{kind} ...}}}}': use {{{{blank ID}}}}, {{{{graph NAME}}}} "
                                f"or {{{{chart NAME}}}}{did_you_mean(kind, ['blank', 'graph', 'chart'])}")


def _blocks(markdown: str) -> int:
    """The blocks a step's Markdown makes, counted from its lines without parsing it: a line after a blank
    line, or one that opens a heading, quote, list item, fence or table row, starts one (a fence's own
    lines and a table's further rows do not)."""
    count, after_blank, in_fence, table = 0, True, False, False
    for line in markdown.split("\n"):
        fence = is_fence(line)
        if in_fence:
            in_fence = not fence
            continue
        if line.strip() and (after_blank or _BLOCK_START.match(line)) and not (line.lstrip().startswith("|") and
                                                                                not after_blank and table):
            count += 1
        table = line.lstrip().startswith("|")
        in_fence, after_blank = fence, not line.strip()
    return count


def _first_issues(issues: list[Issue]) -> list[Issue]:
    """Every issue once, in file order, at most MAX_ISSUES_SHOWN; then one more saying how many are left."""
    ordered = sorted(dict.fromkeys(issues), key=lambda issue: (issue.line, issue.col))
    if len(ordered) <= MAX_ISSUES_SHOWN:
        return ordered
    rest = ordered[MAX_ISSUES_SHOWN]
    more = len(ordered) - MAX_ISSUES_SHOWN
    many = f"at least {more}" if len(issues) >= MAX_ISSUES_COLLECTED else str(more)
    return ordered[:MAX_ISSUES_SHOWN] + [Issue(rest.path, rest.line, rest.col,
                                               f"... and {many} more errors from here on; fix these first")]


def _describe(instance) -> str:
    return "the variant " + ", ".join(f"{k}={v}" for k, v in instance.inputs.items())


def _heading(title: str):
    """'## 사과 / Apples' gives {ko: 사과, en: Apples}; a heading without ' / ' is one text."""
    ko, separator, en = title.partition(" / ")
    return Localized(ko.strip(), en.strip()) if separator else title


def _label(path: tuple) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else (f".{p}" if i else p) for i, p in enumerate(path))


def _humanize(message: str) -> str:
    def words(match):
        return " or ".join(_TYPE_WORDS.get(t.strip(), t.strip()) for t in match.group(1).split("|"))

    message = re.sub(r"`([^`]*)`", words, message)
    return message[:1].lower() + message[1:]


def _fields_at(typ, segments: tuple) -> list[str]:
    """The keys the struct at ``segments`` inside ``typ`` accepts (for did-you-mean)."""
    try:
        for segment in (*segments, None):
            members = get_args(typ) if get_origin(typ) in (Union, UnionType) or isinstance(typ, UnionType) else (typ,)
            if isinstance(segment, int):
                typ = get_args(next(m for m in members if get_origin(m) is list))[0]
                continue
            struct = next(m for m in members if isinstance(m, type) and issubclass(m, msgspec.Struct))
            fields = {f.encode_name: f.type for f in msgspec.structs.fields(struct)}
            if segment is None:
                return list(fields)
            typ = fields[segment]
    except (StopIteration, KeyError):
        pass
    return []
