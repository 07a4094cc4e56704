"""Starting the app from the command line: the progress store and the run. (The terminal check
comes first, in tutor.environment, before Textual is imported, so a pipe gets one line of text and
no escape codes.)"""

import sys
import time


def run(lessons_dir: str | None, lang: str | None, db: str | None, ascii: bool) -> int:
    started = time.perf_counter()
    from tutor.environment import default_lang
    from tutor.progress import Store

    from .main import TutorApp

    store = Store.open(db)
    app = TutorApp(lessons_dir, store=store, lang=lang or default_lang(), ascii=ascii, started=started)
    try:
        app.run()
    finally:
        store.close()
    if store.closing_words_in(app.lang):
        print(store.closing_words_in(app.lang), file=sys.stderr)
    tell_where_the_crash_log_is(app)
    return app.return_code or 0


def tell_where_the_crash_log_is(app) -> None:
    """After the app stopped on an unexpected error (Textual printed the traceback): where its log is."""
    if app.crash_log is not None:
        from tutor.messages import say

        print(say("crashed", app.lang, path=app.crash_log), file=sys.stderr)
