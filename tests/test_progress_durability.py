"""Real processes against a real file: SIGKILL at random moments, and two writers at once."""

import os
import random
import signal
import subprocess
import sys
import time

from tutor.progress import Store

# Writes attempts (and the other kinds of write) forever, printing each attempt's id after
# its commit returned ("kept" when the store kept it in the outbox: a lock held past the retries,
# on a loaded machine). argv: database path, writer name[, how many]. The short random pause
# stands for a learner's thinking time: SQLite's lock is not fair, and two writers in a tight
# loop can starve a third past the busy timeout.
WRITER = r"""
import random, sys, time
from tutor.progress import Attempt, Store
store = Store.open(sys.argv[1])
assert store.warning is None, store.warning
name = sys.argv[2]
n = 0
while True:
    n += 1
    lesson, problem = f"lesson-{n % 7}", f"p{n % 5}"
    attempt_id = store.record_attempt(Attempt(name, lesson, problem, n, "2.2" * (n % 50), n % 3 == 0,
                                              "forward" if n % 3 else None, n % 4, n / 7))
    if n % 5 == 0:
        store.mark_revealed(name, lesson, problem)
    if n % 6 == 0:
        store.set_review(name, lesson, problem, n % 5, f"2026-12-{n % 28 + 1:02d}")
    if n % 11 == 0:
        store.note_lesson(name, lesson, f"hash{n}", 5)
    sys.stdout.write(f"{'kept' if attempt_id is None else attempt_id}\n")
    sys.stdout.flush()
    time.sleep(random.random() / 1000)
    if len(sys.argv) > 3 and n >= int(sys.argv[3]):
        store.close()  # sends what was kept
        assert store.unsaved == 0, store.closing_words_in("en")
        break
"""


def start_writer(db, name, count=None):
    args = [sys.executable, "-c", WRITER, str(db), name] + ([str(count)] if count else [])
    return subprocess.Popen(args, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def acknowledged(output: str) -> list[str]:
    """Complete lines only (a kill can cut the last one short): ids, or "kept"."""
    lines = output.split("\n")[:-1]
    assert all(line.isdigit() or line == "kept" for line in lines), lines
    return lines


def committed_ids(output: str) -> set[int]:
    return {int(line) for line in acknowledged(output) if line.isdigit()}


def test_sigkill_at_random_moments_loses_nothing_committed(tmp_path):
    # Four writers at a time, each on its own file; every kill costs a fresh Python process, so 100 kills
    # (200 took half a minute of CI).
    dbs = [tmp_path / f"progress{i}.sqlite3" for i in range(4)]
    rng = random.Random(7)
    promised = {db: set() for db in dbs}
    kills = 0
    for _ in range(25):
        writers = [start_writer(db, "pack") for db in dbs]
        outputs = []
        for writer in writers:
            first = writer.stdout.readline()  # it is inside the loop now
            assert first.endswith("\n"), writer.stderr.read()
            time.sleep(rng.uniform(0, 0.03))
            writer.send_signal(signal.SIGKILL)
            kills += 1
            outputs.append(first)
        for writer, first, db in zip(writers, outputs, dbs):
            rest, _ = writer.communicate()
            assert writer.returncode == -signal.SIGKILL
            promised[db] |= committed_ids(first + rest)
            with Store.open(db) as store:
                assert store.warning is None and not store.read_only
                assert store.quick_check() == ["ok"]
                stored = {attempt.id for attempt in store.attempts()}
            assert promised[db] <= stored, f"lost after kill {kills}: {sorted(promised[db] - stored)[:5]}"
    assert kills == 100
    assert all(len(ids) > 25 for ids in promised.values())


def test_two_processes_recording_at_once_keep_all_600(tmp_path):
    db = tmp_path / "progress.sqlite3"  # not there yet: both also race to create it
    writers = [start_writer(db, name, 300) for name in ("alice", "bob")]
    for writer in writers:
        out, err = writer.communicate(timeout=60)
        assert writer.returncode == 0, err
        assert len(acknowledged(out)) == 300
    with Store.open(db) as store:
        assert store.warning is None
        attempts = store.attempts()
        assert len(attempts) == 600
        assert {a.pack for a in attempts} == {"alice", "bob"}
        assert sorted(a.seed for a in attempts if a.pack == "alice") == list(range(1, 301))
        assert store.quick_check() == ["ok"]
