"""`tutor progress`, `tutor reset` and `tutor paths`. Each returns an exit code; tutor/cli.py only
passes the options through."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path


from tutor.messages import say
from tutor.progress.store import Store, StoreError
from tutor.progress.target import learner_name, paths


def _absent(db: str | None) -> bool:
    """Whether `db` is an SQLite file that does not exist yet (a report should not create one)."""
    database = paths(db).database
    return isinstance(database, Path) and not database.exists()


def _open_existing(db: str | None, lang: str) -> tuple[Store, str]:
    """The store at `db`, or an empty in-memory one when there is no file yet."""
    store = Store.in_memory() if _absent(db) else Store.open(db)
    if store.warning_in(lang):
        print(store.warning_in(lang), file=sys.stderr)
    return store, str(paths(db).database)


def run_progress(db: str | None, lessons_dir: str | None, fmt: str, lang: str, ascii: bool = False) -> int:
    """``ascii``: bars drawn with ASCII (also when the terminal cannot show the blocks)."""
    from tutor.progress.report import attempts_csv, lesson_rows, report_json, table_lines

    store, database = _open_existing(db, lang)
    with store:
        lessons, pack = _lessons(lessons_dir)
        rows = lesson_rows(store.lesson_summary(), pack, lessons)
        # With --lessons, the export is that folder's; without, everything in the database.
        attempts = store.attempts(pack if lessons_dir else None)
    if fmt in ("csv", "json"):
        # The export gives back the answers exactly as typed; only a terminal gets them made safe.
        out = attempts_csv(attempts) if fmt == "csv" else report_json(rows, attempts, database) + "\n"
        sys.stdout.write(shown_safely(out) if sys.stdout.isatty() else out)
    else:
        if _absent(db):
            print(say("no-progress-yet", lang, path=database))
        terminal = sys.stdout.isatty()  # bars for a person to read; a pipe gets the table alone
        for line in table_lines(rows, lang, bars=terminal, ascii=ascii or not draws_blocks(sys.stdout)):
            print(line)
    return 0


def draws_blocks(stream) -> bool:
    """Whether ``stream``'s encoding has the bars' blocks (a terminal in UTF-8, not Latin-1 or ASCII)."""
    from tutor.render.glyphs import glyph

    try:
        (glyph("bar_done", False) + glyph("bar_todo", False)).encode(stream.encoding or "ascii")
        return True
    except (UnicodeEncodeError, LookupError):
        return False


def _cells(text: str) -> int:
    """Terminal cells of ``text``: a Hangul syllable takes two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def shown_safely(text: str) -> str:
    """Answers are typed text: on a terminal, control and bidi characters are shown as \\uXXXX
    escapes instead of reaching it (they could move the cursor or set the clipboard)."""
    return "".join(f"\\u{ord(c):04x}" if unicodedata.category(c) in ("Cc", "Cf") and c not in "\n\t" else c
                   for c in text)


def _lessons(lessons_dir: str | None):
    """The lessons of the folder (default: the bundled course), in the course's order as the app
    lists them, and its pack name. Broken lessons are left out here; `tutor check` reports them."""
    from tutor.authoring.pack import lessons_dir as resolve_lessons_dir
    from tutor.authoring.pack import load_pack

    pack = load_pack(resolve_lessons_dir(lessons_dir))
    return pack.lessons, pack.id


def run_reset(db: str | None, lesson: str | None, yes: bool, lessons_dir: str | None = None, lang: str = "en") -> int:
    """Without ``lessons_dir`` (``--lessons`` / ``TUTOR_LESSONS``) every lessons folder's progress;
    with it, that folder's only. ``lesson``: one lesson id within that."""
    database = paths(db).database
    if _absent(db):
        print(say("reset-nothing", lang, path=database))
        return 0
    if lessons_dir:
        from tutor.authoring.pack import pack_name  # here: it reads lessons (numpy), a reset of everything does not

    pack = pack_name(lessons_dir) if lessons_dir else None
    with Store.open(db) as store:
        if store.read_only or store.needs_retry:
            print(say("reset-cannot", lang, reason=store.warning_in(lang)), file=sys.stderr)
            return 1
        count = len(store.attempts(pack, lesson))
        known = {s.lesson for s in store.lesson_summary(pack)}
        if lesson is not None and lesson not in known:
            print(say("reset-unknown-lesson", lang, lesson=lesson, path=database,
                      known=", ".join(sorted(known)) or say("none", lang)), file=sys.stderr)
            return 1
        what = say("reset-what-lesson" if lesson else "reset-what-all", lang, lesson=lesson, learner=store.learner)
        if lessons_dir:
            what = say("reset-what-folder", lang, what=what, folder=lessons_dir)
        if not yes:
            if not _confirmed(say("reset-ask", lang, what=what, count=count, path=database)):
                print(say("reset-kept", lang))
                return 1
        try:
            backup = store.reset(lesson=lesson, pack=pack)
        except StoreError as error:
            print(say("reset-cannot", lang, reason=error), file=sys.stderr)
            return 1
    print(say("reset-done", lang, what=what, count=count, backup=backup))
    return 0


def _confirmed(question: str) -> bool:
    """Yes only when the learner types y or yes; n, no, Enter or the end of input is a no; anything
    else asks again."""
    while True:
        try:
            answer = input(f"{question} [y/N]: ").strip().lower()
        except EOFError:
            print()
            return False
        if answer in ("y", "yes", "n", "no", ""):
            return answer in ("y", "yes")


def run_paths(db: str | None, lang: str = "en") -> int:
    where = paths(db)
    try:
        learner = learner_name()
    except ValueError as error:
        learner = f"? ({error})"
    rows = [(say(key, lang) + ":", path) for key, path in (
        ("path-data", where.data_dir), ("path-database", where.database), ("path-learner", learner),
        ("path-backups", where.backups), ("path-outbox", where.outbox), ("path-crash-logs", where.crash_logs))]
    width = max(_cells(label) for label, _ in rows) + 1
    for label, path in rows:
        print(label + " " * (width - _cells(label)) + str(path))
    return 0
