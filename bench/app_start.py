"""`tutor start` to its first frame, and its peak memory by then (issue 23: ratio ≤ 1.15 against a
minimal Textual app; under 120 MB).

Each start is a fresh process running bench/_first_frame.py, which goes through the real
`tutor start` command headless and ends the process at the app's ``Ready`` event; the peer is a
one-line Textual app started by the same script. Subject and peer alternate, run by run, and pay
the same harness: the time is from ``Popen`` to the ``ready`` line, the memory the child's
``ru_maxrss`` (it ends at its first frame, so its peak is the peak up to then). Both run with
bytecode cached, as an installed package runs (bench/cli_grade.py says why): a checkout run with
PYTHONDONTWRITEBYTECODE=1 compiled the app's modules from source at every start, and Textual's never.
"""

import functools
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .cli_grade import installed_env
from .harness import Result, figure

DRIVER = Path(__file__).with_name("_first_frame.py")


def start(which: str, db: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds to the first frame and peak memory in MB of one fresh start of ``which``."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, str(DRIVER), which, str(db)], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, env=env)
    line = child.stdout.readline()
    elapsed = time.perf_counter() - started
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)  # reaped here; Popen must not wait again
    if line != b"ready\n":
        raise RuntimeError(f"{which} did not reach its first frame: {child.stderr.read().decode()[-500:]}")
    return elapsed, usage.ru_maxrss / 1024  # ru_maxrss is in KB on Linux


@functools.cache  # startup and rss_start share one series of starts
def starts(runs: int) -> dict[str, list[tuple[float, float]]]:
    measured: dict[str, list[tuple[float, float]]] = {"tutor": [], "minimal": []}
    with tempfile.TemporaryDirectory() as folder:
        db, env = Path(folder) / "progress.db", installed_env(folder)
        start("tutor", db, env), start("minimal", db, env)  # the database made, bytecode written, disk cache warm
        for _ in range(runs):
            for which in measured:  # alternating, so a busy moment hits both
                measured[which].append(start(which, db, env))
    return measured


def runs(quick: bool) -> int:
    return 5 if quick else 11


@figure
def startup(quick: bool) -> Result:
    measured = starts(runs(quick))
    tutor = statistics.median(s for s, _ in measured["tutor"])
    minimal = statistics.median(s for s, _ in measured["minimal"])
    ratio = statistics.median(t / m for (t, _), (m, _) in zip(measured["tutor"], measured["minimal"]))
    return Result("startup", tutor * 1000, "ms to the first frame; ratio = tutor / minimal app", minimal * 1000,
                  ratio, "≤ 1.15", f"fresh process each, headless, median of {runs(quick)} alternating runs; "
                                  "peer: a one-line Textual app started the same way")


@figure
def rss_start(quick: bool) -> Result:
    measured = starts(runs(quick))
    tutor = max(mb for _, mb in measured["tutor"])
    minimal = max(mb for _, mb in measured["minimal"])
    return Result("rss_start", tutor, "MB peak RSS at the first frame", minimal, None, "< 120",
                  f"ru_maxrss of the child, largest of {runs(quick)} runs; peer: the minimal app "
                  f"({tutor / minimal:.2f}× of it)")
