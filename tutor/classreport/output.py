"""A class report as an instructor reads it (tables with bars, Rich) or as a gradebook imports it
(CSV, JSON). Names, titles and mistakes are outside text: they are shown as plain text (never Rich
markup) with control characters removed."""

from __future__ import annotations

import csv
import io
import json
from itertools import groupby
from dataclasses import asdict

from rich import box
from rich.console import Console, Group
from rich.cells import cell_len
from rich.table import Table
from rich.text import Text

from tutor.render.bars import bar
from tutor.render.mathtext import safe_text

from .figures import STUCK_WRONG, Report

BAR_WIDTH = 10
WORDS = {
    "title": ("반 전체 보고서: 학습자 {learners}명", "Class report: {learners} learners"),
    "title-one": ("반 전체 보고서: 학습자 1명", "Class report: 1 learner"),
    "unreadable": ("읽지 못한 진도: {where} ({why})", "Progress that could not be read: {where} ({why})"),
    "problems": ("문제별", "Per problem"),
    "learners": ("학습자별", "Per learner"),
    "stuck": ("지금 막힌 학습자 (최근 {minutes}분 동안 한 빈칸에서 {wrong}번 이상 틀리고 맞힌 적 없음)",
              "Stuck now (in the last {minutes} minutes, {wrong} or more wrong answers at one blank and no right one)"),
    "nobody-stuck": ("지금 막힌 학습자는 없습니다.", "Nobody is stuck now."),
    "no-progress": ("아직 기록된 진도가 없습니다.", "No progress recorded yet."),
    "lesson": ("레슨", "lesson"),
    "blank": ("빈칸", "blank"),
    "tried": ("시도", "tried"),
    "first-try": ("한 번에 맞힘", "first try"),
    "solved": ("맞힘", "solved"),
    "revealed": ("답 봄", "shown"),
    "median-tries": ("시도 중앙값", "median"),
    "hints": ("힌트", "hints"),
    "learner": ("학습자", "learner"),
    "lessons-completed": ("끝낸 레슨", "lessons done"),
    "blanks-solved": ("푼 빈칸", "blanks solved"),
    "last-active": ("마지막 학습 (UTC)", "last active (UTC)"),
    "wrong": ("틀린 횟수", "wrong"),
    "since": ("처음 틀린 때 (UTC)", "since (UTC)"),
    "mistake": ("반복하는 실수", "the mistake they repeat"),
}


def _say(key: str, lang: str, **values) -> str:
    korean, english = WORDS[key]
    return (english if lang == "en" else korean).format(**values)


def _percent(share: float | None) -> str:
    return "" if share is None else f"{100 * share:.0f}%"


def _minute(moment: str | None) -> str:
    """An ISO timestamp (UTC) to the minute: 2026-12-03 06:41."""
    return "" if not moment else moment[:16].replace("T", " ")


def _plain(value) -> Text:
    return Text(safe_text(str(value)))


def _pad(text: str, width: int, right: bool = False) -> str:
    """`text` padded to `width` terminal cells (a Hangul syllable takes two)."""
    space = " " * max(width - cell_len(text), 0)
    return space + text if right else text + space


def _lesson_lines(lesson: tuple[int, str], rows: list, lang: str, ascii: bool) -> list[Text]:
    """One lesson's problems: a row of figures per blank, and under it a bar per top mistake (the share
    of the learners who tried it that made it), its number of learners and its name."""
    number, title = lesson
    keys = ("tried", "first-try", "solved", "revealed", "median-tries", "hints")
    widths = [max(cell_len(_say(key, lang)), size) for key, size in zip(keys, (5, BAR_WIDTH + 5, 5, 5, 6, 5))]
    blank = max([cell_len(f.problem) for f in rows] + [cell_len(_say("blank", lang))])
    rule = "-" if ascii else "─"
    header = "  ".join([_pad(_say("blank", lang), blank)] + [_pad(_say(k, lang), w, k != "first-try")
                                                             for k, w in zip(keys, widths)])
    lines = [Text(""), Text(safe_text(f"{number or '-'}. {title}"), style="bold"),
             Text("  " + header), Text("  " + rule * cell_len(header))]
    for f in rows:
        cells = [str(f.tried), f"{bar(f.first_try, BAR_WIDTH, ascii)} {_percent(f.first_try):>4}",
                 _percent(f.solved), _percent(f.revealed), "" if f.median_tries is None else f"{f.median_tries:g}",
                 str(f.hints)]
        lines.append(Text("  " + "  ".join([_pad(safe_text(f.problem), blank)] + [
            _pad(cell, w, key != "first-try") for key, cell, w in zip(keys, cells, widths)])))
        lines += [Text(f"      {bar(m.learners / f.tried, BAR_WIDTH, ascii)} {m.learners:>3}  ") + _plain(m.name)
                  for m in f.mistakes]
    return lines


