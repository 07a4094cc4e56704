"""``tutor quiz``: load the lessons and the progress, plan the quiz, run it in line mode or on the
app's quiz screen. Line mode never imports Textual."""

import sys

from .messages import say

UNSAVED = 3  # the exit code when answers of this quiz are not in the progress database


def run_quiz(lessons_dir: str | None, lesson_ids: tuple[str, ...], everything: bool, count: int,
             seed: int | None, plain: bool, ascii: bool, lang: str, db: str | None) -> int:
    """The exit code: 0 after a quiz, 1 when there is nothing to ask, 2 for bad input or no terminal, 3 when
    answers could not be saved (what became of them is said on stderr)."""
    from tutor.environment import no_terminal_reason

    if not plain:
        reason = no_terminal_reason(lang=lang)
        if reason:
            print(say("no-tty", lang, reason=reason), file=sys.stderr)
            return 2
    from tutor.authoring.pack import lessons_dir as resolve_lessons_dir
    from tutor.authoring.pack import load_pack
    from tutor.progress import Store

    from .session import QuizError, QuizSession, plan_quiz

    pack = load_pack(resolve_lessons_dir(lessons_dir))  # its id names it in the store, as the app does
    lessons = pack.lessons
    for error in pack.broken:
        print(say("broken-lesson", lang, error=error), file=sys.stderr)
    store = Store.open(db)
    try:
        if store.warning_in(lang):
            print(store.warning_in(lang), file=sys.stderr)
        if plain:  # the app's screens tell it themselves (TutorApp.saving_changed)
            store.listen(lambda event: print(_saving_news(store, event, lang), file=sys.stderr, flush=True))
        try:
            questions, fell_back = plan_quiz(lessons, store, pack.id, lesson_ids, everything, count, seed)
        except QuizError as error:
            print(say("unknown-lesson", lang, id=error.args[0], ids=", ".join(l.id for l in lessons)), file=sys.stderr)
            return 2
        if not questions:
            print(say("nothing", lang), file=sys.stderr)
            return 1
        session = QuizSession(questions, store, pack.id, lang)
        notes = (say("all-lessons", lang),) if fell_back else ()
        if plain:
            code = _run_plain(session, ascii, notes)
        else:
            from tutor.app.quiz_screen import run_quiz_app

            def again():
                """The summary's "go again": a new quiz planned the same way (missed questions come first);
                None when there is nothing left to ask. Not the same seed: new numbers."""
                more, _ = plan_quiz(lessons, store, pack.id, lesson_ids, everything, count)
                return QuizSession(more, store, pack.id, session.lang) if more else None

            code = run_quiz_app(session, lessons, ascii, notes, again)
    finally:
        store.close()
    if store.closing_words_in(lang):
        print(store.closing_words_in(lang), file=sys.stderr)
    return UNSAVED if store.unsaved else code


def _saving_news(store, event: str, lang: str) -> str:
    """A line for the learner, at once, when the store's saving fails or works again."""
    if event == "saved":
        return store.saved_again_in(lang)
    return store.warning_in(lang) if event == "waiting" else store.waiting_count_in(lang)


def _run_plain(session, ascii: bool, notes) -> int:
    from . import plain

    try:
        plain.run(session, sys.stdin, sys.stdout, ascii=ascii, notes=notes)
    except BrokenPipeError:  # `tutor quiz --plain | head -1`: the answers are saved already
        from tutor.environment import reader_went_away

        reader_went_away()
        return 1
    return 0
