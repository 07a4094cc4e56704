"""The quiz screen through Textual's Pilot: answer three questions, see the summary."""

import asyncio

import numpy as np

from tutor.grading.grade import shown_answer
from tutor.lessons import bundled_lessons_dir, load_lessons
from tutor.progress import Store
from tutor.quiz.messages import say
from tutor.quiz.present import answer_label
from tutor.quiz.session import QuizSession, plan_quiz
from tutor.render.numbers import format_number

LESSONS, _ = load_lessons(bundled_lessons_dir())


def typed(question) -> str:
    instance = question.lesson.instance(seed=question.seed)
    value = instance.answer(question.problem.id)
    if question.problem.type == "expression":  # the formula: its number is asked for the formula again
        return shown_answer(instance, question.problem.id)
    return value if question.problem.type == "choice" else ", ".join(format_number(v) for v in np.ravel(value))


def wrong(question) -> str:
    problem = question.problem
    if problem.type == "choice":
        return next(option.id for option in problem.options if option.id != problem.answer)
    value = question.lesson.instance(seed=question.seed).answer(problem.id)
    return ", ".join(format_number(v * 3 + 7) for v in np.ravel(value))


def test_answer_three_and_see_the_summary():
    from tutor.app.quiz_screen import QuizApp, QuizScreen
    from tutor.app.screens.lesson import BlankField
    from tutor.app.widgets import LiteralLine

    store = Store.in_memory()
    questions, _ = plan_quiz(LESSONS, store, "course", ("apple-backward", "gradient-descent"), count=3, seed=4)
    session = QuizSession(questions, store, "course", "en")
    app = QuizApp(session, LESSONS)

    async def run():
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, QuizScreen)
            answers = [typed(questions[0]), wrong(questions[1]), typed(questions[2])]  # right, wrong, right
            for number, answer in enumerate(answers, 1):
                title = str(screen.query_one("#quiz-title", LiteralLine).render())
                assert title.startswith(f"[{number}/3]")
                field = screen.query_one(BlankField)
                label = answer_label(questions[number - 1], session.instance(), "en")
                assert str(field.line("options").render()).endswith(label)
                field.input.value = answer
                await pilot.press("enter")
                await pilot.pause()
                # the feedback stands under the question it answers, until Enter goes on
                assert str(screen.query_one("#quiz-title", LiteralLine).render()) == title
                feedback = field.feedback.render().plain
                assert ("✓" if number != 2 else "✗") in feedback
                # what Enter does now, after the verdict; what to type, above the box, only while asking
                assert feedback.endswith(say("next-question" if number < 3 else "to-summary", "en"))
                assert label not in str(field.line("options").render())
                await pilot.press("enter")
                await pilot.pause()
            summary = str(screen.query_one("#quiz-summary", LiteralLine).render())
            assert say("score", "en", right=2, asked=3) in summary
            title = str(screen.query_one("#quiz-title", LiteralLine).render())
            assert title == say("summary", "en") and say("summary", "en") not in summary  # said once
            assert not screen.query_one(".blank").display

    asyncio.run(run())
    assert [a.correct for a in store.attempts()] == [True, False, True]
    assert [a.seed for a in store.attempts()] == [q.seed for q in questions]


def test_after_the_last_hint_the_quiz_screen_says_there_are_no_more_and_that_ctrl_r_shows_the_answer():
    from tutor.app.quiz_screen import QuizApp
    from tutor.app.widgets import LiteralLine
    from tutor.grading import hints

    store = Store.in_memory()
    questions, _ = plan_quiz(LESSONS, store, "course", ("apple-backward",), count=1, seed=4)
    every_hint = hints(questions[0].lesson.instance(seed=questions[0].seed), questions[0].problem.id, "ko")
    app = QuizApp(QuizSession(questions, store, "course", "ko"), LESSONS)

    async def run():
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            for _ in every_hint:
                await pilot.press("ctrl+t")
            await pilot.pause()
            shown = str(app.screen.query_one(".hints", LiteralLine).render())
            assert every_hint[-1] in " ".join(shown.split()) and "여기까지" not in shown
            await pilot.press("ctrl+t")
            await pilot.pause()
            shown = str(app.screen.query_one(".hints", LiteralLine).render())
            assert shown.rstrip().endswith("힌트는 여기까지입니다. ctrl+r을 누르면 답을 볼 수 있습니다.")

    asyncio.run(run())
