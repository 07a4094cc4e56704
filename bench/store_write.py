"""`store_write`: the time to record one attempt while 50 learners answer at once (issue 20), p99 over
every attempt, PostgreSQL against SQLite.

Each learner is its own process (as under `tutor serve`): it opens its store, says it is ready, waits
for the word to go, then records attempts as fast as it can, timing each `record_attempt` (commit
included) with `perf_counter`. The subject is one PostgreSQL database shared by all 50 (a throwaway
cluster on this disk, fsync on: durable, as a real server); the peer is SQLite as a single learner
uses it, one file per learner. `store_write_shared_sqlite` is the case PostgreSQL is there for: all
50 learners in one SQLite file. Rounds alternate the three, so that a busy moment hits each.
"""

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from .harness import Result, figure, skipped

LEARNERS = 50  # --quick: 20 (starting 150 processes is most of the time), still all at once

LEARNER = r"""
import sys, time
from tutor.progress import Attempt, Store
store = Store.open(sys.argv[1], learner=sys.argv[2])
print("ready", flush=True)
sys.stdin.readline()
times = []
for n in range(int(sys.argv[3])):
    started = time.perf_counter()
    store.record_attempt(Attempt("course", f"lesson-{n % 4}", f"p{n % 7}", n, f"answer {n}", n % 3 == 0))
    times.append(time.perf_counter() - started)
store.close()
print(store.unsaved, *times)
"""


def one_round(databases: list[str], attempts: int, data_dir: Path) -> list[float]:
    """Every attempt's seconds, 50 learners writing at once (learner i to databases[i])."""
    env = {**os.environ, "TUTOR_DATA_DIR": str(data_dir)}
    learners = [subprocess.Popen([sys.executable, "-c", LEARNER, db, f"learner-{i}", str(attempts)], env=env,
                                 stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for i, db in enumerate(databases)]
    for learner in learners:
        if learner.stdout.readline() != "ready\n":
            raise RuntimeError(learner.stderr.read()[-500:])
    for learner in learners:  # all are open: now they all go
        learner.stdin.write("go\n")
        learner.stdin.flush()
    times = []
    for learner in learners:
        out, err = learner.communicate(timeout=600)
        unsaved, *seconds = out.split()
        if learner.returncode or unsaved != "0":
            raise RuntimeError(f"a learner failed or left answers unsaved: {err[-500:]}")
        times += map(float, seconds)
    return times


def p99(times: list[float]) -> float:
    return statistics.quantiles(times, n=100)[98]


@figure
def store_write(quick: bool) -> list[Result]:
    unit = "ms p99 per attempt, learners writing at once"
    try:
        import psycopg  # noqa: F401

        from tests.pg_cluster import Cluster, NoPostgres
    except ImportError as error:
        return [skipped("store_write", unit, f"{error} (pip install -e '.[class]', run from the repository root)")]
    try:
        cluster = Cluster(durable=True)
        cluster.start()
    except NoPostgres as error:
        return [skipped("store_write", unit, str(error))]
    learners, rounds, attempts = (20, 1, 20) if quick else (LEARNERS, 2, 100)
    p99s = {"postgresql": [], "sqlite": [], "sqlite_shared": []}
    try:
        with tempfile.TemporaryDirectory(dir=Path.cwd()) as folder:  # on disk, as the cluster is
            folder = Path(folder)
            for n in range(rounds):
                url = cluster.url(cluster.create_database())
                files = [str(folder / f"r{n}-learner-{i}.sqlite3") for i in range(learners)]
                shared = str(folder / f"r{n}-shared.sqlite3")
                for kind, databases in (("postgresql", [url] * learners), ("sqlite", files),
                                        ("sqlite_shared", [shared] * learners)):
                    p99s[kind].append(p99(one_round(databases, attempts, folder / f"data-{kind}-{n}")))
    finally:
        cluster.remove()
    pg, own, shared = (statistics.median(p99s[kind]) * 1e3 for kind in ("postgresql", "sqlite", "sqlite_shared"))
    ratio = statistics.median(p / s for p, s in zip(p99s["postgresql"], p99s["sqlite"]))
    shared_ratio = statistics.median(s / p for p, s in zip(p99s["postgresql"], p99s["sqlite_shared"]))
    note = (f"{learners} processes × {attempts} attempts, {rounds} round(s); PostgreSQL {cluster.bin.parent.name}, "
            "one database, fsync on; SQLite WAL, synchronous=FULL")
    return [Result("store_write", pg, unit + "; ratio = PostgreSQL (one database) / SQLite (a file per learner)",
                   own, ratio, note=note),
            Result("store_write_shared_sqlite", shared, unit + "; ratio = one shared SQLite file / PostgreSQL",
                   pg, shared_ratio)]
