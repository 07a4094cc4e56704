"""A throwaway PostgreSQL cluster for the tests and the bench: `initdb` and `pg_ctl` on a private
socket directory (no TCP), started in about a second; a fresh database per test in ~20 ms.

initdb refuses to run as root, and CI runs as root: then every server program runs as the
`postgres` user (`runuser -u postgres --`) in a directory it owns. The programs are found on PATH,
else in Debian's /usr/lib/postgresql/<version>/bin (package postgresql).

Nothing outlives the run: a cluster is stopped and its folder removed by `remove()`, else when the
process exits (a failed test, Ctrl+C); one whose process was killed outright is swept by the next
`Cluster()` (its folder names the process that made it). Its shared memory is kept in its data folder
(dynamic_shared_memory_type=mmap), not as PostgreSQL.* segments in /dev/shm.
"""

from __future__ import annotations

import glob
import itertools
import os
import shutil
import subprocess
import tempfile
import weakref
from pathlib import Path
from urllib.parse import quote

INSTALL_HINT = "apt-get install -y postgresql (and pip install '.[test]' for psycopg)"
PASSWORD_ROLE = "tutor_pw"  # a role that must log in with a password (scram-sha-256); the others are trusted
PREFIX = "tutor-pg-"
OWNER_FILE = "owner.pid"  # the process that made the cluster; when it is gone, the cluster is stale


class NoPostgres(Exception):
    """Why no cluster can be started here."""


def server_programs() -> Path:
    """The folder of initdb and pg_ctl."""
    found = shutil.which("initdb")
    if found and Path(found).resolve().with_name("pg_ctl").exists():
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if versions:
        return Path(versions[-1]).parent
    raise NoPostgres(f"initdb and pg_ctl are not installed; {INSTALL_HINT}")


class Cluster:
    """`start()`, then `create_database()` per test; `stop()`/`start()` to take the server away and back.
    For tests the cluster lives in memory (/dev/shm) with fsync off: a new database takes ~20 ms there,
    ~300 ms on this disk. `durable=True` (the bench) puts it on disk with fsync on, as a real server."""

    def __init__(self, durable: bool = False):
        self.durable = durable
        self.bin = server_programs()
        self.as_root = os.geteuid() == 0
        if self.as_root:
            try:
                import pwd

                pwd.getpwnam("postgres")
            except KeyError:
                raise NoPostgres(f"running as root needs the postgres user; {INSTALL_HINT}") from None
        in_memory = not durable and os.access("/dev/shm", os.W_OK)
        parent = "/dev/shm" if in_memory else tempfile.gettempdir()
        sweep_stale(parent, self.bin, self.as_root)
        self.root = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
        (self.root / OWNER_FILE).write_text(str(os.getpid()))
        self.data = self.root / "data"
        self.socket_dir = self.root / "socket"
        self.log = self.root / "server.log"
        self._names = itertools.count()
        # runs at remove(), or when the process exits without it (weakref.finalize's atexit)
        self._remove = weakref.finalize(self, remove_cluster, self.root, self.bin, self.as_root)

    def _run(self, *args: str) -> None:
        run_server_program(self.as_root, self.log, *args)

    def initdb(self) -> None:
        self.socket_dir.mkdir()
        if self.as_root:
            for path in (self.root, self.socket_dir):
                shutil.chown(path, "postgres", "postgres")
        self._run(str(self.bin / "initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", *([] if self.durable else ["--no-sync"]))
        hba = self.data / "pg_hba.conf"
        hba.write_text(f"local all {PASSWORD_ROLE} scram-sha-256\nlocal all all trust\n")

    def start(self) -> None:
        if not self.data.exists():
            self.initdb()
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log), "-w", "start", "-o",
                  f"-c listen_addresses='' -c unix_socket_directories={self.socket_dir}"
                  f" -c fsync={'on' if self.durable else 'off'} -c max_connections=200"
                  + ("" if self.durable else " -c dynamic_shared_memory_type=mmap"))

    def stop(self) -> None:
        self._run(str(self.bin / "pg_ctl"), "-D", str(self.data), "-w", "-m", "fast", "stop")

    def remove(self) -> None:
        self._remove()

    def url(self, dbname: str, user: str = "postgres", password: str | None = None) -> str:
        login = user + (f":{quote(password, safe='')}" if password is not None else "")
        return f"postgresql://{login}@/{dbname}?host={quote(str(self.socket_dir), safe='')}"

    def admin(self):
        import psycopg

        return psycopg.connect(self.url("postgres"), autocommit=True)

    def create_database(self, owner: str = "postgres") -> str:
        """A fresh, empty database; returns its name."""
        name = f"t{os.getpid()}_{next(self._names)}"
        with self.admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}" OWNER "{owner}" STRATEGY FILE_COPY')
        return name

    def create_password_role(self, password: str) -> None:
        from psycopg import sql

        with self.admin() as conn:
            if not conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (PASSWORD_ROLE,)).fetchone():
                conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(PASSWORD_ROLE)))
            conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(PASSWORD_ROLE),
                                                                     sql.Literal(password)))


def run_server_program(as_root: bool, log: Path, *args: str) -> None:
    command = (["runuser", "-u", "postgres", "--"] if as_root else []) + list(args)
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode != 0:
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise NoPostgres(f"{' '.join(args[:2])} failed: {result.stderr.strip() or result.stdout.strip()}\n{tail}")


def remove_cluster(root: Path, bin: Path, as_root: bool) -> None:
    """Stop the cluster's server if it runs (`pg_ctl stop` also frees its shared memory), then delete
    its folder."""
    if (root / "data" / "postmaster.pid").exists():
        try:
            run_server_program(as_root, root / "server.log", str(bin / "pg_ctl"), "-D", str(root / "data"), "-w",
                               "-m", "fast", "stop")
        except (NoPostgres, subprocess.TimeoutExpired):
            pass
    shutil.rmtree(root, ignore_errors=True)


def sweep_stale(parent: str, bin: Path, as_root: bool) -> None:
    """Remove the clusters left by test runs that were killed (SIGKILL, a closed terminal): their
    maker's process is gone. A folder without an owner file is not ours to judge and is left alone."""
    for owner_file in Path(parent).glob(f"{PREFIX}*/{OWNER_FILE}"):
        try:
            pid = int(owner_file.read_text())
        except (OSError, ValueError):
            continue
        if not process_exists(pid):
            remove_cluster(owner_file.parent, bin, as_root)


def process_exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
