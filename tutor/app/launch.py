"""Starting the app from the command line: the terminal check (before Textual is imported, so a
pipe gets one line of text and no escape codes), the progress store, and the run."""

import os
import sys
import time


def no_terminal_reason(stdin=None, stdout=None, environ=os.environ) -> str | None:
    """Why the app cannot run here, or None when it can."""
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    if not (stdin and stdin.isatty()):
        return "stdin is not a terminal"
    if not (stdout and stdout.isatty()):
        return "stdout is not a terminal"
    if environ.get("TERM", "") in ("", "dumb"):
        return f"TERM is {environ.get('TERM') or 'not set'}"
    return None


def run(lessons_dir: str | None, lang: str | None, db: str | None, ascii: bool) -> int:
    started = time.perf_counter()
    from tutor.progress import Store

    from .i18n import default_lang
    from .main import TutorApp

    store = Store.open(db)
    app = TutorApp(lessons_dir, store=store, lang=lang or default_lang(), ascii=ascii, started=started)
    try:
        app.run()
    finally:
        store.close()
    if store.warning:
        print(store.warning_in(app.lang), file=sys.stderr)
    tell_where_the_crash_log_is(app)
    return app.return_code or 0


def tell_where_the_crash_log_is(app) -> None:
    """After the app stopped on an unexpected error (Textual printed the traceback): where its log is."""
    if app.crash_log is not None:
        print(f"tutor stopped on an unexpected error; the details are in {app.crash_log}", file=sys.stderr)
