"""`tutor progress` as data and as text: one row per lesson; attempts as CSV or JSON for instructors.

Pure functions over what the store returns (and, when given, the loaded lessons), so the
command, the app and tests share one set of figures.
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import asdict
from typing import Iterable, NamedTuple

from tutor.progress.store import ATTEMPT_FIELDS, Attempt, LessonSummary


class LessonRow(NamedTuple):
    pack: str
    lesson: str
    solved: int
    total: int | None  # problems in the lesson; None when neither the lesson nor the store knows
    attempts: int
    first_try_accuracy: float | None
    last_activity: str | None
    completed: bool
    changed: bool  # the lesson file changed after progress was recorded
    missing: bool  # progress for a lesson that is no longer in the folder


def lesson_rows(summaries: Iterable[LessonSummary], pack: str | None = None, lessons=None) -> list[LessonRow]:
    """Rows for every summary; when `lessons` (of `pack`) are given, that pack's rows follow
    the lessons' order, totals come from the lessons, and lessons not started get a row too."""
    summaries = list(summaries)
    in_pack = {s.lesson: s for s in summaries if s.pack == pack}
    rows = []
    if lessons is not None:
        for lesson in lessons:
            summary = in_pack.pop(lesson.id, None)
            rows.append(_row(summary, pack, lesson.id, len(lesson.problems), missing=False))
        rows += [_row(s, s.pack, s.lesson, s.problem_count, missing=True) for s in in_pack.values()]
        summaries = [s for s in summaries if s.pack != pack]
    return rows + [_row(s, s.pack, s.lesson, s.problem_count, missing=False) for s in summaries]


def _row(summary: LessonSummary | None, pack: str, lesson: str, total: int | None, missing: bool) -> LessonRow:
    if summary is None:
        return LessonRow(pack, lesson, 0, total, 0, None, None, False, False, missing)
    return LessonRow(pack, lesson, summary.solved, total, summary.attempts, summary.first_try_accuracy,
                     summary.last_activity, summary.completed_at is not None, summary.changed_at is not None,
                     missing)


HEADERS = {
    "ko": ("레슨", "푼 빈칸", "한 번에 맞힘", "마지막 학습"),
    "en": ("lesson", "solved", "first try", "last activity"),
}
NOTES = {
    "ko": {"done": "완료", "changed": "레슨 내용이 바뀜", "missing": "폴더에 없는 레슨", "pack": "레슨 폴더"},
    "en": {"done": "done", "changed": "lesson edited", "missing": "not in the folder", "pack": "lessons"},
}


BAR_WIDTH = 10


def table_lines(rows: list[LessonRow], lang: str = "ko", bars: bool = False, ascii: bool = False) -> list[str]:
    """A plain-text table, aligned by display width (Korean letters take two cells). ``bars``: a bar before
    each lesson's solved/total and first-try share (on a terminal; ``ascii``: drawn with ASCII)."""
    from tutor.render.bars import bar

    def with_bar(share: float | None, figure: str) -> str:
        return f"{bar(share, BAR_WIDTH, ascii)} {figure}" if bars else figure

    notes = NOTES[lang]
    packs = list(dict.fromkeys(row.pack for row in rows))
    lines = []
    for pack in packs:
        if len(packs) > 1:
            lines.append(f"[{notes['pack']}: {pack}]")
        cells = [HEADERS[lang]]
        for row in (r for r in rows if r.pack == pack):
            flags = (("done", row.completed), ("changed", row.changed), ("missing", row.missing))
            marks = [notes[key] for key, on in flags if on]
            cells.append((
                row.lesson,
                with_bar(row.solved / row.total if row.total else 0, f"{row.solved}/{'?' if row.total is None else row.total}"),
                with_bar(row.first_try_accuracy, "-" if row.first_try_accuracy is None else f"{row.first_try_accuracy:.0%}"),
                _local_time(row.last_activity) + (f"  ({', '.join(marks)})" if marks else ""),
            ))
        widths = [max(_width(line[i]) for line in cells) for i in range(3)]
        for line in cells:
            padded = [cell + " " * (width - _width(cell)) for cell, width in zip(line, widths)]
            lines.append("  ".join(padded + [line[3]]).rstrip())
    return lines


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _local_time(stamp: str | None) -> str:
    """'2026-11-28 21:08' in the learner's time zone ('-' for never)."""
    if not stamp:
        return "-"
    from datetime import datetime

    return datetime.fromisoformat(stamp).astimezone().strftime("%Y-%m-%d %H:%M")


def attempts_csv(attempts: Iterable[Attempt]) -> str:
    """One row per attempt, header first. Empty seed/mistake = none; correct is 1 or 0;
    seconds are written exactly (repr), so reading the file back gives the same numbers."""
    out = io.StringIO()
    # The default "\r\n" line end (RFC 4180) also makes the writer quote a lone "\r" in an answer.
    writer = csv.writer(out)
    writer.writerow(ATTEMPT_FIELDS)
    for attempt in attempts:
        values = asdict(attempt)
        values["correct"] = int(values["correct"])
        values["seconds"] = repr(values["seconds"])
        writer.writerow(["" if values[name] is None else values[name] for name in ATTEMPT_FIELDS])
    return out.getvalue()


def report_json(rows: list[LessonRow], attempts: Iterable[Attempt], database: str) -> str:
    """{"database", "lessons": [row...], "attempts": [attempt...]} — attempts field for field."""
    return json.dumps({
        "database": database,
        "lessons": [row._asdict() for row in rows],
        "attempts": [{name: getattr(a, name) for name in ATTEMPT_FIELDS} for a in attempts],
    }, ensure_ascii=False, indent=1)
