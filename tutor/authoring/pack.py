"""Lesson packs: any folder of lesson files is a course. An optional ``course.yaml`` in it gives the
pack a title, a description and the lessons' order:

    title: {ko: 역전파 실습, en: Backprop lab}
    description: {ko: ..., en: ...}
    lessons: [apple-backward, fruit-backward]   # lesson ids in order; the rest follow by file name

``course.yaml`` is untrusted like a lesson: it is read by the lessons' safe YAML reader (no tags, no
aliases, YAML 1.2 numbers) and shaped by a msgspec struct that refuses unknown keys.
"""

import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path

import msgspec

from tutor.engine.dsl import did_you_mean
from tutor.lessons import Issue, Lesson, LessonError, bundled_lessons_dir, load_lessons
from tutor.lessons.loader import FOLLOW_LINKS, LESSON_ID, LINK_OUT, MAX_FILE_BYTES, leaves_the_pack
from tutor.lessons.model import Text
from tutor.lessons.safe_yaml import YamlError
from tutor.lessons.safe_yaml import escaped_name, read_yaml
from tutor.render.budget import drawing_error

COURSE_FILE = "course.yaml"


class Course(msgspec.Struct, forbid_unknown_fields=True):
    title: Text | None = None
    description: Text | None = None
    lessons: list[str] = []  # lesson ids, in the order the course takes them


@dataclass
class Pack:
    folder: Path
    id: str  # the progress store's name for it (pack_name), as the app and the quiz use
    course: Course = field(default_factory=Course)
    lessons: list[Lesson] = field(default_factory=list)
    broken: list[LessonError] = field(default_factory=list)  # broken lessons, and a broken course.yaml


def lessons_dir(given: str | None) -> Path:
    """The lessons folder a command reads: ``--lessons DIR`` or ``TUTOR_LESSONS`` (tutor/cli.py reads both
    into ``given``), else the bundled course."""
    return Path(given) if given else bundled_lessons_dir()


def pack_name(folder) -> str:
    """The progress store's name for a lesson folder: "course" for the bundled one, else its full path."""
    folder = Path(folder).resolve()
    return "course" if folder == bundled_lessons_dir().resolve() else str(folder)


def find_lesson(given: str, folder: str | None) -> Path:
    """A lesson file named on the command line: a path, else the id of a lesson in the lessons folder
    (``tutor answers apple-backward --lessons DIR``). Raises ValueError with a message."""
    path = Path(given)
    if path.is_file():
        return path
    pack = lessons_dir(folder)
    if LESSON_ID.match(given):
        for candidate in sorted(pack.glob("*.md")):
            if candidate.stem == given or re.fullmatch(rf"[0-9]+-{re.escape(given)}", candidate.stem):
                return candidate
        known = [p.stem for p in sorted(pack.glob("*.md"))]
        raise ValueError(f"{given}: no such file, nor a lesson of {pack}{did_you_mean(given, known)}")
    raise ValueError(f"{given}: no such file")


def read_course(folder: Path) -> tuple[Course, list[tuple[int, int]]]:
    """``folder/course.yaml`` (the defaults when there is none) and the line:col of each of its
    ``lessons`` entries. Raises LessonError (file:line:col)."""
    path = Path(folder) / COURSE_FILE
    if not path.is_file():
        return Course(), []
    shown = escaped_name(path)
    if leaves_the_pack(path):
        raise LessonError([Issue(shown, 1, 1, LINK_OUT)])
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise LessonError([Issue(shown, 1, 1, "course.yaml is larger than 1 MB")])
        source = path.read_bytes().decode("utf-8-sig")
        doc = read_yaml(source.replace("\r\n", "\n"))
    except UnicodeDecodeError as e:
        raise LessonError([Issue(shown, 1, 1, f"not valid UTF-8 (byte {e.start}); save the file as UTF-8")]) from None
    except YamlError as e:
        raise LessonError([Issue(shown, e.line + 1, e.column + 1, str(e))]) from None
    except (OSError, RecursionError) as e:
        raise LessonError([Issue(shown, 1, 1, f"cannot read course.yaml: {e}")]) from None
    if doc.data is None:
        return Course(), []
    try:
        course = msgspec.convert(doc.data, Course)
    except msgspec.ValidationError as e:
        message, _, where = str(e).partition(" - at `")
        keys = tuple(name or int(index) for name, index in re.findall(r"\.([^.\[`]+)|\[(\d+)\]", where))
        mark = next((doc.values.get(keys[:n]) or doc.keys.get(keys[:n]) for n in range(len(keys), -1, -1)
                     if doc.values.get(keys[:n]) or doc.keys.get(keys[:n])), None)
        line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        fields = [f.encode_name for f in msgspec.structs.fields(Course)]
        unknown = re.match(r"Object contains unknown field `(.*)`$", message)
        if unknown:
            mark = doc.keys.get((unknown.group(1),))
            line, col = (mark.line + 1, mark.column + 1) if mark else (line, col)
            message = f"unknown key '{unknown.group(1)}' in course.yaml{did_you_mean(unknown.group(1), fields)}"
        raise LessonError([Issue(shown, line, col, message[:1].lower() + message[1:])]) from None
    marks = [doc.values[("lessons", i)] for i in range(len(course.lessons))]
    return course, [(mark.line + 1, mark.column + 1) for mark in marks]


