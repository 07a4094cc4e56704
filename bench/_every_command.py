"""Run in a child process: ``python -m bench._every_command FOLDER``. Every command a learner or an
instructor can point at the lessons of FOLDER, one after the other in this process, then the app opening
every step of every lesson; prints one JSON line: each command's exit code and seconds.

The generated-attack test (tests/test_hostile_limits.py) runs it under CPU and memory limits on lessons
at each limit of the budget; ``hostile_open`` (bench/hostile_open.py) times its app part. The commands run
through ``tutor.cli.main`` as `tutor ...` would, without a new interpreter for each.
"""

import asyncio
import io
import json
import sys
import time
import traceback
from contextlib import redirect_stderr, redirect_stdout
from pathlib import Path

SIZE = (100, 40)


def commands(folder: Path) -> list[tuple[str, list[str], str | None]]:
    """(name, arguments, standard input) of every command run on the folder's lessons."""
    from tutor.lessons import load_lessons

    lessons, _ = load_lessons(folder)
    runs = [("check", ["check", str(folder)], None), ("lint", ["check", "--strict", str(folder)], None),
            ("quiz", ["quiz", "--plain", "--all", "--count", "5", "--seed", "1", "--lessons", str(folder),
                      "--db", str(folder / "progress.db")], "0\n:skip\n" * 5)]
    for lesson in lessons:
        runs += [("answers", ["answers", str(lesson.path), "--json"], None),
                 ("show", ["show", str(lesson.path), "--backward"], None)]
        runs += [("grade", ["grade", str(lesson.path), problem.id, "1"], None) for problem in lesson.problems[:3]]
    return runs


async def open_every_step(folder: Path) -> dict:
    """Seconds to read the pack as the app does, and to open each step of each lesson in a headless app
    (pushed, built, its frame drawn): the slowest step, and all of them."""
    from tutor.app.main import TutorApp
    from tutor.app.screens.lesson import LessonScreen
    from tutor.app.session import LessonSession
    from tutor.authoring.pack import load_pack

    started = time.perf_counter()
    lessons = load_pack(folder).lessons  # as the app reads a pack, budgets and drawings included
    read, steps = time.perf_counter() - started, []
    app = TutorApp(resume=False)
    async with app.run_test(size=SIZE) as pilot:
        while not app.lessons_loaded:  # the home screen's own loading done: it updates itself after
            await pilot.pause(0.02)
        for lesson in lessons:
            for step in range(len(lesson.steps)):
                started = time.perf_counter()
                await app.push_screen(LessonScreen(lesson, LessonSession(lesson), step))
                await pilot.pause(0)
                await pilot.pause(0)
                drawn = "\n".join(strip.text for strip in app.screen._compositor.render_strips())
                if f"{step + 1}/{len(lesson.steps)}" not in drawn:
                    raise RuntimeError(f"{lesson.id} step {step + 1} was not drawn")
                steps.append(time.perf_counter() - started)
                await app.pop_screen()
                await pilot.pause(0)
    return {"read": read, "slowest_step": max(steps, default=0.0), "steps": sum(steps)}


def run_command(args: list[str], given: str | None) -> tuple[int, bool, str]:
    """`tutor ARGS` in this process with ``given`` on stdin: (exit code, crashed, what it printed)."""
    from tutor.cli import main

    output, stdin = io.StringIO(), sys.stdin
    sys.stdin, code, crashed = io.StringIO(given or ""), 0, False
    try:
        with redirect_stdout(output), redirect_stderr(output):
            main(args)
    except SystemExit as exit:
        code = exit.code if isinstance(exit.code, int) else 1
    except Exception:  # a crash is what the caller looks for: keep its traceback's end
        code, crashed = 1, True
        output.write(traceback.format_exc())
    finally:
        sys.stdin = stdin
    return code, crashed, output.getvalue()


def main(folder: Path) -> None:
    results = []
    for name, args, given in commands(folder):
        started = time.perf_counter()
        code, crashed, output = run_command(args, given)
        results.append({"command": name, "exit": code, "seconds": time.perf_counter() - started,
                        "crashed": crashed, "output": output[-300:]})
    opened = asyncio.run(open_every_step(folder))
    results.append({"command": "app", "exit": 0, "seconds": opened["read"] + opened["steps"], "crashed": False,
                    "output": "", **opened})
    print(json.dumps(results))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
