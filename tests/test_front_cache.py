"""Front matter kept between runs (tutor/lessons/front_cache.py): used only for the very same text read by
the same reader; anything else (an edit, another text under the same name, a damaged or foreign entry, a
newer reader) is read anew; a cache that cannot be written changes nothing; and `tutor grade` of a lesson
read before does not import PyYAML."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.lessons import LessonError, bundled_lessons_dir, front_cache, load_lesson, safe_yaml

LESSONS = Path(__file__).parent / "lessons"
APPLE = LESSONS / "apple.md"


@pytest.fixture
def cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache" / "front-matter"


def read_again(*args):
    pytest.fail("the front matter was read again")


def front_matter(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").split("\n")
    close = next(i for i in range(1, len(lines)) if lines[i].rstrip() == "---")
    return "\n".join(lines[1:close]) + "\n"


def entries(cache: Path) -> list[Path]:
    return sorted(cache.glob("*.msgpack")) if cache.exists() else []


@pytest.mark.parametrize("path", sorted(bundled_lessons_dir().glob("*.md")) + sorted(LESSONS.glob("*.md")),
                         ids=lambda path: path.name)
def test_a_cached_front_matter_is_what_reading_it_gives(cache, path):
    text = front_matter(path)
    read = safe_yaml.read_yaml(text)
    assert front_cache.read_yaml(text) == read  # read and kept
    assert len(entries(cache)) == 1
    assert front_cache.read_yaml(text) == read  # from the cache: values and every key's and value's place


def test_a_lesson_read_again_comes_from_the_cache_with_the_same_answers(cache, monkeypatch):
    first = load_lesson(APPLE)
    monkeypatch.setattr(safe_yaml, "read_yaml", read_again)
    again = load_lesson(APPLE)
    assert [(p.id, p.answer) for p in again.problems] == [(p.id, p.answer) for p in first.problems]
    assert again.graphs.keys() == first.graphs.keys()


def test_an_error_past_the_yaml_points_at_the_same_place_from_the_cache(cache, tmp_path, monkeypatch):
    lesson = tmp_path / "unknown-key.md"
    lesson.write_bytes((LESSONS / "broken" / "unknown-key.md").read_bytes())
    with pytest.raises(LessonError) as cold:
        load_lesson(lesson)
    monkeypatch.setattr(safe_yaml, "read_yaml", read_again)
    with pytest.raises(LessonError) as warm:
        load_lesson(lesson)
    assert str(warm.value) == str(cold.value)
    assert "unknown key 'anwser'" in str(warm.value)


def test_an_edited_front_matter_is_read_anew(cache, tmp_path):
    lesson = tmp_path / "apple.md"
    source = APPLE.read_text(encoding="utf-8")
    lesson.write_text(source, encoding="utf-8")
    first = load_lesson(lesson).title
    edited = source.replace(first.ko, first.ko + "!", 1) if first.ko in source else None
    assert edited, "the test needs the Korean title written out in the file"
    lesson.write_text(edited, encoding="utf-8")
    assert load_lesson(lesson).title.ko == first.ko + "!"
    assert len(entries(cache)) == 2


def test_an_entry_holding_another_text_under_the_same_name_is_not_used(cache):
    text = front_matter(APPLE)
    other = text.replace("apple", "pear")
    front_cache.read_yaml(other)
    (entry,) = entries(cache)
    same_name = cache / front_cache.entry_name(text)
    entry.rename(same_name)  # as if the two texts had the same CRC-32
    assert front_cache.read_yaml(text) == safe_yaml.read_yaml(text)
    assert front_cache.read_yaml(text).data["id"] != safe_yaml.read_yaml(other).data["id"]


@pytest.mark.parametrize("damage", [b"", b"\x00garbage", b"\x94\x01\x92\x00\x00\xa1x\xc0"],
                         ids=["empty", "garbage", "wrong-shape"])
def test_a_damaged_entry_is_read_anew_and_replaced(cache, damage):
    text = front_matter(APPLE)
    front_cache.read_yaml(text)
    (entry,) = entries(cache)
    entry.write_bytes(damage)
    assert front_cache.read_yaml(text) == safe_yaml.read_yaml(text)
    assert entry.read_bytes() != damage


def test_a_changed_reader_reads_anew(cache, monkeypatch):
    text = front_matter(APPLE)
    front_cache.read_yaml(text)
    monkeypatch.setattr(front_cache, "READER", (0, 0))  # safe_yaml.py edited since
    read = []
    monkeypatch.setattr(safe_yaml, "read_yaml", lambda text, first_line=1: read.append(text) or "new")
    assert front_cache.read_yaml(text) == "new" and read == [text]


def test_a_cache_that_cannot_be_written_changes_nothing(tmp_path, monkeypatch):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    monkeypatch.setenv("TUTOR_CACHE_DIR", str(blocked))
    lesson = load_lesson(APPLE)
    assert lesson.problems and blocked.read_text() == "not a folder"
    assert not list(tmp_path.glob(".*"))  # no half-written entry left beside it


def test_an_empty_cache_dir_setting_keeps_no_cache(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_CACHE_DIR", "")
    monkeypatch.chdir(tmp_path)
    assert front_cache.cache_folder() is None
    load_lesson(APPLE)
    assert not list(tmp_path.iterdir())


def test_the_users_cache_folder_follows_xdg(tmp_path, monkeypatch):
    if sys.platform in ("win32", "darwin"):
        pytest.skip("platformdirs decides there")
    monkeypatch.delenv("TUTOR_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert front_cache.cache_folder() == tmp_path / "xdg" / "backprop-tutor" / "front-matter"
    monkeypatch.setenv("XDG_CACHE_HOME", " ")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert front_cache.cache_folder() == tmp_path / "home" / ".cache" / "backprop-tutor" / "front-matter"


def test_only_the_newest_entries_are_kept(cache, monkeypatch):
    monkeypatch.setattr(front_cache, "MAX_ENTRIES", 3)
    texts = [f"id: lesson-{k}\n" for k in range(5)]
    for k, text in enumerate(texts):
        front_cache.read_yaml(text)
        for entry in entries(cache):  # each write a second later than the one before
            if entry.name == front_cache.entry_name(text):
                os.utime(entry, ns=(k * 10**9, k * 10**9))
    kept = {entry.name for entry in entries(cache)}
    assert kept == {front_cache.entry_name(text) for text in texts[2:]}


def test_a_value_msgpack_cannot_hold_is_not_kept(cache):
    text = "n: 123456789012345678901234567890\n"  # past 64 bits
    assert front_cache.read_yaml(text).data == {"n": 123456789012345678901234567890}
    assert entries(cache) == []


def test_grading_a_lesson_read_before_does_not_import_yaml(cache):
    lesson = str(next(bundled_lessons_dir().glob("*apple-backward.md")))
    probe = ("import sys\n"
             "from tutor.cli import main\n"
             "try: main(['grade', sys.argv[1], 'd-apple-price', '2.2'])\n"
             "except SystemExit as exit: print(exit.code, 'yaml' in sys.modules)")
    run = [subprocess.run([sys.executable, "-c", probe, lesson], capture_output=True, text=True, timeout=60,
                          env=os.environ) for _ in range(2)]
    assert [r.stdout.split()[-2:] for r in run] == [["0", "True"], ["0", "False"]], [r.stderr for r in run]
