"""``tutor check [--strict]``: the lessons package's check, plus each folder's course.yaml, plus (with
``--strict``) the lints of ``tutor.authoring.lints`` for every lesson that loads."""

from pathlib import Path

from tutor.lessons import LessonError, load_lesson, load_lessons
from tutor.lessons.commands import check as check_lessons

from .lints import lint_lesson
from .pack import read_course


def check(paths: list[str], strict: bool = False) -> tuple[list[str], bool]:
    """Output lines (errors, then lints, then a summary) and whether there is nothing to report.
    ``paths`` must not be empty: the caller resolves the lessons folder (``pack.lessons_dir``)."""
    lines, valid = check_lessons(paths)
    errors, summary = lines[:-1], lines[-1]
    for folder in (Path(p) for p in paths if Path(p).is_dir()):
        try:
            read_course(folder)
        except LessonError as e:
            errors += [str(issue) for issue in e.issues]
    lints = [str(lint) for lesson in _lessons(paths) for lint in lint_lesson(lesson)] if strict else []
    counts = summary.rsplit(", ", 1)[0]  # "12 lessons, 80 problems"; the error count is redone here
    summary = f"{counts}, {len(errors)} error{'s' * (len(errors) != 1)}"
    if strict:
        summary += f", {len(lints)} lint{'s' * (len(lints) != 1)}"
    return errors + lints + [summary], not errors and not lints


def _lessons(paths: list[str]):
    """The lessons that load (the broken ones are already reported as errors)."""
    for given in paths:
        path = Path(given)
        if path.is_dir():
            yield from load_lessons(path)[0]
        elif path.is_file():
            try:
                yield load_lesson(path)
            except LessonError:
                pass
