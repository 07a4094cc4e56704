"""Fuzzing the untrusted inputs (SECURITY.md): lesson files (arbitrary bytes, and valid lessons
mutated), learners' answers, and graphs with arbitrary values and labels into the renderer.

Each property runs twice: a quick run in every `pytest` (QUICK examples) and a long one under
`pytest -m fuzz` (LONG examples), which the default run deselects. Every example is under a hang
guard; no timing is asserted beyond it."""

import re
import signal
import tempfile
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from tutor.engine import Graph, GraphError
from tutor.grading import AnswerError, Verdict, grade, parse_formula, parse_number, parse_vector
from tutor.lessons import LessonError, load_lesson
from tutor.lessons.answers import AnswerError as ExpressionAnswerError, parse_answer
from tutor.lessons.safe_yaml import YamlError, read_yaml
from tutor.render.graph import render_graph

QUICK, LONG = 60, 3000
HANG_SECONDS = 10  # per example, on a loaded 2-core machine; the real figures are in bench/
TESTS = Path(__file__).parent
SEEDS = sorted((TESTS / "lessons").glob("*.md")) + sorted((TESTS / "lessons" / "grading").glob("*.md")) + \
    [TESTS / "hostile" / "01-hostile.md"]
# What must never reach the terminal: C0/C1 controls but tab and newline, and bidi overrides.
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


class Hang(BaseException):
    """Not an Exception, so no ``except Exception`` in the code under test can swallow it."""


@contextmanager
def hang_guard(seconds: float = HANG_SECONDS):
    def stop(_signum, _frame):
        raise Hang(f"no answer within {seconds} s")

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def quick_and_long(*strategies):
    """The property as two tests: (quick, long); the long one is marked ``fuzz``."""
    def make(check):
        def run(examples):
            return settings(max_examples=examples, deadline=None, database=None,
                            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much,
                                                   HealthCheck.data_too_large])(given(*strategies)(check))
        return run(QUICK), pytest.mark.fuzz(run(LONG))
    return make


# ---- lesson files -------------------------------------------------------------------------------

