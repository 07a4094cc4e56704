"""What `tutor check` and `tutor new` do (tutor/cli.py is the thin shell)."""

from pathlib import Path

from .loader import LESSON_ID, bundled_lessons_dir, load_lesson, load_lessons
from .model import Issue, Lesson, LessonError
from .safe_yaml import escaped_name
from .scaffold import scaffold


def check(paths: list[str]) -> tuple[list[str], bool]:
    """Output lines (each error as file:line:col: message, then a summary) and whether all is valid.
    A folder is checked as a course (unique ids, requires); no path means the bundled course. Unlike
    loading a lesson to teach it, checking also computes every answer for 20 variants."""
    lessons: list[Lesson] = []
    broken: list[LessonError] = []
    for given in paths or [str(bundled_lessons_dir())]:
        path = Path(given)
        if path.is_dir():
            good, bad = load_lessons(path, check_variants=True)
            lessons += good
            broken += bad
        elif path.exists():
            try:
                lessons.append(load_lesson(path, check_variants=True))
            except LessonError as e:
                broken.append(e)
        else:
            broken.append(LessonError([Issue(escaped_name(given), 1, 1, "no such file or folder")]))
    issues = [str(issue) for error in broken for issue in error.issues]
    found = sum(error.found for error in broken)  # a file's list is cut short after its first 25
    problems = sum(len(lesson.problems) for lesson in lessons)
    count = len(lessons) + len(broken)
    summary = (f"{count} lesson{'s' * (count != 1)}, {problems} problem{'s' * (problems != 1)}, "
               f"{found} error{'s' * (found != 1)}")
    return issues + [summary], not broken


def new_lesson(lesson_id: str, folder: Path = Path(".")) -> Path:
    """Write ID.md; refuses a bad id and never overwrites. Raises ValueError with a message."""
    if not LESSON_ID.match(lesson_id):
        raise ValueError(f"'{lesson_id}' is not a lesson id: use lowercase letters and digits joined by single "
                         "hyphens, like apple-backward")
    path = folder / f"{lesson_id}.md"
    try:
        with path.open("x", encoding="utf-8", newline="\n") as f:
            f.write(scaffold(lesson_id))
    except FileExistsError:
        raise ValueError(f"{path} already exists; not overwriting it") from None
    except OSError as e:
        raise ValueError(f"cannot write {path}: {e.strerror or e}") from None
    return path
