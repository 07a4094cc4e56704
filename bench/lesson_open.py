"""Opening a lesson step in the app (issue 23: p99 under 80 ms), and a step with its chart on screen.

Every step of every bundled lesson is opened in one headless app driven by Textual's Pilot: a
``LessonScreen`` is pushed at that step and timed until the screen and the widgets it mounted have
handled their events and its frame is drawn (the text checked), then popped. The peer is Textual's own floor
for that step: a bare screen with as many widgets and as many inputs as the step had (plain one-line
``Static``s, ``Input``s, in one scrolling column), pushed and timed the same way right after it. What is
over it is the tutor's: its Markdown, graphs, charts and styles. An empty ``Screen`` is timed too (the note).

``chart_open`` opens the steps with a training panel (lesson 10's, y = 2x) the same way, and also scrolls the
step to the panel before the frame is drawn, so the chart is plotted and on screen (its legend checked).
"""

import asyncio
import time

import numpy as np
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from tutor.app.i18n import t
from tutor.app.main import TutorApp
from tutor.app.screens.charts import TrainingPanel, trained_graph
from tutor.app.screens.lesson import LessonScreen
from tutor.app.session import LessonSession
from tutor.lessons import bundled_lessons_dir, load_lessons

from .harness import Result, figure, skipped

SIZE = (100, 40)


class BareLike(Screen):
    """A screen of ``widgets`` widgets, ``inputs`` of them inputs and the rest lines of text: what Textual
    alone takes to open a step of that many widgets."""

    def __init__(self, widgets: int, inputs: int):
        super().__init__()
        self.lines, self.inputs = widgets - inputs - 1, inputs  # the scrolling column is one of them

    def compose(self):
        with VerticalScroll():
            for i in range(self.lines):
                yield Static(f"{i}: " + "a line of a step's text " * 3)
            for _ in range(self.inputs):
                yield Input(placeholder="answer")


def composition(screen: Screen) -> tuple[int, int]:
    """(widgets, inputs) of a screen as it is now."""
    widgets = list(screen.walk_children())
    return len(widgets), sum(isinstance(widget, Input) for widget in widgets)


async def _open(pilot, screen: Screen, to_chart: bool = False) -> tuple[float, str, tuple[int, int]]:
    """Milliseconds from pushing ``screen`` until it has handled its events and its frame is drawn
    (``to_chart``: with the step scrolled to its training panel), the frame's text, and its composition."""
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
    widgets = composition(screen)
    await pilot.app.pop_screen()
    await pilot.pause(0)  # its widgets are removed before the next opening is timed
    return elapsed, drawn, widgets


async def _samples(lessons, rounds: int, to_chart: bool = False) -> tuple[list[float], list[float], list[float]]:
    """Openings of the steps, of bare screens like each, and of empty screens; ``to_chart``: only the steps
    with a training panel, each opened with its chart on screen."""
    steps, bare, empty = [], [], []
    app = TutorApp(resume=False)  # no store: nothing is saved
    async with app.run_test(size=SIZE) as pilot:
        while not app.lessons_loaded:  # as a learner's app: plotext is imported by then (tutor/app/main.py)
            await pilot.pause(0.01)
        for _ in range(rounds):
            for lesson, step in _steps(lessons, to_chart):
                elapsed, drawn, widgets = await _open(pilot, LessonScreen(lesson, LessonSession(lesson), step), to_chart)
                if f"{step + 1}/{len(lesson.steps)}" not in drawn:  # the step's title line is on screen
                    raise RuntimeError(f"{lesson.id} step {step + 1} was not drawn:\n{drawn}")
                if to_chart and t("chart.updates", "ko") not in drawn:  # the chart's axis name is on screen
                    raise RuntimeError(f"{lesson.id} step {step + 1}: its chart is not on screen:\n{drawn}")
                steps.append(elapsed)
                bare.append((await _open(pilot, BareLike(*widgets)))[0])
                empty.append((await _open(pilot, Screen()))[0])
    return steps, bare, empty


def _steps(lessons, with_panel: bool) -> list[tuple]:
    """(lesson, step) pairs: every step, or those the lesson screen gives a training panel."""
    pairs = [(lesson, step) for lesson in lessons for step in range(len(lesson.steps))]
    return [(lesson, step) for lesson, step in pairs
            if not with_panel or trained_graph(lesson, lesson.steps[step], lesson.instance()) is not None]


def _result(name: str, what: str, steps: list[float], bare: list[float], empty: list[float], target: str,
            note: str) -> Result:
    p99, floor99 = float(np.percentile(steps, 99)), float(np.percentile(bare, 99))
    return Result(name, p99, f"ms p99 to open {what}; peer: a bare screen of as many widgets and inputs", floor99,
                  None, target, f"{note} (median {np.median(steps):.3g} ms; the bare screens' median "
                  f"{np.median(bare):.3g}, p99 {floor99:.3g}; an empty screen's p99 {np.percentile(empty, 99):.3g})")


@figure
def lesson_open(quick: bool) -> Result:
    lessons, _ = load_lessons(bundled_lessons_dir())
    if not lessons:
        return skipped("lesson_open", "ms", "the bundled course is empty", "< 80")
    steps, bare, empty = asyncio.run(_samples(lessons, 2 if quick else 3))  # p99 of one round was its slowest
    return _result("lesson_open", "a step", steps, bare, empty, "< 80",
                   f"{len(steps)} openings of {sum(len(lesson.steps) for lesson in lessons)} bundled steps")


@figure
def chart_open(quick: bool) -> Result:
    lessons, _ = load_lessons(bundled_lessons_dir())
    count = len(_steps(lessons, with_panel=True))
    if not count:
        return skipped("chart_open", "ms", "no bundled step has a training panel", "< 150")
    steps, bare, empty = asyncio.run(_samples(lessons, 5 if quick else 15, to_chart=True))
    return _result("chart_open", "a step with its chart on screen", steps, bare, empty, "< 150",
                   f"{len(steps)} openings of the {count} bundled steps with a training panel, scrolled to it")
