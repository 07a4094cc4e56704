"""Starting the app from the command line: the run, and what is said after it. (The terminal check
comes first, in tutor.environment, before Textual is imported, so a pipe gets one line of text and
no escape codes.) The progress store is opened by the app after its first frame (``open_store``)."""

import sys
import time
from functools import partial


def run(lessons_dir: str | None, lang: str | None, db: str | None, ascii: bool) -> int:
    started = time.perf_counter()
    from tutor.environment import default_lang

    from .main import TutorApp

    app = TutorApp(lessons_dir, open_store=partial(open_store, db), lang=lang or default_lang(), ascii=ascii,
                   started=started)
    try:
        app.run()
    finally:
        if app.store is not None:
            app.store.close()
    if app.store_error is not None:
        raise app.store_error  # tutor.cli.main says it in one line
    if app.store is not None and app.store.closing_words_in(app.lang):
        print(app.store.closing_words_in(app.lang), file=sys.stderr)
    tell_where_the_crash_log_is(app)
    return app.return_code or 0


def open_store(db: str | None):
    """The learner's store (``tutor.progress.Store.open``), imported only when it is opened."""
    from tutor.progress import Store

    return Store.open(db)


def tell_where_the_crash_log_is(app) -> None:
    """After the app stopped on an unexpected error (Textual printed the traceback): where its log is."""
    if app.crash_log is not None:
        from tutor.messages import say

        print(say("crashed", app.lang, path=app.crash_log), file=sys.stderr)
