"""The tests' throwaway PostgreSQL clusters leave nothing behind: not when a run fails, not when it is
killed outright (the next cluster sweeps it), and no shared-memory segments in /dev/shm."""

import signal
import subprocess
import sys
from pathlib import Path

TESTS = Path(__file__).parent
# Starts a cluster, prints its folder and its server's pid, then fails (exit 1) or waits to be killed.
MAKER = f"""
import sys, time
sys.path.insert(0, {str(TESTS)!r})
from pg_cluster import Cluster
cluster = Cluster()
cluster.start()
pid = (cluster.data / "postmaster.pid").read_text().split()[0]
print(cluster.root, pid, flush=True)
if sys.argv[1] == "fail":
    raise SystemExit(1)
time.sleep(600)
"""


def server_runs(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")  # a server that exited may wait as a zombie for its reaper


def start_maker(how: str) -> tuple[subprocess.Popen, Path, int]:
    maker = subprocess.Popen([sys.executable, "-c", MAKER, how], stdout=subprocess.PIPE, text=True)
    root, pid = maker.stdout.readline().split()
    assert server_runs(int(pid)) and Path(root).is_dir()
    return maker, Path(root), int(pid)


def test_a_run_that_fails_stops_its_server_and_removes_its_folder(pg_cluster):
    maker, root, pid = start_maker("fail")
    assert maker.wait(timeout=120) == 1
    assert not root.exists() and not server_runs(pid)


def test_a_killed_runs_cluster_is_swept_by_the_next(pg_cluster):
    from pg_cluster import Cluster

    maker, root, pid = start_maker("wait")
    maker.send_signal(signal.SIGKILL)
    maker.wait(timeout=60)
    assert root.exists() and server_runs(pid)  # nothing ran at the kill
    Cluster().remove()
    assert not root.exists() and not server_runs(pid)


def test_shared_memory_stays_in_the_clusters_folder(pg_cluster):
    with pg_cluster.admin() as conn:
        assert conn.execute("SHOW dynamic_shared_memory_type").fetchone()[0] == "mmap"
