"""The `tutor` command run inside the test's process (``tutor.cli.main``), as a shell would run it: the
arguments, the environment and stdin given, the exit code and what it printed kept. It answers to the
names of click's CliRunner, which the tests used while the command line was built on click."""

import io
import os
import sys
from typing import NamedTuple


class Result(NamedTuple):
    exit_code: int
    stdout: str
    stderr: str
    output: str  # stdout and stderr as a terminal shows them, interleaved
    exception: BaseException | None = None  # the tests let every other exception through


class _Stream(io.TextIOBase):
    """A text stream that keeps what is written to it, and in the shared ``output`` too."""

    encoding = "utf-8"

    def __init__(self, output: list[str]):
        self.written: list[str] = []
        self.output = output

    def write(self, text: str) -> int:
        self.written.append(text)
        self.output.append(text)
        return len(text)

    def isatty(self) -> bool:
        return False


class CliRunner:
    def __init__(self, env: dict | None = None):
        self.env = env or {}

    def invoke(self, main, args, input: str | None = None, env: dict | None = None) -> Result:
        """``main(args)``; ``env`` entries set for the run (None: unset), then put back."""
        changes = {**self.env, **(env or {})}
        saved_env = {name: os.environ.get(name) for name in changes}
        saved_streams = sys.stdin, sys.stdout, sys.stderr
        output: list[str] = []
        stdout, stderr = _Stream(output), _Stream(output)
        _set_env(changes)
        sys.stdin, sys.stdout, sys.stderr = io.StringIO(input or ""), stdout, stderr
        try:
            main([str(arg) for arg in args])
            code = 0
        except SystemExit as exit:
            code = exit.code if isinstance(exit.code, int) else 0 if exit.code is None else 1
            if isinstance(exit.code, str):
                stderr.write(exit.code + "\n")
        finally:
            sys.stdin, sys.stdout, sys.stderr = saved_streams
            _set_env(saved_env)
        return Result(code, "".join(stdout.written), "".join(stderr.written), "".join(output))


def _set_env(values: dict) -> None:
    for name, value in values.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value
