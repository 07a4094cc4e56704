"""Opening the worst lesson that `tutor check` passes (issue 22: at most 3× the bundled course's slowest).

For each limit of a lesson's budget, ``bench/hostile_lessons.py`` builds the largest lesson that passes;
each is read as the app reads a pack (``load_pack``: the budgets and the drawing check) and every step is
opened in one headless app, timed as ``lesson_open`` times a step (pushed, its events handled, its frame
drawn). The subject is the slowest step of those lessons; the peer is the slowest step of the bundled
course, opened in the same app in alternation, so a busy moment hits both. Each step's time is the median
of its rounds.
"""

import asyncio
import statistics
import tempfile
from pathlib import Path

from tutor.app.main import TutorApp
from tutor.app.screens.lesson import LessonScreen
from tutor.app.session import LessonSession
from tutor.authoring.pack import load_pack
from tutor.lessons import bundled_lessons_dir

from .harness import Result, figure, skipped
from .hostile_lessons import KINDS
from .lesson_open import SIZE, _open


async def _slowest_steps(hostile: list, course: list, rounds: int) -> tuple[dict, dict]:
    """{(lesson id, step): [ms per round]} for the hostile lessons and for the course, in alternation."""
    times: tuple[dict, dict] = ({}, {})
    app = TutorApp(resume=False)
    async with app.run_test(size=SIZE) as pilot:
        while not app.lessons_loaded:  # the home screen's own loading done: it updates itself after
            await pilot.pause(0.02)
        for _ in range(rounds):
            for index, lesson in enumerate(hostile + course):
                for step in range(len(lesson.steps)):
                    elapsed, drawn, _ = await _open(pilot, LessonScreen(lesson, LessonSession(lesson), step))
                    if f"{step + 1}/{len(lesson.steps)}" not in drawn:
                        raise RuntimeError(f"{lesson.id} step {step + 1} was not drawn:\n{drawn}")
                    times[index >= len(hostile)].setdefault((lesson.id, step), []).append(elapsed)
    return times


@figure
def hostile_open(quick: bool) -> Result:
    course = load_pack(bundled_lessons_dir()).lessons
    if not course:
        return skipped("hostile_open", "ms", "the bundled course is empty", "≤ 3")
    with tempfile.TemporaryDirectory() as folder:
        for kind, spec in KINDS.items():
            (Path(folder) / f"{kind}.md").write_text(spec.build(spec.at()), encoding="utf-8")
        pack = load_pack(folder)
        if pack.broken:
            raise RuntimeError(f"a lesson at a limit does not pass: {pack.broken[0]}")
        hostile, peers = asyncio.run(_slowest_steps(pack.lessons, course, 1 if quick else 3))
    (worst_id, worst_step), worst = max(((k, statistics.median(v)) for k, v in hostile.items()), key=lambda kv: kv[1])
    (peer_id, peer_step), peer = max(((k, statistics.median(v)) for k, v in peers.items()), key=lambda kv: kv[1])
    return Result("hostile_open", worst, "ms to open the slowest step of a lesson at a limit", peer, worst / peer,
                  "≤ 3", f"slowest: '{worst_id}' step {worst_step + 1} (of {len(KINDS)} lessons, one at each limit); "
                         f"peer: the course's slowest, '{peer_id}' step {peer_step + 1}")
