"""`tutor report`: what a class did, for its instructor. It reads the class's progress and never writes
to it; tutor/cli.py only passes the options through."""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path


from tutor.progress.commands import shown_safely
from tutor.progress.classfolder import LEARNERS_FOLDER, ROSTER_FILE, recorded, recorded_store
from tutor.progress.reading import read_class
from tutor.progress.target import data_dir, redact

from .figures import Report, build_report, stuck_since
from .output import report_csv, report_json, report_text
from .pseudonyms import class_key, pseudonym

NOT_A_CLASS = ("{folder}에는 반이 없습니다(class.sqlite3도, class.toml도, learners 폴더도 없습니다). "
               "tutor class add로 만든 폴더를 --class로 주거나, --db로 데이터베이스를 주세요.",
               "There is no class in {folder} (no class.sqlite3, class.toml or learners folder). Give the folder "
               "`tutor class add` made as --class, or a database as --db.")
NEITHER = ("--class DIR 또는 --db URL 중 하나가 필요합니다.", "Give --class DIR or --db URL.")
UNKNOWN_LESSON = ("그런 레슨은 없습니다: '{lesson}'. 있는 레슨: {known}", "There is no lesson '{lesson}'. Lessons: {known}")


@dataclass(frozen=True)
class ReportRequest:
    """What `tutor report` was asked for (and what --live reads again every few seconds)."""

    class_dir: Path | None
    db: str | None
    lessons_dir: str | None
    lesson: str | None
    pseudonyms: bool
    stuck_minutes: float
    lang: str

    def report(self, now: datetime | None = None, lessons=None, pack: str | None = None) -> Report:
        """The report as of `now` (default: this moment); `lessons`/`pack` when already loaded."""
        if lessons is None:
            lessons, pack = load_course(self.lessons_dir)
        rename = lambda name: name  # noqa: E731 - the identity, unless pseudonyms are asked for
        if self.pseudonyms:
            key = class_key(self.class_dir if self.class_dir is not None else data_dir())
            rename = lambda name: pseudonym(name, key)  # noqa: E731
        now = now or datetime.now(timezone.utc)
        rows = read_class(self.class_dir, self.db, stuck_since(now, self.stuck_minutes))
        return build_report(rows, lessons, pack, self.lang, now, self.stuck_minutes, self.lesson, rename)


def load_course(lessons_dir: str | None):
    """The lessons (in course order) and the pack id their progress is kept under."""
    from tutor.authoring.pack import lessons_dir as resolve_lessons_dir
    from tutor.authoring.pack import load_pack

    pack = load_pack(resolve_lessons_dir(lessons_dir))
    return pack.lessons, pack.id


def _is_class(folder: Path) -> bool:
    return ((folder / ROSTER_FILE).is_file() or recorded_store(folder) is not None
            or (folder / LEARNERS_FOLDER).is_dir())


def _say(words: tuple[str, str], lang: str, **values) -> str:
    return (words[1] if lang == "en" else words[0]).format(**values)


def run_report(request: ReportRequest, fmt: str, section: str, live: bool, ascii: bool) -> int:
    lang = request.lang
    if request.class_dir is None and request.db is None:
        print(_say(NEITHER, lang), file=sys.stderr)
        return 2
    if request.db is None and not _is_class(request.class_dir):
        print(_say(NOT_A_CLASS, lang, folder=request.class_dir), file=sys.stderr)
        return 2
    if request.lessons_dir is None and request.class_dir is not None:  # the lessons it was served with
        request = replace(request, lessons_dir=recorded(request.class_dir, "lessons"))
    lessons, pack = load_course(request.lessons_dir)
    if request.lesson is not None and request.lesson not in {lesson.id for lesson in lessons}:
        print(_say(UNKNOWN_LESSON, lang, lesson=request.lesson, known=", ".join(l.id for l in lessons)), file=sys.stderr)
        return 2
    if live:
        from tutor.app.class_report import run_live_report  # here: the only path of this command that needs Textual

        return run_live_report(request, ascii)
    report = request.report(lessons=lessons, pack=pack)
    for where, why in report.unreadable:  # said on stderr too, so a CSV piped on is not all that is seen
        if fmt != "table":
            print(redact(f"tutor report: {where}: {why}"), file=sys.stderr)
    if fmt in ("csv", "json"):
        out = report_csv(report, section) if fmt == "csv" else report_json(report)
        sys.stdout.write(shown_safely(out) if sys.stdout.isatty() else out)  # names as stored, but no escapes on a terminal
    else:
        width = shutil.get_terminal_size((120, 24)).columns  # COLUMNS, else the terminal's, else 120 (a pipe)
        sys.stdout.write(report_text(report, lang, request.stuck_minutes, width, ascii))
    return 0
