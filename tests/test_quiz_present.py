"""How a quiz question is drawn: the asked value hidden, the upstream gradients shown, the
gradients that would give the answer away hidden."""

from tutor.lessons import bundled_lessons_dir, load_lesson, load_lessons
from tutor.quiz.present import ASKED_MARK, OTHER_MARK, drawing, hidden_values, question_lines
from tutor.quiz.selection import Question

LESSONS = {lesson.id: lesson for lesson in load_lessons(bundled_lessons_dir())[0]}


def test_a_gradient_question_shows_only_the_gradients_upstream_of_the_asked_one():
    lesson = LESSONS["apple-backward"]
    graph = lesson.instance(seed=9).graph()
    values, hidden = hidden_values(lesson.problem("d-apple-price"), graph)
    assert values == "both"
    assert hidden[("backward", "apple_price")] == ASKED_MARK
    # the partner's gradient mirrors the answer; the side branch is hidden too
    assert hidden[("backward", "apple_count")] == OTHER_MARK and ("backward", "tax") in hidden
    # what the learner needs: the gradient reaching the node, and the output's 1
    assert ("backward", "apple_total") not in hidden and ("backward", graph.output) not in hidden


def test_a_forward_question_hides_its_value_and_draws_no_gradients():
    lesson = LESSONS["computational-graph"]
    problem = lesson.problem("apple-payment")
    assert hidden_values(problem, lesson.instance(seed=3).graph(problem.graph)) == (
        "forward", {("forward", "payment"): ASKED_MARK})


UNROLLED_GD = """---
id: unrolled-gd
title: GD
params: {lr: 0.1}
graphs:
  gd:
    inputs: {X: [1, 2, 3], w1: 2.066666666666667, w2: 2.0044444444444443}
    nodes:
      train_y: 2 * X
      loss1: mse(relu(w1 * X), train_y)
      loss2: mse(relu(w2 * X), train_y)
    output: loss2
problems:
  - id: gd-w2
    answer: value(w1) - lr * d(loss1, w1)
---
## GD

{{blank gd-w2}}
"""


def test_a_composite_answer_hides_drawn_values_equal_to_it(tmp_path):
    # gd-w2 asks for w after the second GD step; this graph has that weight as an input (w2)
    (tmp_path / "gd.md").write_text(UNROLLED_GD, encoding="utf-8")
    lesson = load_lesson(tmp_path / "gd.md")
    problem = lesson.problem("gd-w2")
    instance = lesson.instance()
    graph = instance.graph(problem.graph)
    values, hidden = hidden_values(problem, graph, instance.answer(problem.id))
    assert values == "forward" and hidden[("forward", "w2")] == ASKED_MARK
    assert hidden[("forward", "loss2")] == OTHER_MARK  # computed from w2: hidden too
    assert not any(node in hidden for node in [("forward", "w1"), ("forward", "loss1")])
    question = Question(lesson, problem, seed=5)
    shown = "\n".join(line.plain for line in drawing(question, instance, "en", ascii=True))
    assert "2.004" not in shown and f"[{ASKED_MARK}]" in shown


def test_a_value_question_hides_an_intermediate_equal_to_its_answer_but_not_its_givens():
    lesson = LESSONS["y-equals-2x"]
    problem = lesson.problem("pred-y")  # pred_y = relu(w * X): with w > 0 the product is the answer
    instance = lesson.instance(seed=0)
    graph = instance.graph(problem.graph)
    values, hidden = hidden_values(problem, graph, instance.answer(problem.id))
    product = next(name for name, node in graph.nodes.items() if node.op == "mul" and "w" in node.args)
    assert hidden[("forward", "pred_y")] == ASKED_MARK and hidden[("forward", product)] == ASKED_MARK
    assert ("forward", "w") not in hidden and ("forward", "X") not in hidden


def test_the_drawing_carries_the_markers():
    lesson = LESSONS["apple-backward"]
    question = Question(lesson, lesson.problem("d-tax"), seed=2)
    shown = "\n".join(line.plain for line in drawing(question, lesson.instance(seed=2), "en", ascii=True))
    assert f"[{ASKED_MARK}]" in shown and f"[{OTHER_MARK}]" in shown


def test_a_choice_question_numbers_its_options_and_hides_their_ids():
    lesson = LESSONS["gradient-check"]  # its option ids name the answer ("correct")
    problem = next(p for p in lesson.problems if p.type == "choice")
    prompt, *options = question_lines(Question(lesson, problem, seed=1), "en")
    assert [line.split(")")[0].strip() for line in options] == [str(n) for n in range(1, len(problem.options) + 1)]
    assert not any(f"{option.id})" in "\n".join(options) for option in problem.options)


def test_a_choice_question_has_no_drawing():
    lesson = LESSONS["appendix-questions"]
    question = Question(lesson, lesson.problems[0], seed=1)
    assert drawing(question, lesson.instance(seed=1), "ko") == []


def test_a_matrix_the_graph_draws_as_its_shape_is_written_out_below_it():
    # The lesson's prose gives a and t; the quiz leaves the prose out, so the drawing must carry them.
    from tutor.render.numbers import format_number

    lesson = LESSONS["affine-softmax"]
    problem = lesson.problem("softmax-grad1")
    instance = lesson.instance(seed=11)
    text = "\n".join(line.plain for line in drawing(Question(lesson, problem, seed=11), instance, "en"))
    graph = instance.graph(problem.graph)
    for name in ("a", "t"):
        rows = ", ".join("[" + ", ".join(format_number(x) for x in row) + "]" for row in graph.values[name])
        assert f"= [{rows}]" in text
