"""A class's figures, from the rows its databases hold (tutor.progress.reading): per problem, per
learner, and who is stuck now. Pure functions: the same rows, lessons, language and clock give the same
figures, in the same order (course order, ties by name), so the report is byte-identical run to run.
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from tutor.lessons import text
from tutor.progress.reading import ClassRows
from tutor.progress.store import timestamp
from tutor.render.mistake_names import mistake_name

TOP_MISTAKES = 3
STUCK_WRONG = 3  # wrong attempts at one blank within the window, and no right one, make a learner stuck


@dataclass(frozen=True)
class MistakeCount:
    name: str  # in the instructor's language; never an id
    learners: int  # learners who made it at least once


@dataclass(frozen=True)
class ProblemFigures:
    number: int  # the lesson's place in the course (1, 2, …); 0 for a lesson no longer in it
    lesson: str
    lesson_title: str
    problem: str
    tried: int  # learners who answered it or had it revealed
    first_try: float | None  # shares of `tried`, 0–1; None when nobody tried
    solved: float | None
    revealed: float | None
    median_tries: float | None
    hints: int  # hints shown, all learners together
    mistakes: tuple[MistakeCount, ...] = ()


@dataclass(frozen=True)
class LearnerFigures:
    learner: str
    lessons_completed: int
    blanks_solved: int
    blanks_tried: int
    first_try: float | None
    last_active: str | None  # their last answer


@dataclass(frozen=True)
class Stuck:
    learner: str
    lesson: str
    problem: str
    wrong: int  # wrong attempts within the window
    since: str  # the first of them
    mistake: str  # the one they make most often, by name


@dataclass
class Report:
    problems: list[ProblemFigures] = field(default_factory=list)
    learners: list[LearnerFigures] = field(default_factory=list)
    stuck: list[Stuck] = field(default_factory=list)
    unreadable: list[tuple[str, str]] = field(default_factory=list)


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


def build_report(rows: ClassRows, lessons, pack: str, lang: str, now: datetime, stuck_minutes: float,
                 lesson_id: str | None = None, rename=lambda name: name) -> Report:
    """The figures of `pack`'s rows (`lessons`: that pack's, in course order; `lesson_id`: one lesson
    only; `rows.recent`: the attempts since `stuck_since(now, stuck_minutes)` at least). `rename`: what a
    learner is called in the report (their name, or a pseudonym)."""
    order = {lesson.id: number for number, lesson in enumerate(lessons, 1)}
    by_id = {lesson.id: lesson for lesson in lessons}

    def wanted(row: dict) -> bool:
        return row["pack"] == pack and (lesson_id is None or row["lesson"] == lesson_id)

    problems = [row for row in rows.problems if wanted(row)]
    lesson_rows = [row for row in rows.lessons if wanted(row)]
    report = Report(unreadable=list(rows.unreadable))

    names: dict[tuple[str, str, str | None], str] = {}

    def named(lesson: str, problem: str, kind: str | None) -> str:
        """A mistake's name; an author's own is read from its problem's message (two problems may each
        have a mistake of the same id), once per problem and kind."""
        if (lesson, problem, kind) not in names:
            in_lesson = {p.id: p for p in by_id[lesson].problems} if lesson in by_id else {}
            names[lesson, problem, kind] = mistake_name(kind, lang, in_lesson.get(problem))
        return names[lesson, problem, kind]

    # ---- per problem, in course order (problems of lessons no longer in the course last, by name)
    started = {row["lesson"] for row in problems}  # a lesson nobody has opened is left out
    keys = [(lesson.id, problem.id) for lesson in lessons if lesson.id in started for problem in lesson.problems]
    known = set(keys)
    keys += sorted({(row["lesson"], row["problem"]) for row in problems} - known)
    states = defaultdict(list)
    for row in problems:
        states[row["lesson"], row["problem"]].append(row)
    made = defaultdict(list)  # (lesson, problem) -> a mistake kind per learner who made it
    for row in rows.mistakes:
        if wanted(row):
            made[row["lesson"], row["problem"]].append(row["mistake"])
    for lesson, problem in keys:
        tried = [row for row in states[lesson, problem] if row["attempts"] > 0 or row["revealed"]]
        if not tried and (lesson, problem) not in known:
            continue
        counts = Counter(named(lesson, problem, kind) for kind in made[lesson, problem])
        top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:TOP_MISTAKES]
        tries = [row["attempts"] for row in tried if row["attempts"] > 0]
        title = text(by_id[lesson].title, lang) if lesson in by_id else lesson
        report.problems.append(ProblemFigures(
            order.get(lesson, 0), lesson, title, problem, len(tried),
            _share(sum(bool(row["solved_first_try"]) for row in tried), len(tried)),
            _share(sum(bool(row["solved"]) for row in tried), len(tried)),
            _share(sum(bool(row["revealed"]) for row in tried), len(tried)),
            statistics.median(tries) if tries else None,
            sum(row["hints_used"] for row in tried),
            tuple(MistakeCount(name, count) for name, count in top)))

    # ---- per learner, by the name the report gives them
    mine = defaultdict(lambda: {"problems": [], "completed": 0})
    for row in problems:
        if row["attempts"] > 0 or row["revealed"]:
            mine[row["learner"]]["problems"].append(row)
    for row in lesson_rows:
        mine[row["learner"]]["completed"] += bool(row["completed_at"])
    last_answer = {row["learner"]: row["at"] for row in rows.last_answers}
    for learner, theirs in mine.items():
        tried = theirs["problems"]
        report.learners.append(LearnerFigures(
            rename(learner), theirs["completed"], sum(bool(row["solved"]) for row in tried), len(tried),
            _share(sum(bool(row["solved_first_try"]) for row in tried), len(tried)), last_answer.get(learner)))
    report.learners.sort(key=lambda figures: figures.learner)

    # ---- stuck now: STUCK_WRONG wrong attempts at one blank in the window, and no right one
    start, end = stuck_since(now, stuck_minutes), timestamp(now)
    recent = defaultdict(list)
    for row in rows.recent:
        if wanted(row) and start <= row["at"] <= end:
            recent[row["learner"], row["lesson"], row["problem"]].append(row)
    for (learner, lesson, problem), tries in recent.items():
        wrong = [row for row in tries if not row["correct"]]
        if len(wrong) >= STUCK_WRONG and len(wrong) == len(tries):
            repeated = Counter(row["mistake"] for row in wrong)  # on a tie a named mistake, not "other wrong answers"
            kind = sorted(repeated.items(), key=lambda item: (-item[1], item[0] is None, item[0] or ""))[0][0]
            mistake = named(lesson, problem, kind)
            report.stuck.append(Stuck(rename(learner), lesson, problem, len(wrong), min(row["at"] for row in wrong),
                                      mistake))
    report.stuck.sort(key=lambda s: (s.learner, order.get(s.lesson, 0), s.lesson, s.problem))
    return report


def stuck_since(now: datetime, stuck_minutes: float) -> str:
    """The start of the window 'stuck now' looks at, as stored times are written."""
    return timestamp(now - timedelta(minutes=stuck_minutes))