# A pack read ahead by a process that forks (the class server's zygote), with what it was read from: each
# learner's app starts with it, and reads the lessons again only if one of their files has changed since.
_preloaded: dict[Path, tuple[tuple, Pack]] = {}


def preload_pack(folder) -> Pack:
    folder = Path(folder).absolute()
    _preloaded[folder] = (_sources(folder), load_pack(folder))
    return _preloaded[folder][1]


def _sources(folder: Path) -> tuple:
    """What reading a folder's pack depends on: the bytes of its lesson files and course.yaml (a file over
    the size limit, or a link out of the pack, by its status: neither is read), and whether links out
    are followed."""
    files = []
    for path in sorted(folder.glob("*.md")) + [folder / COURSE_FILE]:
        try:
            status = path.stat()
            if leaves_the_pack(path) or status.st_size > MAX_FILE_BYTES:
                files.append((path.name, status.st_ino, status.st_size, status.st_mtime_ns))
            else:
                files.append((path.name, path.read_bytes()))
        except OSError:  # not there, or a link to nothing
            files.append((path.name, None))
    return bool(os.environ.get(FOLLOW_LINKS)), tuple(files)


def load_pack(folder, check_variants: bool = False, parallel: bool = False) -> Pack:
    """Every lesson of a folder (checked together by ``load_lessons``: unique ids, ``requires`` naming a
    lesson whose file sorts earlier), in the course's order: course.yaml's ``lessons`` first, then the
    rest by file name. A broken course.yaml is listed with the broken lessons, and so is a lesson with a
    drawing over its budget. ``check_variants``, ``parallel``: as in ``load_lessons`` (`tutor check`)."""
    folder = Path(folder)
    preloaded = _preloaded.get(folder.absolute())
    if not check_variants and preloaded and preloaded[0] == _sources(folder.absolute()):
        pack = preloaded[1]
        return replace(pack, folder=folder, id=pack_name(folder), lessons=list(pack.lessons),
                       broken=list(pack.broken))
    pack = Pack(folder, pack_name(folder))
    positions = []
    try:
        pack.course, positions = read_course(folder)
    except LessonError as e:
        pack.broken.append(e)
    lessons, broken = load_lessons(folder, check_variants, then=drawing_error, parallel=parallel)
    too_large = {lesson.id: error for lesson in lessons if (error := drawing_error(lesson))}
    lessons = [lesson for lesson in lessons if lesson.id not in too_large]
    broken += too_large.values()
    rank = {lesson_id: i for i, lesson_id in enumerate(pack.course.lessons)}
    pack.lessons = sorted(lessons, key=lambda lesson: rank.get(lesson.id, len(rank)))  # stable: file order
    known = [lesson.id for lesson in lessons]
    unknown = [Issue(escaped_name(folder / COURSE_FILE), *positions[i],
                     f"lessons: '{lesson_id}' is not a lesson in {escaped_name(folder)}{did_you_mean(lesson_id, known)}")
               for i, lesson_id in enumerate(pack.course.lessons) if lesson_id not in known]
    pack.broken += [LessonError(unknown)] if unknown else []
    pack.broken += broken
    return pack
