"""Run a command in a child process under resource limits, and measure what it used.

A hostile lesson or answer that today stalls or exhausts the machine must make its test *fail*, not
take the machine down with it: the child gets an address-space limit (``RLIMIT_AS``) and a CPU-time
limit (``RLIMIT_CPU``), and a wall-clock guard for a child that waits instead of working. The child's
own CPU time and peak memory come back from ``wait4``, so a test can say what a command cost.
"""

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

# What a lesson that passes `tutor check` may cost any command (SECURITY.md, "The budget of a lesson"):
# under 1 s and 200 MB on the 2-core machine. The limits below are far looser (a busy shared machine, the
# interpreter's own start), yet far below what the attacks of issue 22 took (85 s, 11 GB).
CPU_SECONDS = 20
MEMORY_MB = 1500  # address space, which counts numpy's and the threads' reservations, not only what is used
WALL_SECONDS = 90


_LAUNCHER = """
import json, os, resource, signal, sys
cpu, memory, usage_file = int(sys.argv[1]), int(sys.argv[2]) << 20, sys.argv[3]
resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a command killed by a limit leaves no core file
child = os.fork()
if child == 0:
    os.execv(sys.argv[4], sys.argv[4:])
_, status, usage = os.wait4(child, 0)
with open(usage_file, "w") as f:
    json.dump([usage.ru_utime + usage.ru_stime, usage.ru_maxrss], f)
if os.WIFSIGNALED(status):
    signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
    os.kill(os.getpid(), os.WTERMSIG(status))
sys.exit(os.waitstatus_to_exitcode(status))
"""


@dataclass
class Finished:
    args: list[str]
    returncode: int  # negative: killed by that signal
    stdout: str
    stderr: str
    cpu_seconds: float  # user + system time of the child
    max_rss_mb: float  # the child's peak resident memory

    @property
    def output(self) -> str:
        return self.stdout + self.stderr

    def __str__(self) -> str:
        return (f"{' '.join(self.args)} -> exit {self.returncode}, {self.cpu_seconds:.2f} s CPU, "
                f"{self.max_rss_mb:.0f} MB peak\nstdout: {self.stdout[-2000:]}\nstderr: {self.stderr[-2000:]}")


def run_limited(args: list[str], *, input: str | bytes | None = None, cwd=None, env: dict | None = None,
                cpu_seconds: int = CPU_SECONDS, memory_mb: int = MEMORY_MB, text: bool = True) -> Finished:
    """``args`` run as a child under the limits. A child killed by a limit (or by the wall-clock guard)
    fails the test with what it had printed; otherwise the result, with the child's own figures."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err, tempfile.TemporaryFile() as given:
        if input is not None:
            given.write(input.encode() if isinstance(input, str) else input)
            given.seek(0)
        # A small launcher sets the limits and runs the command as its own child: a process started from this
        # one (fork or vfork, then exec) carries pytest's peak memory in its ru_maxrss; the launcher's child
        # starts from the launcher's few megabytes, so its figures are the command's own.
        usage_file = Path(tempfile.mkdtemp()) / "usage.json"
        launcher = [sys.executable, "-c", _LAUNCHER, str(cpu_seconds), str(memory_mb), str(usage_file)]
        child = subprocess.Popen(launcher + list(args), stdin=given, stdout=out, stderr=err, cwd=cwd,
                                 start_new_session=True, env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})})

        def guard(_signum, _frame):
            os.killpg(child.pid, signal.SIGKILL)  # the launcher and the command

        previous = signal.signal(signal.SIGALRM, guard)
        signal.alarm(WALL_SECONDS)
        try:
            _, status, _ = os.wait4(child.pid, 0)
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    if text:
        stdout, stderr = stdout.decode("utf-8", "replace"), stderr.decode("utf-8", "replace")
    cpu, max_rss = json.loads(usage_file.read_text()) if usage_file.exists() else (0.0, 0)
    shutil.rmtree(usage_file.parent, ignore_errors=True)
    finished = Finished(list(map(str, args)), child.returncode, stdout, stderr, cpu, max_rss / 1024)
    killed = {-signal.SIGXCPU: f"over its {cpu_seconds} s CPU limit", -signal.SIGKILL: "killed (wall clock or memory)",
              -signal.SIGSEGV: "crashed (memory limit?)"}
    assert child.returncode not in killed, f"{killed[child.returncode]}: {finished}"
    if isinstance(stderr, str):
        assert "MemoryError" not in stderr, f"out of memory under {memory_mb} MB: {finished}"
    return finished


def tutor(*args, **kwargs) -> Finished:
    """``tutor ARGS...`` as a child under the limits (the installed command's own code: ``python -m tutor``)."""
    return run_limited([sys.executable, "-m", "tutor", *map(str, args)], **kwargs)


TESTS = Path(__file__).parent
