"""What `tutor new` does (tutor/cli.py is the thin shell; `tutor check` is tutor.authoring.strict)."""

from pathlib import Path

from .loader import LESSON_ID
from .scaffold import scaffold


class NewLessonError(ValueError):
    """Why `tutor new` wrote nothing: a key of tutor.messages and its values, said in the learner's language."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key, self.values = key, values


def new_lesson(lesson_id: str, folder: Path = Path(".")) -> Path:
    """Write ID.md; refuses a bad id and never overwrites."""
    if not LESSON_ID.match(lesson_id):
        raise NewLessonError("new-bad-id", lesson_id=lesson_id)
    path = folder / f"{lesson_id}.md"
    try:
        with path.open("x", encoding="utf-8", newline="\n") as f:
            f.write(scaffold(lesson_id))
    except FileExistsError:
        raise NewLessonError("new-exists", path=path) from None
    except OSError as e:
        raise NewLessonError("new-cannot-write", path=path, reason=e.strerror or e) from None
    return path