def load_bytes(data: bytes):
    """``load_lesson`` on a file holding ``data``: a Lesson, or the LessonError (nothing else may escape)."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "fuzzed.md"
        path.write_bytes(data)
        with hang_guard():
            try:
                return load_lesson(path)
            except LessonError as e:
                assert e.issues and all(i.line >= 1 and i.col >= 1 and i.message for i in e.issues)
                return e


def check_loaded_lesson(lesson) -> None:
    """What the loader promises of a lesson it accepts: every answer computes, every blank grades,
    every graph draws without a control character."""
    inst = lesson.instance()
    with hang_guard():
        for problem in lesson.problems:
            inst.answer(problem.id)
            assert isinstance(grade(inst, problem.id, "1"), Verdict)
        for name, spec in lesson.graphs.items():
            labels = {node: str(label) for node, label in spec.labels.items()}
            for line in render_graph(inst.graph(name), values="both", labels=labels, width=80):
                assert not CONTROL.search(line.plain)




@st.composite
def mutated_lessons(draw) -> bytes:
    """A valid lesson with a few random edits: bytes deleted, inserted, repeated or replaced."""
    data = bytearray(draw(st.sampled_from(SEEDS)).read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        at = draw(st.integers(0, len(data)))
        size = draw(st.integers(0, 40))
        edit = draw(st.sampled_from(["delete", "insert", "repeat", "replace"]))
        if edit == "delete":
            del data[at:at + size]
        elif edit == "insert":
            data[at:at] = draw(st.one_of(st.binary(max_size=size), st.sampled_from(
                [b"[", b"{", b"&a ", b"*a", b"!!python/object/apply:os.system ", b"\x1b", b"\xff", b"\x00",
                 b"\r\n", b"\xef\xbb\xbf", b"\n  - ", b": ", b"'", b'"\\e]52;c;eA==\\a"', b"9" * 400,
                 b"1e999", b".nan", b"{{blank ", b"{{graph g}}", b"\n## ", b"::: en\n"])))
        elif edit == "repeat":
            data[at:at] = data[at:at + size] * draw(st.integers(2, 50))
        else:
            data[at:at + size] = draw(st.binary(min_size=size, max_size=size))
    return bytes(data)


def check_lesson_file(data: bytes) -> None:
    result = load_bytes(data)
    if not isinstance(result, LessonError):
        check_loaded_lesson(result)


front_matter_bytes = st.binary(max_size=3000).map(lambda body: b"---\n" + body + b"\n---\n{{blank p}}\n")

test_arbitrary_bytes_are_a_lesson_or_a_lesson_error, test_arbitrary_bytes_long = quick_and_long(
    st.one_of(st.binary(max_size=3000), front_matter_bytes))(check_lesson_file)

test_mutated_lessons_load_or_say_why, test_mutated_lessons_long = quick_and_long(mutated_lessons())(check_lesson_file)


def check_yaml(text: str) -> None:
    with hang_guard():
        try:
            read_yaml(text)
        except YamlError as e:
            assert e.line >= 0 and e.column >= 0


yaml_text = st.one_of(st.text(max_size=500), st.text(alphabet="[]{}:,-&*!|>'\"\n #?abc1", max_size=500))
test_front_matter_reader_gives_a_document_or_a_yaml_error, test_front_matter_reader_long = quick_and_long(
    yaml_text)(check_yaml)


# ---- learners' answers --------------------------------------------------------------------------

GRADING = {path.stem: load_lesson(path) for path in sorted((TESTS / "lessons" / "grading").glob("*.md"))}
PROBLEMS = [(name, p.id) for name, lesson in GRADING.items() for p in lesson.problems]
# Text made of what answers are made of reaches deeper into the parser than arbitrary text does.
answer_text = st.one_of(st.text(max_size=300),
                        st.text(alphabet="0123456789.,+-*/^()[] exyztw_eE×÷·−²³⁻１２ naif", max_size=120))


def check_grade(case: tuple[str, str], text: str, lang: str) -> None:
    name, pid = case
    with hang_guard():
        verdict = grade(GRADING[name].instance(), pid, text, lang)
    assert isinstance(verdict, Verdict) and isinstance(verdict.message, str) and verdict.message
    assert not (verdict.invalid and verdict.correct)


test_any_typed_answer_gets_a_verdict, test_any_typed_answer_long = quick_and_long(
    st.sampled_from(PROBLEMS), answer_text, st.sampled_from(["ko", "en"]))(check_grade)


def check_parsers(text: str) -> None:
    with hang_guard():
        for parse in (parse_number, parse_vector, lambda t: parse_formula(t, ["x", "y", "t"])):
            try:
                parse(text)
            except AnswerError as e:
                assert e.message("ko") and e.message("en")
        try:
            parse_answer(text)  # the lesson author's answer expressions
        except ExpressionAnswerError:
            pass


test_the_parsers_raise_only_their_own_error, test_the_parsers_long = quick_and_long(answer_text)(check_parsers)


# ---- graphs into the renderer -------------------------------------------------------------------

OPERATIONS = ["{} + {}", "{} * {}", "{} - {}", "{} / {}", "relu({})", "sigmoid({})", "tanh({})", "exp({})",
              "square({})", "sum({})", "mean({})", "-{}", "{} ** 2", "transpose({})", "{} @ {}"]
number = st.one_of(st.integers(-10, 10), st.floats(allow_nan=False, allow_infinity=False, width=64))
value = st.one_of(number, st.lists(number, min_size=1, max_size=12),
                  st.integers(1, 4).flatmap(lambda n: st.lists(st.lists(number, min_size=n, max_size=n),
                                                               min_size=1, max_size=4)))


@st.composite
def drawn_graphs(draw):
    inputs = {f"x{i}": draw(value) for i in range(draw(st.integers(1, 4)))}
    names, nodes = list(inputs), {}
    for i in range(draw(st.integers(1, 8))):
        pattern = draw(st.sampled_from(OPERATIONS))
        nodes[f"n{i}"] = pattern.format(*(draw(st.sampled_from(names)) for _ in range(pattern.count("{}"))))
        names.append(f"n{i}")
    try:
        graph = Graph.parse(inputs=inputs, nodes=nodes)
        graph.values, graph.backward()  # shapes that do not fit, or overflow: not a graph a lesson can hold
    except GraphError:
        assume(False)
    labels = {n: draw(st.text(max_size=30)) for n in draw(st.lists(st.sampled_from(names), max_size=4))}
    hidden = {(draw(st.sampled_from(["forward", "backward"])), n): draw(st.text(max_size=5))
              for n in draw(st.lists(st.sampled_from(names), max_size=3))}
    return graph, labels, hidden, draw(st.sampled_from([None, *names]))


def check_render(case, values: str, ascii: bool, width) -> None:
    graph, labels, hidden, highlight = case
    with hang_guard():
        lines = render_graph(graph, values=values, hidden=hidden, highlight=highlight, ascii=ascii, width=width,
                             labels=labels)
    assert lines and not any(CONTROL.search(line.plain) for line in lines)


test_any_graph_draws_without_control_characters, test_any_graph_draws_long = quick_and_long(
    drawn_graphs(), st.sampled_from(["forward", "backward", "both"]), st.booleans(),
    st.one_of(st.none(), st.integers(20, 200)))(check_render)
