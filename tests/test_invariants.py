"""What the learner is told must be true, as a property (issue 15): every invariant of
``tutor.authoring.truth`` over the bundled course × the file's values and 20 variant seeds; the texts the
app, the quiz and the answer sheet print, free of internal names; and a small pack of deliberate
violations (tests/lessons/violations), each one caught — the author's by ``tutor check --strict`` at its
file:line:col, the tutor's own (simulated by breaking the tutor) by the same checks the course passes."""

import importlib
import re
from pathlib import Path

import msgspec
import numpy as np
import pytest
from cli_runner import CliRunner

from tutor.authoring import truth
from tutor.authoring.sheet import answer_sheet
from tutor.authoring.truth import SEEDS, findings, hidden_names, internal_name
from tutor.cli import main
from tutor.grading.compare import instance_of
from tutor.lessons import bundled_lessons_dir, load_lessons, text

# the modules (tutor.grading.grade and .hints are also the package's functions)
grading, hints = (importlib.import_module(f"tutor.grading.{name}") for name in ("grade", "hints"))
LESSONS, _ = load_lessons(bundled_lessons_dir())
VIOLATIONS = Path(__file__).parent / "lessons" / "violations"


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_invariant_holds_for_every_problem_and_20_variants(lesson):
    assert len(SEEDS) >= 20
    broken = findings(lesson, SEEDS)
    assert not broken, "\n".join(f"{f.code}: {f.message}" for f in broken)


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_the_walk_the_quiz_and_the_answer_sheet_name_only_what_the_learner_sees(lesson):
    from tutor.app.screens.walk import walk_lines, walk_order
    from tutor.quiz.present import answer_label, drawing, question_lines
    from tutor.quiz.selection import Question

    for seed in [None, *(SEEDS if lesson.variants else ())]:
        inst = instance_of(lesson, seed)
        for lang in ("ko", "en"):
            printed = [answer_sheet(lesson, seed, lang).replace("**", "")]  # Markdown's bold is not DSL
            for name, spec in lesson.graphs.items():
                graph = inst.graph(name)
                labels = {node: text(label, lang) for node, label in spec.labels.items()}
                walked = walk_order(graph)  # every node the walk visits, in every graph (lesson 1's two outputs too)
                printed += [walk_lines(graph, node, lang, labels=labels).plain for node in walked]
                printed += [hints.label(graph, node, labels) for node in walked]  # the walk's title
            for problem in lesson.problems:
                question = Question(lesson, problem, seed=seed)
                printed += [*question_lines(question, lang), answer_label(question, inst, lang)]
                printed += [line.plain for line in drawing(question, inst, lang)]
            for graph_name in [None, *lesson.graphs]:
                hidden = hidden_names(lesson, graph_name)
                shown = [name for name in (internal_name(t, hidden) for t in printed) if name]
                assert not shown, (lesson.id, seed, lang, graph_name, shown[:3])


# ---- the pack of deliberate violations ------------------------------------------------------------------

PACK, BROKEN = load_lessons(VIOLATIONS)
BY_ID = {lesson.id: lesson for lesson in PACK}


def test_the_violations_pack_loads():
    assert BROKEN == [] and len(PACK) == 4


def codes(lesson_id: str) -> set[str]:
    return {f.code for f in findings(BY_ID[lesson_id], SEEDS)}


def test_each_authors_violation_is_caught_by_check_strict_at_its_line_and_column():
    result = CliRunner().invoke(main, ["check", "--strict", str(VIOLATIONS)])
    assert result.exit_code == 1
    lints = re.findall(r"^(.*\.md):(\d+):(\d+): lint\[([\w-]+)\]: (.*)$", result.output, re.M)
    where = {(Path(path).name, code): (int(line), int(col)) for path, line, col, code, _ in lints}

    def at(name: str, needle: str) -> int:
        return next(i for i, line in enumerate((VIOLATIONS / name).read_text().splitlines(), 1) if needle in line)

    assert where[("01-counts.md", "whole-band")][0] == at("01-counts.md", "tolerance: {rel: 0.01}")
    assert where[("01-counts.md", "internal-name")][0] == at("01-counts.md", "Divide by batch_size")
    assert where[("02-same-inputs.md", "mistake-is-answer")][0] in (at("02-same-inputs.md", "variants:"),
                                                                   at("02-same-inputs.md", "id: own,"))
    assert where[("03-formulas.md", "formula-not-shown")][0] == at("03-formulas.md", "- id: ds-dv")
    messages = [m for *_, m in lints]
    assert any("'own-input' gives" in m and "(x = " in m for m in messages)  # the engine's rule, in a variant
    assert any("mistake 'own' gives" in m for m in messages)  # the author's
    assert all(w[1] > 0 for w in where.values())


