"""What the quiz says after an answer: a wrong one gets the diagnosed mistake or the quiz's own words,
then the solution; never the grader's "think it through once more" (the quiz has moved on)."""

import io

from tutor.grading import grade, solution
from tutor.grading.messages import say as grader_says
from tutor.lessons import bundled_lessons_dir, load_lessons, text
from tutor.quiz import plain
from tutor.quiz.messages import say
from tutor.quiz.present import summary_lines
from tutor.quiz.selection import Question
from tutor.quiz.session import QuizSession

LESSONS = {lesson.id: lesson for lesson in load_lessons(bundled_lessons_dir())[0]}
LESSON = LESSONS["apple-backward"]


def session(lang: str) -> QuizSession:
    return QuizSession([Question(LESSON, LESSON.problem("d-apple-price"), seed=3)], lang=lang)


def test_a_wrong_answer_in_line_mode_reads_as_the_quizs_own_words_then_the_solution():
    for lang in ("ko", "en"):
        out = io.StringIO()
        quiz = session(lang)
        plain.run(quiz, io.StringIO("12345\n"), out)
        text = out.getvalue()
        assert say("wrong", lang) in text and grader_says("incorrect", lang) not in text
        worked = solution(LESSON.instance(seed=3), "d-apple-price", lang)
        assert text.index(say("wrong", lang)) < text.index(worked)


def test_a_diagnosed_mistake_keeps_its_explanation():
    quiz = session("en")
    instance = quiz.instance()
    mistaken = repr(float(instance.evaluate("local(apple_total, apple_price)")))  # the author's count-only
    verdict = quiz.submit(mistaken)
    assert not verdict.correct and verdict.mistake == "count-only"
    assert verdict.message == grade(instance, "d-apple-price", mistaken, "en").message


def test_a_wrong_option_reads_as_the_quizs_own_words_and_its_author_named_one_keeps_its_message():
    """A wrong option is recorded as the option picked, which explains nothing: the quiz says its own words
    (then the solution); an option the author named a mistake for keeps that message. The summary names both."""
    lesson = LESSONS["gradient-descent"]
    problem = next(p for p in lesson.problems if p.type == "choice" and p.mistakes
                   and len({m.answer for m in p.mistakes} | {p.answer}) < len(p.options))
    named = problem.mistakes[0]
    unnamed = next(o.id for o in problem.options
                   if o.id not in {problem.answer, *(m.answer for m in problem.mistakes)})
    quiz = QuizSession([Question(lesson, problem, seed=None), Question(lesson, problem, seed=None)], lang="en")
    first, second = quiz.submit(unnamed), quiz.submit(named.answer)
    assert first.mistake == f"option:{unnamed}" and first.message == say("wrong", "en")
    assert second.mistake == named.id and second.message == text(named.message, "en")
    summary = quiz.summary()
    assert set(summary.made_at) == {first.mistake, named.id}
    listed = summary_lines(summary, "en")
    picked = next(option for option in problem.options if option.id == unnamed)
    assert f"  - picked: {text(picked.text, 'en')}: 1" in listed
    names = [line[4:line.rindex(": ")] for line in listed if line.startswith("  - ") and ": " in line]
    assert any(text(named.message, "en").startswith(name.rstrip("…")) for name in names)  # the author's words
    # the lesson to revisit on a line of its own: its title has commas of its own (GD, SGD, mini-batch)
    assert listed[listed.index("Lessons to revisit:") + 1] == f"  - {text(lesson.title, 'en')}"


class _InterruptedOnce(io.StringIO):
    """A terminal where Ctrl+C lands while the first line is being written."""

    def write(self, text):
        if not self.getvalue() and not getattr(self, "interrupted", False):
            self.interrupted = True
            raise KeyboardInterrupt
        return super().write(text)


def test_ctrl_c_during_the_introduction_still_ends_with_the_summary():
    out = _InterruptedOnce()
    plain.run(session("en"), io.StringIO(""), out)
    assert say("score", "en", right=0, asked=0) in out.getvalue()


def test_a_quiz_leaves_the_lesson_position_and_a_skip_is_no_reveal_in_the_lesson(tmp_path):
    """The app resumes at the lesson the learner last opened, not at the quiz's last question; and a
    skipped quiz question (other numbers) does not show the lesson's blank as revealed."""
    from tutor.progress import Store

    other = LESSONS["chain-rule"]
    questions = [Question(LESSON, LESSON.problem("d-apple-price"), seed=3),
                 Question(other, other.problems[0], seed=4)]
    with Store.open(tmp_path / "db") as store:
        store.set_position("course", "add-mul-nodes")
        quiz = QuizSession(questions, store, "course", "en")
        quiz.submit("12345")
        quiz.skip()
        assert quiz.finished
        assert store.last_position("course") == ("add-mul-nodes", None)
        assert not store.problem_state("course", other.id, other.problems[0].id).revealed
        assert store.review_state("course", other.id, other.problems[0].id)[0] == 1  # the schedule heard it


def test_a_question_skipped_in_a_lesson_not_otherwise_started_comes_back_next_quiz(tmp_path):
    from tutor.progress import Store
    from tutor.quiz.session import plan_quiz

    lessons = list(LESSONS.values())
    other = LESSONS["chain-rule"]
    with Store.open(tmp_path / "db") as store:
        quiz = QuizSession([Question(LESSON, LESSON.problem("d-apple-price"), seed=3),
                            Question(other, other.problems[0], seed=4)], store, "course", "en")
        quiz.submit(repr(float(quiz.instance().answer("d-apple-price"))))
        quiz.skip()
        questions, fell_back = plan_quiz(lessons, store, "course", count=1, seed=7)
    assert not fell_back and [q.key for q in questions] == [(other.id, other.problems[0].id)]