def report_renderable(report: Report, lang: str, stuck_minutes: float, ascii: bool = False):
    """The report as Rich renderables: a title, the per-problem table (bars of first-try share and of
    each top mistake's share of the learners who tried), the per-learner table, and who is stuck now."""
    table_box = box.ASCII if ascii else box.SIMPLE_HEAD
    title = "title-one" if len(report.learners) == 1 else "title"
    parts = [Text(_say(title, lang, learners=len(report.learners)), style="bold")]
    parts += [Text(safe_text(_say("unreadable", lang, where=where, why=why)), style="red")
              for where, why in report.unreadable]
    if not report.learners:
        return Group(*parts, Text(_say("no-progress", lang)))

    parts.append(Text(_say("problems", lang), style="bold underline"))
    for lesson, rows in groupby(report.problems, key=lambda f: (f.number, f.lesson_title)):
        parts += _lesson_lines(lesson, list(rows), lang, ascii)

    learners = Table(title=_say("learners", lang), box=table_box, title_justify="left", title_style="bold underline")
    for key in ("learner", "lessons-completed", "blanks-solved", "first-try", "last-active"):
        learners.add_column(_say(key, lang), justify="left" if key in ("learner", "last-active", "first-try") else "right",
                            no_wrap=key != "learner")
    for figures in report.learners:
        learners.add_row(_plain(figures.learner), str(figures.lessons_completed),
                         f"{figures.blanks_solved}/{figures.blanks_tried}",
                         f"{bar(figures.first_try, BAR_WIDTH, ascii)} {_percent(figures.first_try):>4}",
                         _minute(figures.last_active))

    stuck_title = _say("stuck", lang, minutes=f"{stuck_minutes:g}", wrong=STUCK_WRONG)
    if report.stuck:
        stuck = Table(title=stuck_title, box=table_box, title_justify="left", title_style="bold underline")
        for key in ("learner", "lesson", "blank", "wrong", "since", "mistake"):
            stuck.add_column(_say(key, lang), justify="right" if key == "wrong" else "left")
        for s in report.stuck:
            stuck.add_row(_plain(s.learner), _plain(s.lesson), _plain(s.problem), str(s.wrong), _minute(s.since),
                          _plain(s.mistake))
    else:
        stuck = Group(Text(stuck_title, style="bold underline"), Text(_say("nobody-stuck", lang)))
    return Group(*parts, Text(""), learners, stuck)


def report_text(report: Report, lang: str, stuck_minutes: float, width: int, ascii: bool = False) -> str:
    """The report as plain text `width` cells wide (no colours, no escape codes)."""
    out = io.StringIO()
    console = Console(file=out, width=width, color_system=None, force_terminal=False, legacy_windows=False,
                      emoji=False, highlight=False)
    console.print(report_renderable(report, lang, stuck_minutes, ascii))
    return out.getvalue()


CSV_COLUMNS = {
    "problems": ("lesson_number", "lesson", "problem", "tried", "first_try", "solved", "revealed", "median_tries",
                 "hints") + tuple(f"mistake_{i}{part}" for i in (1, 2, 3) for part in ("", "_learners")),
    "learners": ("learner", "lessons_completed", "blanks_solved", "blanks_tried", "first_try", "last_active"),
    "stuck": ("learner", "lesson", "problem", "wrong", "since", "mistake"),
}


def _share_cell(share: float | None) -> str:
    """A share for a spreadsheet: 0.4167, or empty when there is none."""
    return "" if share is None else f"{share:.4f}"


def _text_cell(value: str) -> str:
    """Outside text in a spreadsheet cell: one starting with = + - @ would be run as a formula there
    (CSV injection), so it starts with ' instead."""
    return "'" + value if value[:1] in ("=", "+", "-", "@", "\t", "\r") else value


def report_csv(report: Report, section: str) -> str:
    """One section (problems, learners or stuck) as CSV with a header row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS[section])
    if section == "problems":
        for f in report.problems:
            mistakes = [cell for m in f.mistakes for cell in (_text_cell(m.name), m.learners)]
            mistakes += [""] * (6 - len(mistakes))
            writer.writerow([f.number or "", f.lesson, f.problem, f.tried, _share_cell(f.first_try),
                             _share_cell(f.solved), _share_cell(f.revealed),
                             "" if f.median_tries is None else f"{f.median_tries:g}", f.hints, *mistakes])
    elif section == "learners":
        for f in report.learners:
            writer.writerow([_text_cell(f.learner), f.lessons_completed, f.blanks_solved, f.blanks_tried, _share_cell(f.first_try),
                             f.last_active or ""])
    else:
        for s in report.stuck:
            writer.writerow([_text_cell(s.learner), s.lesson, s.problem, s.wrong, s.since, _text_cell(s.mistake)])
    return out.getvalue()


def report_json(report: Report) -> str:
    """Every section, shares rounded to 4 places (stable output)."""
    def rounded(item: dict) -> dict:
        return {key: round(value, 4) if isinstance(value, float) else value for key, value in item.items()}

    data = {"problems": [rounded(asdict(f)) for f in report.problems],
            "learners": [rounded(asdict(f)) for f in report.learners],
            "stuck": [asdict(s) for s in report.stuck],
            "unreadable": [{"where": where, "why": why} for where, why in report.unreadable]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"
