"""``tutor check [--strict]``: every lesson of the given files and folders, its answers computed for the
file's values and 20 variants, each graph's drawing within its budget; a folder checked as a course (its
course.yaml, unique ids, ``requires``); with ``--strict``, the lints of ``tutor.authoring.lints`` for
every lesson that loads."""

from pathlib import Path

from tutor.lessons import Issue, LessonError, bundled_lessons_dir, load_lesson
from tutor.lessons.safe_yaml import escaped_name
from tutor.render.budget import drawing_error

from .lints import lint_lesson
from .pack import COURSE_FILE, load_pack


def check(paths: list[str], strict: bool = False) -> tuple[list[str], bool]:
    """Output lines (each error as file:line:col: message, then the lints, then a summary) and whether there
    is nothing to report. No path means the bundled course."""
    lessons, broken = [], []
    for given in paths or [str(bundled_lessons_dir())]:
        path = Path(given)
        if path.is_dir():
            pack = load_pack(path, check_variants=True, parallel=True)
            lessons += pack.lessons
            broken += pack.broken
        elif path.exists():
            try:
                lesson = load_lesson(path, check_variants=True)
            except LessonError as e:
                broken.append(e)
                continue
            if error := drawing_error(lesson):
                broken.append(error)
            else:
                lessons.append(lesson)
        else:
            broken.append(LessonError([Issue(escaped_name(given), 1, 1, "no such file or folder")]))
    errors = [str(issue) for error in broken for issue in error.issues]
    found = sum(error.found for error in broken)  # a file's list is cut short after its first 25
    lints = [str(lint) for lesson in lessons for lint in lint_lesson(lesson)] if strict else []
    count = len(lessons) + sum(Path(error.path).name != COURSE_FILE for error in broken)
    problems = sum(len(lesson.problems) for lesson in lessons)
    summary = (f"{count} lesson{'s' * (count != 1)}, {problems} problem{'s' * (problems != 1)}, "
               f"{found} error{'s' * (found != 1)}")
    if strict:
        summary += f", {len(lints)} lint{'s' * (len(lints) != 1)}"
    return errors + lints + [summary], not errors and not lints
