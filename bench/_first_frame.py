"""Run by bench/app_start.py in a fresh process: ``python bench/_first_frame.py tutor|minimal DB``.

Starts an app headless and, at its ``Ready`` event (Textual sends it after the first frame),
writes ``ready`` to stdout, then its peak memory so far (``VmHWM`` of /proc/self/status), and ends the
process at once: the parent reads the time to the first frame from the first line and the peak from the
second. Not the child's ``ru_maxrss``: on Linux it counts the memory of the process it was forked from
(the bench, ~54 MB), so the tutor and the minimal app both showed the bench's size.

``tutor`` goes through the real ``tutor start`` command (``tutor.cli.main``, the terminal check, ``TutorApp``; the
app opens the progress store after its first frame, so the store is not counted, as the lessons it
loads after that frame are not); only the terminal check is answered "fine" and ``App.run`` made headless.
``minimal`` is a Textual app with one line of text, started the same way.
"""

import os
import sys

SIZE = (100, 40)  # what tests/test_app.py uses; the tutor needs at least 80×24


def first_frame() -> None:
    os.write(1, b"ready\n")  # os.write: Textual captures print() while an app runs
    with open("/proc/self/status", "rb") as status:
        os.write(1, next(line for line in status if line.startswith(b"VmHWM:")))
    os._exit(0)  # nothing after the first frame is measured (not even the app's shutdown)


def headless(app_class):
    """``app_class`` that runs headless and ends the process at its first frame."""

    class FirstFrame(app_class):
        def on_ready(self) -> None:  # runs before the app's own on_ready, which is never reached
            first_frame()

        def run(self, **options):
            return super().run(headless=True, size=SIZE)

    return FirstFrame


def start_tutor(db: str) -> None:
    import tutor.environment
    from tutor.app import main
    from tutor.cli import main as tutor_command

    tutor.environment.no_terminal_reason = lambda **_: None  # headless: there is no terminal to check
    main.TutorApp = headless(main.TutorApp)  # launch.run imports TutorApp when it runs
    tutor_command(["start", "--db", db])


def start_minimal() -> None:
    from textual.app import App
    from textual.widgets import Static

    class Minimal(App):
        def compose(self):
            yield Static("backprop-tutor")

    headless(Minimal)().run()


if __name__ == "__main__":
    if sys.argv[1] == "tutor":
        start_tutor(sys.argv[2])
    else:
        start_minimal()
