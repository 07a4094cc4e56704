"""One learner's app, started by the zygote: ``python -S -I launcher.py SOCKET`` (standard library only,
no site: it starts in a few milliseconds).

textual-serve runs this as the session's command. It hands its stdin, stdout and stderr (textual-serve's
pipes) and its environment (the learner's) to the zygote over a Unix socket; the zygote forks a warm
child that becomes the app on those pipes. This process then waits and ends with the app's exit code;
if it is ended first, the zygote ends the app too (the socket closes).
"""

import json
import os
import socket
import sys


def main(path: str) -> int:
    environment = json.dumps(dict(os.environ)).encode()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as zygote:
        try:
            zygote.connect(path)
        except OSError:
            os.execv(sys.executable, [sys.executable, "-m", "tutor", "start"])
        socket.send_fds(zygote, [len(environment).to_bytes(4, "big") + environment], [0, 1, 2])
        for fd in (0, 1, 2):  # the app has them now; textual-serve sees end of file when the app ends
            os.close(fd)
        answer = b""
        while chunk := zygote.recv(16):
            answer += chunk
    return int(answer) if answer.strip().lstrip(b"-").isdigit() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
