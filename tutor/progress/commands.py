"""`tutor progress`, `tutor reset` and `tutor paths`. Each returns an exit code; the click
wrappers in tutor/cli.py only pass the options through."""

from __future__ import annotations

import sys
import unicodedata
from pathlib import Path

import click

from tutor.progress.store import Store, StoreError, paths


def _open_existing(db: str | None, lang: str) -> tuple[Store, Path]:
    """The store at `db`, or an empty in-memory one when there is no file yet (a report
    should not create a database)."""
    database = paths(db).database
    store = Store.open(database) if database.exists() else Store.in_memory()
    if store.warning:
        click.echo(store.warning_in(lang), err=True)
    return store, database


def run_progress(db: str | None, lessons_dir: str | None, fmt: str, lang: str) -> int:
    from tutor.progress.report import attempts_csv, lesson_rows, report_json, table_lines

    store, database = _open_existing(db, lang)
    with store:
        lessons, pack = _lessons(lessons_dir)
        rows = lesson_rows(store.lesson_summary(), pack, lessons)
        # With --lessons, the export is that folder's; without, everything in the database.
        attempts = store.attempts(pack if lessons_dir else None)
    if fmt in ("csv", "json"):
        # Not click.echo: it strips what looks like ANSI codes when piped, and the export
        # must give back the answers exactly as typed.
        out = attempts_csv(attempts) if fmt == "csv" else report_json(rows, attempts, str(database)) + "\n"
        sys.stdout.write(_shown_safely(out) if sys.stdout.isatty() else out)
    else:
        if not database.exists():
            click.echo(("아직 기록된 진도가 없습니다: " if lang == "ko" else "No progress recorded yet: ")
                       + str(database))
        for line in table_lines(rows, lang):
            click.echo(line)
    return 0


def _shown_safely(text: str) -> str:
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


def run_reset(db: str | None, lesson: str | None, yes: bool, lessons_dir: str | None = None) -> int:
    """Without ``lessons_dir`` (``--lessons`` / ``TUTOR_LESSONS``) every lessons folder's progress;
    with it, that folder's only. ``lesson``: one lesson id within that."""
    database = paths(db).database
    if not database.exists():
        click.echo(f"Nothing to reset: there is no progress file at {database}.")
        return 0
    if lessons_dir:
        from tutor.authoring.pack import pack_name  # here: it reads lessons (numpy), a reset of everything does not

    pack = pack_name(lessons_dir) if lessons_dir else None
    with Store.open(database) as store:
        if store.read_only:
            click.echo(f"Cannot reset: {store.warning}", err=True)
            return 1
        count = len(store.attempts(pack, lesson))
        known = {s.lesson for s in store.lesson_summary(pack)}
        if lesson is not None and lesson not in known:
            click.echo(f"No progress for lesson '{lesson}' in {database}. Lessons with progress: "
                       f"{', '.join(sorted(known)) or 'none'}.", err=True)
            return 1
        what = f"the progress of lesson '{lesson}'" if lesson else "all progress"
        if lessons_dir:
            what += f" of the lessons in {lessons_dir}"
        if not yes:
            try:
                confirmed = click.confirm(f"Delete {what} ({count} attempts) from {database}? "
                                          "A backup is written first.", default=False)
            except click.Abort:  # end of input: no answer is not a yes
                confirmed = False
                click.echo()
            if not confirmed:
                click.echo("Nothing was deleted.")
                return 1
        try:
            backup = store.reset(lesson=lesson, pack=pack)
        except StoreError as error:
            click.echo(f"Cannot reset: {error}", err=True)
            return 1
    click.echo(f"Deleted {what} ({count} attempts). Backup: {backup}")
    return 0


def run_paths(db: str | None) -> int:
    where = paths(db)
    for label, path in (("data", where.data_dir), ("database", where.database),
                        ("backups", where.backups), ("crash logs", where.crash_logs)):
        click.echo(f"{label + ':':<12}{path}")
    return 0
