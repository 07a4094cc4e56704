"""A warm parent for the learners' apps: ``python -m tutor.serve.zygote SOCKET``, started by `tutor serve`.

Starting `tutor start` from nothing costs ~0.5 CPU-s before the lesson list shows, most of it importing
Textual, numpy and the tutor's modules, and reading the lessons. The zygote imports all that and reads the
served lessons once, freezes it out of the garbage collector's scans (so children leave those pages
shared), then forks one child per session: a login costs the child only its own app (and the lessons
whose files changed since). The idea is Android's zygote and gunicorn's preload.

Each session's command is `launcher.py`, which sends its stdin, stdout, stderr and environment here;
the child takes them as its own and runs the ordinary `tutor start` (its environment is the learner's:
TUTOR_DB, TUTOR_LEARNER...). The child's exit code goes back to the launcher; a launcher that goes away
takes its child with it. The zygote ends when its stdin closes (the server has ended).

It must be started with the environment textual-serve gives its apps (the web driver...): Textual reads
those settings when it is imported, here, once.
"""

from __future__ import annotations

import gc
import json
import os
import selectors
import signal
import socket
import sys

# Besides every module of the tutor package (but this one's: the server's), what a running app imports
# later, found by comparing sys.modules before and after an app has shown its lesson list.
LAZY_MODULES = ("numpy", "textual.drivers.web_driver", "textual._xterm_parser", "textual.scrollbar",
                "textual.layouts.horizontal", "textual.layouts.stream", "queue", "concurrent.futures.thread",
                "importlib.resources")


def warm() -> None:
    import importlib
    import pkgutil

    import tutor

    modules = [info.name for info in pkgutil.walk_packages(tutor.__path__, "tutor.")
               if not info.name.startswith(("tutor.serve", "tutor.__main__"))]
    for module in [*modules, *LAZY_MODULES]:
        try:
            importlib.import_module(module)
        except ImportError:  # an optional extra not installed: that part is not served warm
            pass
    from tutor.app.screens.lesson import warm_lexers
    from tutor.authoring.pack import lessons_dir, preload_pack

    pack = preload_pack(lessons_dir(os.environ.get("TUTOR_LESSONS")))  # the served lessons, read once for every login
    warm_lexers(pack.lessons)  # each app makes them again after its lesson list: already compiled here
    gc.collect()
    gc.freeze()  # what is loaded now stays put: the collector no longer writes to those pages


def receive(connection: socket.socket) -> tuple[dict[str, str], list[int]] | None:
    """The launcher's environment and its three descriptors; None if it went away first."""
    data, fds, _flags, _address = socket.recv_fds(connection, 1 << 16, 3)
    if len(fds) != 3 or len(data) < 4:
        for fd in fds:
            os.close(fd)
        return None
    size = int.from_bytes(data[:4], "big")
    data = data[4:]
    while len(data) < size:
        chunk = connection.recv(size - len(data))
        if not chunk:
            return None
        data += chunk
    return json.loads(data), fds


def become_app(fds: list[int], environment: dict[str, str], keep_out: list[int]) -> None:
    """In the child: the launcher's pipes are stdin, stdout and stderr; run `tutor start`; never return."""
    code = 1
    try:
        for fd in keep_out:
            os.close(fd)
        for signal_number in (signal.SIGINT, signal.SIGTERM, signal.SIGCHLD):
            signal.signal(signal_number, signal.SIG_DFL)
        for target, fd in enumerate(fds):
            os.dup2(fd, target)
            os.close(fd)
        os.environ.clear()
        os.environ.update(environment)
        sys.argv = ["tutor", "start"]
        from tutor.cli import main

        main()
        code = 0
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else (0 if end.code is None else 1)
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except (OSError, ValueError):
                pass
        os._exit(code)


class Zygote:
    def __init__(self, path: str):
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        os.chmod(path, 0o600)  # only the server's user may ask for an app
        self.listener.listen(128)
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.listener, selectors.EVENT_READ, "accept")
        self.selector.register(sys.stdin, selectors.EVENT_READ, "server")
        self.children: dict[int, tuple[int, socket.socket]] = {}  # pidfd -> (pid, launcher connection)

    def descriptors(self) -> list[int]:
        """What a child must not keep: the listener, every launcher's connection, every pidfd."""
        return [self.listener.fileno(), *(c.fileno() for _, c in self.children.values()), *self.children]

    def serve(self) -> None:
        while True:
            for key, _events in self.selector.select():
                kind = key.data
                if kind == "accept":
                    connection, _ = self.listener.accept()
                    self.selector.register(connection, selectors.EVENT_READ, "request")
                elif kind == "server":
                    if not os.read(sys.stdin.fileno(), 1024):
                        return  # the server has ended; running apps end with their own pipes
                elif kind == "request":
                    self.start(key.fileobj)
                elif kind == "launcher":  # the launcher went away before its app ended
                    self.end_child(key.fileobj)
                else:
                    self.reap(key.fd)

    def start(self, connection: socket.socket) -> None:
        self.selector.unregister(connection)
        received = receive(connection)
        if received is None:
            connection.close()
            return
        environment, fds = received
        sys.stdout.flush()
        pid = os.fork()
        if pid == 0:
            become_app(fds, environment, self.descriptors() + [connection.fileno()])
        for fd in fds:
            os.close(fd)
        pidfd = os.pidfd_open(pid)
        self.children[pidfd] = (pid, connection)
        self.selector.register(pidfd, selectors.EVENT_READ, "child")
        self.selector.register(connection, selectors.EVENT_READ, "launcher")

    def end_child(self, connection: socket.socket) -> None:
        self.selector.unregister(connection)  # once: it stays readable at its end
        for pid, known in self.children.values():
            if known is connection:
                os.kill(pid, signal.SIGKILL)
                return

    def reap(self, pidfd: int) -> None:
        pid, connection = self.children.pop(pidfd)
        self.selector.unregister(pidfd)
        if connection in (key.fileobj for key in self.selector.get_map().values()):
            self.selector.unregister(connection)
        os.close(pidfd)
        _, status = os.waitpid(pid, 0)
        try:
            connection.sendall(str(os.waitstatus_to_exitcode(status)).encode())
        except OSError:
            pass
        connection.close()


def main(path: str) -> None:
    # Ctrl+C at the server's terminal reaches every process of its group: the server ends on it and closes
    # this one's stdin, which ends it. Its own KeyboardInterrupt printed a traceback under the server's words.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    warm()
    zygote = Zygote(path)
    print("ready", flush=True)
    zygote.serve()


if __name__ == "__main__":
    main(sys.argv[1])
