"""Opening a lesson step in the app (issue 12: p99 under 150 ms).

Every step of every bundled lesson is opened in one headless app driven by Textual's Pilot: a
``LessonScreen`` is pushed at that step and timed until the screen and the widgets it mounted have
handled their events and its frame is drawn (the text checked), then popped. The peer is an empty ``Screen``
pushed and timed the same way, in alternation, so the ratio says what the lesson itself costs.
"""

import asyncio
import time

import numpy as np
from textual.screen import Screen

from tutor.app.main import TutorApp
from tutor.app.screens.lesson import LessonScreen
from tutor.app.session import LessonSession
from tutor.lessons import bundled_lessons_dir, load_lessons

from .harness import Result, figure, skipped

SIZE = (100, 40)


async def _open(pilot, screen: Screen) -> tuple[float, str]:
    """Milliseconds from pushing ``screen`` until it has handled its events and its frame is drawn."""
    started = time.perf_counter()
    await pilot.app.push_screen(screen)
    await pilot.pause(0)  # the screen and its widgets handle their pending events (the step is built)
    await pilot.pause(0)  # and those of the widgets the step mounted
    drawn = "\n".join(strip.text for strip in screen._compositor.render_strips())
    elapsed = (time.perf_counter() - started) * 1000
    await pilot.app.pop_screen()
    await pilot.pause(0)  # its widgets are removed before the next opening is timed
    return elapsed, drawn


async def _samples(lessons, rounds: int) -> tuple[list[float], list[float]]:
    steps, empty = [], []
    app = TutorApp(resume=False)  # no store: nothing is saved
    async with app.run_test(size=SIZE) as pilot:
        for _ in range(rounds):
            for lesson in lessons:
                for step in range(len(lesson.steps)):
                    elapsed, drawn = await _open(pilot, LessonScreen(lesson, LessonSession(lesson), step))
                    if f"{step + 1}/{len(lesson.steps)}" not in drawn:  # the step's title line is on screen
                        raise RuntimeError(f"{lesson.id} step {step + 1} was not drawn:\n{drawn}")
                    steps.append(elapsed)
                    empty.append((await _open(pilot, Screen()))[0])
    return steps, empty


@figure
def lesson_open(quick: bool) -> Result:
    lessons, _ = load_lessons(bundled_lessons_dir())
    if not lessons:
        return skipped("lesson_open", "ms", "the bundled course is empty", "< 150")
    steps, empty = asyncio.run(_samples(lessons, 1 if quick else 3))
    p99, peer99 = float(np.percentile(steps, 99)), float(np.percentile(empty, 99))
    return Result("lesson_open", p99, "ms p99 to open a step", peer99, None, "< 150",
                  f"{len(steps)} openings of {sum(len(lesson.steps) for lesson in lessons)} bundled steps "
                  f"(median {np.median(steps):.3g} ms); peer: an empty screen ({p99 / peer99:.3g}× at p99)")
