"""`tutor start` to its first frame, and its peak memory by then (issue 23: ratio ≤ 1.15 against a
minimal Textual app; under 120 MB).

Each start is a fresh process running bench/_first_frame.py, which goes through the real
`tutor start` command headless and ends the process at the app's ``Ready`` event; the peer is a
one-line Textual app started by the same script. Subject and peer alternate, run by run, and pay
the same harness: the time is from ``Popen`` to the ``ready`` line, the memory the child's own peak,
which it writes after that line (bench/_first_frame.py says why not ``ru_maxrss``). Both run with
bytecode cached, as an installed package runs (bench/cli_grade.py says why): a checkout run with
PYTHONDONTWRITEBYTECODE=1 compiled the app's modules from source at every start, and Textual's never.
"""

import functools
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
    peak = child.stdout.readline()  # b"VmHWM:   41520 kB\n"
    child.wait()
    if line != b"ready\n" or not peak.startswith(b"VmHWM:"):
        raise RuntimeError(f"{which} did not reach its first frame: {child.stderr.read().decode()[-500:]}")
    return elapsed, int(peak.split()[1]) / 1024


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
                  f"the child's VmHWM at its first frame, largest of {runs(quick)} runs; peer: the minimal app "
                  f"({tutor / minimal:.2f}× of it)")
