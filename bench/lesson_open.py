"""Opening a lesson step in the app (issue 23: p99 under 80 ms), and a step with its chart on screen.

Every step of every bundled lesson is opened in one headless app driven by Textual's Pilot: a
``LessonScreen`` is pushed at that step and timed until the screen and the widgets it mounted have
handled their events and its frame is drawn (the text checked), then popped. The peer is an empty ``Screen``
pushed and timed the same way, in alternation, so the ratio says what the lesson itself costs.

``chart_open`` opens the steps with a training panel (lesson 10's, y = 2x) the same way, and also scrolls the
step to the panel before the frame is drawn, so the chart is plotted and on screen (its legend checked).
"""

import asyncio
import time

import numpy as np
from textual.screen import Screen

from tutor.app.i18n import t
from tutor.app.main import TutorApp
from tutor.app.screens.charts import TrainingPanel, trained_graph
from tutor.app.screens.lesson import LessonScreen
from tutor.app.session import LessonSession
from tutor.lessons import bundled_lessons_dir, load_lessons

from .harness import Result, figure, skipped

SIZE = (100, 40)


async def _open(pilot, screen: Screen, to_chart: bool = False) -> tuple[float, str]:
    """Milliseconds from pushing ``screen`` until it has handled its events and its frame is drawn
    (``to_chart``: with the step scrolled to its training panel)."""
    started = time.perf_counter()
    await pilot.app.push_screen(screen)
    await pilot.pause(0)  # the screen and its widgets handle their pending events (the step is built)
    await pilot.pause(0)  # and those of the widgets the step mounted
    if to_chart:  # once the step is laid out, the body scrolled to the panel and the chart drawn
        await pilot.pause(0)
        screen.query_one("#step-body").scroll_to_widget(screen.query_one(TrainingPanel), animate=False, top=True)
        await pilot.pause(0)
        await pilot.pause(0)
    drawn = "\n".join(strip.text for strip in screen._compositor.render_strips())
    elapsed = (time.perf_counter() - started) * 1000
    await pilot.app.pop_screen()
    await pilot.pause(0)  # its widgets are removed before the next opening is timed
    return elapsed, drawn


async def _samples(lessons, rounds: int, to_chart: bool = False) -> tuple[list[float], list[float]]:
    """``to_chart``: only the steps with a training panel, each opened with its chart on screen."""
    steps, empty = [], []
    app = TutorApp(resume=False)  # no store: nothing is saved
    async with app.run_test(size=SIZE) as pilot:
        while not app.lessons_loaded:  # as a learner's app: plotext is imported by then (tutor/app/main.py)
            await pilot.pause(0.01)
        for _ in range(rounds):
            for lesson, step in _steps(lessons, to_chart):
                elapsed, drawn = await _open(pilot, LessonScreen(lesson, LessonSession(lesson), step), to_chart)
                if f"{step + 1}/{len(lesson.steps)}" not in drawn:  # the step's title line is on screen
                    raise RuntimeError(f"{lesson.id} step {step + 1} was not drawn:\n{drawn}")
                if to_chart and t("chart.updates", "ko") not in drawn:  # the chart's axis name is on screen
                    raise RuntimeError(f"{lesson.id} step {step + 1}: its chart is not on screen:\n{drawn}")
                steps.append(elapsed)
                empty.append((await _open(pilot, Screen()))[0])
    return steps, empty


def _steps(lessons, with_panel: bool) -> list[tuple]:
    """(lesson, step) pairs: every step, or those the lesson screen gives a training panel."""
    pairs = [(lesson, step) for lesson in lessons for step in range(len(lesson.steps))]
    return [(lesson, step) for lesson, step in pairs
            if not with_panel or trained_graph(lesson, lesson.steps[step], lesson.instance()) is not None]


@figure
def lesson_open(quick: bool) -> Result:
    lessons, _ = load_lessons(bundled_lessons_dir())
    if not lessons:
        return skipped("lesson_open", "ms", "the bundled course is empty", "< 80")
    steps, empty = asyncio.run(_samples(lessons, 2 if quick else 3))  # p99 of one round was its slowest opening
    p99, peer99 = float(np.percentile(steps, 99)), float(np.percentile(empty, 99))
    return Result("lesson_open", p99, "ms p99 to open a step", peer99, None, "< 80",
                  f"{len(steps)} openings of {sum(len(lesson.steps) for lesson in lessons)} bundled steps "
                  f"(median {np.median(steps):.3g} ms); peer: an empty screen ({p99 / peer99:.3g}× at p99)")


@figure
def chart_open(quick: bool) -> Result:
    lessons, _ = load_lessons(bundled_lessons_dir())
    count = len(_steps(lessons, with_panel=True))
    if not count:
        return skipped("chart_open", "ms", "no bundled step has a training panel", "< 150")
    steps, empty = asyncio.run(_samples(lessons, 5 if quick else 15, to_chart=True))
    p99, peer99 = float(np.percentile(steps, 99)), float(np.percentile(empty, 99))
    return Result("chart_open", p99, "ms p99 to open a step with its chart on screen", peer99, None, "< 150",
                  f"{len(steps)} openings of the {count} bundled steps with a training panel, scrolled to it "
                  f"(median {np.median(steps):.3g} ms); peer: an empty screen ({p99 / peer99:.3g}× at p99)")
