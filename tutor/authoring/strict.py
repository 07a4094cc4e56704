"""``tutor check [--strict]``: the lessons package's check, plus each folder's course.yaml, plus (with
``--strict``) the lints of ``tutor.authoring.lints`` for every lesson that loads."""

from pathlib import Path

from tutor.lessons import LessonError, load_lesson
from tutor.lessons.commands import check as check_lessons

from .lints import lint_lesson
from tutor.render.budget import TooLargeToDraw, drawing_error

from .pack import COURSE_FILE, load_pack


def check(paths: list[str], strict: bool = False) -> tuple[list[str], bool]:
    """Output lines (errors, then lints, then a summary) and whether there is nothing to report.
    ``paths`` must not be empty: the caller resolves the lessons folder (``pack.lessons_dir``)."""
    lines, valid = check_lessons(paths)
    errors, summary = lines[:-1], lines[-1]
    found = int(summary.rsplit(", ", 1)[1].split()[0])  # the lessons' errors, more than their lines when cut short
    lessons = []
    for path in map(Path, paths):
        if path.is_dir():
            pack = load_pack(path)
            lessons += pack.lessons
            # course.yaml's errors and drawings over the budget: what the lessons' own check does not see
            course_errors = [str(issue) for e in pack.broken if Path(e.path).name == COURSE_FILE
                             or isinstance(e, TooLargeToDraw) for issue in e.issues]
            errors += course_errors
            found += len(course_errors)
        elif path.is_file():
            try:
                lesson = load_lesson(path)
            except LessonError:
                continue  # reported by check_lessons
            if error := drawing_error(lesson):
                errors += [str(issue) for issue in error.issues]
                found += len(error.issues)
            else:
                lessons.append(lesson)
    lints = [str(lint) for lesson in lessons for lint in lint_lesson(lesson)] if strict else []
    counts = summary.rsplit(", ", 1)[0]  # "12 lessons, 80 problems"; errors are counted again with course.yaml's
    summary = f"{counts}, {found} error{'s' * (found != 1)}"
    if strict:
        summary += f", {len(lints)} lint{'s' * (len(lints) != 1)}"
    return errors + lints + [summary], not errors and not lints
