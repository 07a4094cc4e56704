"""What `tutor new` does (tutor/cli.py is the thin shell; `tutor check` is tutor.authoring.strict)."""

from pathlib import Path

from .loader import LESSON_ID
from .scaffold import scaffold


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
