"""The quiz as a learner goes through it (issue 18): a prompt that stands alone, the summary in the
learner's words with the way to go again, the feedback under its own question and in the language
on screen. Answers come from the engine, never typed here."""

import asyncio
from pathlib import Path

import numpy as np
import pytest

from tutor.lessons import LessonError, bundled_lessons_dir, load_lesson, load_lessons
from tutor.progress import Store
from tutor.quiz.messages import say
from tutor.quiz.present import question_lines, summary_lines
from tutor.quiz.selection import Question
from tutor.quiz.session import QuizSession
from tutor.render.numbers import format_number

LESSONS, _ = load_lessons(bundled_lessons_dir())
BY_ID = {lesson.id: lesson for lesson in LESSONS}


def question(lesson_id: str, pid: str) -> Question:
    lesson = BY_ID[lesson_id]
    return Question(lesson, lesson.problem(pid), None)


def typed(q: Question) -> str:
    value = q.lesson.instance(seed=q.seed).answer(q.problem.id)
    return ", ".join(format_number(v) for v in np.ravel(value))


def test_a_prompt_that_leans_on_its_lesson_is_asked_standing_alone():
    """'같은 dout과 W에서' (lesson 11) names no dout and no W: the quiz asks its quiz_prompt, which does."""
    q = question("affine-softmax", "dx-row1")
    assert "같은" in q.problem.prompt.ko
    for lang in ("ko", "en"):
        asked = question_lines(q, lang)[0]
        assert "dout = [[" in asked and "W = [[" in asked
    leaning = [p for lesson in LESSONS for p in lesson.problems
               if (p.prompt.ko if hasattr(p.prompt, "ko") else p.prompt).startswith(("같은", "문제 1:", "문제 2:"))]
    assert leaning and all(p.quiz_prompt for p in leaning)


def test_a_quiz_prompt_needs_a_prompt(tmp_path):
    source = (bundled_lessons_dir() / "05-add-mul-nodes.md").read_text(encoding="utf-8")
    broken = source.replace('    prompt: {ko: "같은 × 노드에서 ∂L/∂y는?", en: "At the same × node, what is ∂L/∂y?"}\n', "", 1)
    assert broken != source
    path = tmp_path / "05.md"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(LessonError) as error:
        load_lesson(path)
    assert "quiz_prompt" in str(error.value) and ":" in str(error.value).split(" ")[0]


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_the_summary_names_a_lessons_own_mistake_by_its_words_not_its_id(lang):
    """Lesson 4's own mistake 't-squared' (the value of z for ∂z/∂t)."""
    q = question("chain-rule", "dz-dt")
    session = QuizSession([q], None, "course", lang)
    value_of_z = q.lesson.instance().graph("square").value("z")
    verdict = session.submit(format_number(value_of_z))
    assert verdict.mistake == "t-squared"
    shown = "\n".join(summary_lines(session.summary(), lang))
    assert "t-squared" not in shown
    own = next(m for m in q.problem.mistakes if m.id == "t-squared")
    assert getattr(own.message, lang)[:15] in shown


def test_line_mode_ends_by_saying_how_to_go_again(tmp_path):
    import subprocess
    import sys

    env = {"TUTOR_DATA_DIR": str(tmp_path), "TUTOR_DB": str(tmp_path / "p.db"), "TUTOR_LANG": "en",
           "PATH": "/usr/bin:/bin"}
    run = subprocess.run([sys.executable, "-c", "from tutor.cli import main; main()", "quiz", "--plain",
                          "--lesson", "apple-backward", "--count", "1"], input=":quit\n", env=env,
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    assert say("again-plain", "en") in run.stdout


def test_the_quiz_screen_keeps_feedback_under_its_question_says_it_in_the_screens_language_and_goes_again():
    from tutor.app.quiz_screen import QuizApp, QuizScreen
    from tutor.app.screens.lesson import BlankField
    from tutor.app.widgets import LiteralLine

    store = Store.in_memory()
    first = question("apple-backward", "d-tax")
    again_asked = []

    def again():
        again_asked.append(True)
        return QuizSession([question("apple-backward", "d-apple-total")], store, "course", "ko")

    session = QuizSession([first], store, "course", "ko")
    app = QuizApp(session, LESSONS, again=again)

    async def run():
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, QuizScreen)
            field = screen.query_one(BlankField)
            field.input.value = "1"  # wrong
            await pilot.press("enter")
            await pilot.pause()
            shown = field.feedback.render().plain
            assert "✗" in shown
            await pilot.press("f2")
            await pilot.pause()
            english = field.feedback.render().plain
            assert english != shown and not any("\uac00" <= c <= "\ud7a3" for c in english.split("\n")[0])
            assert str(screen.query_one("#quiz-title", LiteralLine).render()).startswith("[1/1]")
            await pilot.press("enter")  # to the summary
            await pilot.pause()
            summary = str(screen.query_one("#quiz-summary", LiteralLine).render())
            assert say("again-screen", "en") in summary
            await pilot.press("enter")  # a new quiz
            await pilot.pause()
            assert again_asked and not screen.session.finished
            assert str(screen.query_one("#quiz-title", LiteralLine).render()).startswith("[1/1]")

    asyncio.run(run())
