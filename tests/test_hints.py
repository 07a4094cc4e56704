"""Hints that lead (issue 17): from the general rule to the specific step. The rule the tutor reads off the
graph comes before the author's last hint, and the product with the graph's numbers after it, last of all;
every problem of the course has at least two hints of its author's, and none gives its answer away first
(``tutor check --strict``'s few-hints and hint-reveals, run here over the bundled course)."""

import pytest

from tutor.authoring.lints import lint_lesson
from tutor.grading import hints
from tutor.lessons import bundled_lessons_dir, load_lessons, text

LESSONS, _ = load_lessons(bundled_lessons_dir())
BY_ID = {lesson.id: lesson for lesson in LESSONS}


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_graphs_rule_comes_before_the_authors_last_hint_and_its_numbers_after(lang):
    """The product with numbers (1.1 × 2 = ?) is all but the answer: before it came after the author's last
    hint, which then read vaguer than the one before it."""
    inst = BY_ID["apple-backward"].instance()
    problem = inst.lesson.problem("d-apple-price")
    own = [text(hint, lang) for hint in problem.hints]
    shown = hints(inst, problem.id, lang)
    assert len(own) >= 2 and len(shown) == len(own) + 2
    assert shown[:len(own) - 1] == own[:-1] and shown[-2] == own[-1]
    rule, numbers = shown[len(own) - 1], shown[-1]
    assert "?" not in rule and "×" in numbers and numbers.count("=") >= 1 and "?" in numbers


def test_an_authors_single_hint_still_comes_first(tmp_path):
    from tutor.lessons import load_lesson

    path = tmp_path / "one.md"
    path.write_text("""---
id: one
title: {ko: 하나, en: One}
graphs:
  g:
    inputs: {x: 3, y: 2}
    nodes: {z: x * y}
problems:
  - id: dz
    answer: grad(x)
    prompt: {ko: 기울기는?, en: The gradient?}
    hints: [{ko: 다른 입력, en: the other input}]
---
## 하나 / One

{{blank dz}}
""", encoding="utf-8")
    shown = hints(load_lesson(path).instance(), "dz", "en")
    assert shown[0] == "the other input" and len(shown) > 1


@pytest.mark.parametrize("lesson", LESSONS, ids=lambda lesson: lesson.id)
def test_every_problem_has_two_hints_and_the_first_gives_nothing_away(lesson):
    assert all(len(problem.hints) >= 2 for problem in lesson.problems)
    assert [str(lint) for lint in lint_lesson(lesson) if lint.code in ("few-hints", "hint-reveals")] == []


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_a_function_nodes_rule_names_the_node_itself_not_letters_the_graph_uses_for_others(lang):
    """Lesson 13's graph calls the sigmoid's input x and its output y; 'exp node y = exp(x): ∂y/∂x = y' read
    as a claim about those (exp(1.1) = 0.75)."""
    from tutor.grading.hints import label

    lesson = next(lesson for lesson in LESSONS if lesson.id == "sigmoid-steps")
    inst = lesson.instance()
    problem = lesson.problem("exp-local")
    graph = inst.graph(problem.graph)
    exp_node = next(name for name, node in graph.nodes.items() if node.op == "exp")
    labels = {node: text(value, lang) for node, value in lesson.graphs[problem.graph].labels.items()}
    assert {"x", "y"} <= set(graph.nodes)
    told = hints(inst, problem.id, lang)
    assert any("exp" in hint and label(graph, exp_node, labels) in hint for hint in told)
    assert not any("∂y/∂x" in hint for hint in told)


def test_a_broadcast_inputs_solution_sums_the_products():
    """Lesson 14's bias is added to every sample: its solution read ∂L/∂b = ∂L/∂y × ∂y/∂b, without the
    sum over the batch that the blank is about."""
    from tutor.grading import solution

    inst = BY_ID["affine-softmax"].instance()
    graph = inst.graph(inst.lesson.problem("db").graph)
    assert graph.values["b"].shape != graph.backward().grads["y"].shape  # b is broadcast into y
    for lang in ("ko", "en"):
        assert "= Σ(∂L/∂y × ∂y/∂b) =" in solution(inst, "db", lang)
