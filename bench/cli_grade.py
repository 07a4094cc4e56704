"""`tutor grade` as a process, end to end (issue 23: ratio ≤ 1.3 against `python -c "import numpy"`).

The subject grades the lecture's first backward answer (lesson 6, ∂L/∂(apple price) = 2.2) through
the installed command's entry point; the peer is a Python process that imports numpy and nothing
else: the floor any command of a numpy program pays. They alternate, run by run.

Both run with bytecode caching on, as an installed package runs (pip compiles its modules when it
installs them): this machine's shell sets PYTHONDONTWRITEBYTECODE=1, and under it every run of the
subject compiled its ~20 modules from source (about 20 ms) while numpy's came precompiled. The cache
goes to a temporary folder (PYTHONPYCACHEPREFIX), not into the shared work tree. So does the user's cache
folder (XDG_CACHE_HOME): the lesson's front matter is read by PyYAML in the first run, which is not
timed, and comes from the cache in the timed ones, as in a learner's second `tutor grade` of a lesson.
"""

import os

import statistics
import subprocess
import sys
import tempfile
import time

from tutor.lessons import bundled_lessons_dir

from .harness import Result, figure, skipped

PEER = [sys.executable, "-c", "import numpy"]


def installed_env(cache: str) -> dict[str, str]:
    """The environment with bytecode cached in ``cache``, as an installed package has it, and the user's
    cache folder there too (the front matter a run has read, tutor/lessons/front_cache.py)."""
    env = {name: value for name, value in os.environ.items()
           if name not in ("PYTHONDONTWRITEBYTECODE", "TUTOR_CACHE_DIR")}
    return {**env, "PYTHONPYCACHEPREFIX": cache, "XDG_CACHE_HOME": cache}


def _run(command: list[str], env: dict[str, str]) -> float:
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, env=env)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{command[-4:]} exited with {done.returncode}: {done.stderr.decode()[-300:]}")
    return elapsed


@figure
def cli_grade(quick: bool) -> Result:
    lesson = next(bundled_lessons_dir().glob("*apple-backward.md"), None)
    if lesson is None:
        return skipped("cli_grade", "ms", "the bundled apple lesson is missing", "≤ 1.3")
    subject = [sys.executable, "-c", "from tutor.cli import main; main()", "grade", str(lesson), "d-apple-price", "2.2"]
    with tempfile.TemporaryDirectory() as cache:
        env = installed_env(cache)
        _run(subject, env), _run(PEER, env)  # warm the disk cache and write the bytecode for the timed runs
        pairs = [(_run(subject, env), _run(PEER, env)) for _ in range(7 if quick else 21)]
    grade, numpy = (statistics.median(times) for times in zip(*pairs))
    return Result("cli_grade", grade * 1000, "ms per process; ratio = tutor grade / import numpy", numpy * 1000,
                  statistics.median(g / n for g, n in pairs), "≤ 1.3",
                  f"`tutor grade {lesson.name} d-apple-price 2.2`, median of {len(pairs)} alternating runs, "
                  "bytecode and front matter cached")