def test_the_tutors_own_invariants_hold_on_the_pack():
    tutor_codes = {f.code for lesson in PACK for f in findings(lesson, SEEDS)} - truth.AUTHOR_CODES
    assert tutor_codes == set()


def test_a_shown_answer_with_too_few_digits_is_caught(monkeypatch):
    from tutor.grading.compare import Band
    from tutor.render.numbers import format_number

    monkeypatch.setattr(Band, "shown", lambda self, value: format_number(value))  # 4 digits, whatever the band
    assert "shown-refused" in codes("counts")  # next-w: 2.0044 needs 5 digits


def test_a_whole_number_graded_with_a_band_is_caught(monkeypatch):
    from tutor.grading.compare import Band

    monkeypatch.setattr(grading, "band_of", lambda lesson, problem, value=None: Band())
    assert "inexact-whole" in codes("counts")  # two-epochs: 1201 accepted for 1200


def test_a_mistake_told_for_an_accepted_answer_is_caught(monkeypatch):
    real = truth.grade

    def tells_a_mistake_anyway(*args, **kwargs):
        verdict = real(*args, **kwargs)
        return verdict if not verdict.correct else msgspec.structs.replace(verdict, mistake="own-input")

    monkeypatch.setattr(truth, "grade", tells_a_mistake_anyway)
    assert "false-diagnosis" in codes("same-inputs")


def test_a_generated_name_in_a_hint_is_caught(monkeypatch):
    monkeypatch.setattr(hints, "label", lambda graph, name, labels: labels.get(name, name))  # the names as built
    assert "internal-name-shown" in codes("unrolled")  # ∂L/∂s0 * x1, and s0 for 처음 w


def test_a_rounded_earlier_answer_not_carried_is_caught(monkeypatch):

    monkeypatch.setattr(grading, "carried_answer", lambda inst, problem, earlier: None)
    assert "carry-refused" in codes("unrolled")


def test_a_name_outside_the_vars_accepted_is_caught(monkeypatch):
    from tutor.grading.parse import parse_formula

    monkeypatch.setattr(grading, "_read_formula", lambda inst, problem, text: parse_formula(
        text, [n for n, node in inst.graph(problem.graph).nodes.items() if node.named]))
    assert "formula-var" in codes("formulas")


def test_the_course_has_variants_for_every_lesson_whose_numbers_change():
    """The invariants were checked over 20 draws where a lesson has draws at all."""
    varied = [lesson for lesson in LESSONS if lesson.variants]
    assert len(varied) >= 8
    for lesson in varied:
        draws = {tuple(sorted((k, float(np.sum(v))) for k, v in lesson.instance(seed).inputs.items())) for seed in SEEDS}
        assert len(draws) > 1, lesson.id


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_the_walk_writes_upstream_times_local_only_where_the_numbers_multiply_so(lesson):
    """ctrl+b's "→ x: upstream × local = downstream" is a claim about the numbers under it: the upstream
    gradient times the local derivative, number by number, is the gradient that flows (no sum, no matrix
    product), over the course and its variants."""
    from tutor.app.i18n import t
    from tutor.app.screens.walk import walk_lines, walk_order

    for seed in [None, *(SEEDS if lesson.variants else ())]:
        inst = instance_of(lesson, seed)
        for name, spec in lesson.graphs.items():
            graph = inst.graph(name)
            for node in walk_order(graph, spec.upstream):
                if graph.nodes[node].is_leaf:
                    continue
                printed = walk_lines(graph, node, "en").plain
                for i, arg in enumerate(graph.nodes[node].args):
                    flow = graph.edge_grad(node, i)
                    said = t("walk.edge", "en", arg=hints.label(graph, arg, {})) in printed
                    if flow is None or not said:
                        continue
                    product = np.multiply(graph.backward().grads[node], graph.edge_local(node, i))
                    assert np.shape(product) == np.shape(flow) and np.allclose(product, flow), (name, node, arg)
