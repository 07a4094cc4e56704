"""Hostile inputs of NOTES.md that no other test shows (SECURITY.md's table names the test for each).

A test marked ``xfail(strict=True)`` holds a defect found while writing these tests, in code this
suite does not own. It fails today and will pass (and so fail as XPASS) the day it is fixed; then
remove the mark."""

import asyncio
import os
import re
import unicodedata
from pathlib import Path

import pytest
from cli_runner import CliRunner

from tutor.cli import main
from tutor.grading import Verdict, grade
from tutor.lessons import LessonError, load_lesson, load_lessons, safe_yaml

from test_fuzz import hang_guard

TESTS = Path(__file__).parent
HOSTILE = TESTS / "hostile"
APPLE = TESTS / "lessons" / "apple.md"
CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


# ---- lesson files ---------------------------------------------------------------------------------

@pytest.mark.parametrize("character", ["\x00", "\x1b", "\x07", "\x9b", "\x85", "\u202e", "\u2066"],
                         ids=["NUL", "ESC", "BEL", "C1-CSI", "NEL", "RLO", "LRI"])
def test_raw_control_characters_in_a_lesson_file_are_refused_where_they_are(tmp_path, character):
    lines = APPLE.read_text(encoding="utf-8").split("\n")
    number = next(i for i, line in enumerate(lines) if line.startswith("title:"))
    lines[number] = lines[number][:8] + character + lines[number][8:]
    path = tmp_path / "apple.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    issue = caught.value.issues[0]
    assert (issue.line, issue.col) == (number + 1, 9)
    assert f"U+{ord(character):04X}" in issue.message


# Each escape as the YAML text that writes it, and the character it becomes.
YAML_ESCAPES = {"ESC": ("\\e]52;c;SE9TVElMRQ==\\a", "\x1b"), "ESC-x": ("\\x1b[2J", "\x1b"), "NUL": ("\\0", "\x00"),
                "BEL": ("\\a", "\x07"), "CR": ("\\r", "\r"), "DEL": ("\\x7f", "\x7f"), "C1-CSI": ("\\x9b31m", "\x9b"),
                "NEL": ("\\N", "\x85"), "RLO": ("\\u202e", "\u202e"), "LRE": ("\\u202a", "\u202a"),
                "LRI": ("\\u2066", "\u2066"), "PDI": ("\\U00002069", "\u2069")}
# Text of tests/lessons/apple.md, and what replaces it: one double-quoted scalar with the escape at ESCAPE.
PLACES = {"title": ("{ko: 사과 쇼핑의 역전파,", '{ko: "사과 ESCAPE",'), "key": ("  shop:", '  "shopESCAPE":'),
          "label": ("{ko: 사과 가격,", '{ko: "사과 가격 ESCAPE",'), "mistake": ("{ko: 그건 순전파 값이에요.,", '{ko: "그건 ESCAPE",'),
          "prompt": ("prompt: 사과 개수에 대한 기울기", 'prompt: "ESCAPE 기울기"'),
          "list item": ("apple_price: [100, 150, 200]", 'apple_price: [100, "ESCAPE", 200]')}


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("escape", YAML_ESCAPES)
def test_control_characters_written_as_yaml_escapes_are_refused_at_their_scalar(tmp_path, escape, place):
    written, character = YAML_ESCAPES[escape]
    old, new = PLACES[place]
    source = APPLE.read_text(encoding="utf-8")
    assert source.count(old) == 1
    quote = source.index(old) + new.index('"')
    source = source.replace(old, new.replace("ESCAPE", written))
    path = tmp_path / "apple.md"
    path.write_text(source, encoding="utf-8")
    with pytest.raises(LessonError) as caught:
        load_lesson(path)
    issue = caught.value.issues[0]
    assert (issue.line, issue.col) == (source.count("\n", 0, quote) + 1, quote - source.rfind("\n", 0, quote))
    assert f"control character U+{ord(character):04X} is not allowed in a lesson" in issue.message
    assert repr(character)[1:-1] in issue.message  # quoted escaped,
    assert CONTROL.findall(str(caught.value)) == []  # never as the character itself


def test_tab_and_newline_escapes_are_text(tmp_path):
    source = APPLE.read_text(encoding="utf-8")
    path = tmp_path / "apple.md"
    path.write_text(source.replace("{ko: 사과 쇼핑의 역전파,", '{ko: "사과\\t쇼핑\\n역전파",'), encoding="utf-8")
    assert load_lesson(path).title.ko == "사과\t쇼핑\n역전파"


def test_a_tag_with_an_escape_is_quoted_escaped(tmp_path):
    """libyaml decodes %1b in a tag; the refusal quotes it as \\x1b."""
    path = tmp_path / "tagged.md"
    path.write_text("---\nid: tagged\ntitle: !<tag:%1b[2J> x\n---\n", encoding="utf-8")
    with pytest.raises(LessonError, match=r"tags \(tag:\\x1b\[2J\) are not allowed") as caught:
        load_lesson(path)
    assert CONTROL.findall(str(caught.value)) == []


@pytest.mark.parametrize("old, new", [
    ("id: apple", "id: app\u200ble"),  # the lesson id
    ("id: d-price", "id: d\u200d-price"),  # a problem id
    ("apple_price:", "apple\u200b_price:"),  # a graph input
], ids=["lesson-id", "problem-id", "input-name"])
def test_ids_with_zero_width_characters_are_refused(tmp_path, old, new):
    source = APPLE.read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / "apple.md"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(LessonError, match="must be|not a valid name"):
        load_lesson(path)


def test_links_in_lesson_text_are_never_opened(tmp_path, monkeypatch):
    """A click on a Markdown link posts LinkClicked; with open_links=False nothing acts on it.
    The loader refuses the hostile lesson for its escapes; its check is switched off here so that the
    app gets all of its text, as if the lesson had got past the loader."""
    import webbrowser

    from textual.widgets import Markdown

    from tutor.app.main import TutorApp
    from tutor.app.screens.lesson import LessonScreen
    from tutor.progress import Store

    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda *args, **kwargs: opened.append(args))
    monkeypatch.setattr(TutorApp, "open_url", lambda self, url, **kwargs: opened.append(url))
    monkeypatch.setattr(safe_yaml, "UNSAFE_CHARACTER", re.compile("(?!)"))  # matches nothing

    async def run():
        app = TutorApp(HOSTILE, store=Store.open(tmp_path / "p.db"), lang="en")
        async with app.run_test(size=(100, 40)) as pilot:
            while not app.lessons_loaded:
                await pilot.pause(0.02)
            app.screen.open_lesson(app.lessons[0])
            while not (isinstance(app.screen, LessonScreen) and app.screen.query(Markdown)):
                await pilot.pause(0.02)
            for markdown in app.screen.query(Markdown):
                for href in ("file:///etc/passwd", "javascript:alert(1)", "https://example.com"):
                    markdown.post_message(Markdown.LinkClicked(markdown, href))
            await pilot.pause(0.2)
            assert app.is_running and isinstance(app.screen, LessonScreen)
            return len(app.screen.query(Markdown))

    assert asyncio.run(run()) >= 1
    assert opened == []


# ---- files that are not lesson files, and sizes that cost too much ---------------------------------

def lesson_with(graph: str, answer: str) -> str:
    """A lesson whose one graph g has input x, the nodes ``graph`` (YAML lines) and one problem."""
    return (f"---\nid: big\ntitle: t\ngraphs:\n  g:\n    inputs: {{x: 2}}\n    nodes:\n{graph}"
            f"problems: [{{id: p, answer: '{answer}'}}]\n---\n{{{{blank p}}}}\n")


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "terminal"])
def test_a_lesson_that_is_a_device_is_refused_without_reading_it(tmp_path, device):
    if device == "terminal":  # one of its own: nobody types into it, so a read would wait for ever
        controller, terminal = os.openpty()
        device = os.ttyname(terminal)
    (tmp_path / "device.md").symlink_to(device)
    with hang_guard(5), pytest.raises(LessonError, match="1:1: not a regular file"):
        load_lesson(tmp_path / "device.md")
    if device.startswith("/dev/pts"):
        os.close(controller)
        os.close(terminal)


def test_a_lesson_that_is_a_fifo_is_refused_not_waited_for(tmp_path):
    (tmp_path / "apple.md").write_bytes(APPLE.read_bytes())
    os.mkfifo(tmp_path / "pipe.md")
    with hang_guard(3):
        lessons, broken = load_lessons(tmp_path)
    assert [lesson.id for lesson in lessons] == ["apple"]
    assert [e.path for e in broken] == [str(tmp_path / "pipe.md")]
    assert "pipe.md:1:1: not a regular file" in str(broken[0])


@pytest.mark.parametrize("hostile_first", [True, False], ids=["named-in-message", "reported-file"])
def test_a_file_name_with_an_escape_is_quoted_escaped_in_a_duplicate_id_message(tmp_path, hostile_first):
    hostile = "a\x1b]52;c;SGk=\x07.md" if hostile_first else "z\x1b]52;c;SGk=\x07.md"
    for name in (hostile, "apple.md"):
        (tmp_path / name).write_bytes(APPLE.read_bytes())
    lessons, broken = load_lessons(tmp_path)
    assert len(lessons) == 1 and "already used by" in str(broken[0])
    assert "\\x1b]52;c;SGk=\\x07.md" in str(broken[0])  # quoted escaped,
    assert CONTROL.findall(str(broken[0])) == []  # never as the characters themselves


def test_a_file_name_with_an_escape_is_quoted_escaped_in_a_requires_message(tmp_path):
    source = APPLE.read_text(encoding="utf-8")
    (tmp_path / "a.md").write_text(source.replace("id: apple", "id: apple\nrequires: [later]"), encoding="utf-8")
    (tmp_path / "z\x1b[2J.md").write_text(source.replace("id: apple", "id: later"), encoding="utf-8")
    lessons, broken = load_lessons(tmp_path)
    assert "requires 'later', which comes after this lesson (z\\x1b[2J.md;" in str(broken[0])
    assert CONTROL.findall(str(broken[0])) == []


@pytest.mark.parametrize("number", ["1" + "0" * 400, "1e999"], ids=["400-digits", "float-overflow"])
def test_a_too_large_number_in_an_answer_is_a_lesson_error(tmp_path, number):
    path = tmp_path / "big.md"
    path.write_text(lesson_with("      z: x * 2\n", f"2 * {number}"), encoding="utf-8")
    with pytest.raises(LessonError, match=r"big.md:9:33: answer: the number 1(0{19}|e999) is too large"):
        load_lesson(path)


def test_a_graph_of_9000_nodes_is_refused_at_once(tmp_path):
    """(9,000 nodes: 10,000 would be refused sooner, for its 20,000 values in the front matter.)"""
    chain = "      n0: x * 1.5\n" + "".join(f"      n{i}: n{i - 1} * 1.5\n" for i in range(1, 9_000))
    path = tmp_path / "big.md"
    path.write_text(lesson_with(chain, "grad(x)"), encoding="utf-8")
    with hang_guard(3), pytest.raises(LessonError, match=r"graph 'g': the lesson's graphs have more than 300 nodes in "
                                                         r"all, .* \(limit: nodes per lesson\)"):
        load_lesson(path)


def test_a_graph_of_few_names_but_over_300_nodes_inside_its_expressions_is_refused(tmp_path):
    products = "x" + " * 1.5" * 80  # 80 products and 80 constants, nested within the depth limit
    path = tmp_path / "big.md"
    path.write_text(lesson_with("".join(f"      z{i}: {products}\n" for i in range(4)), "grad(x)"), encoding="utf-8")
    with hang_guard(3), pytest.raises(LessonError, match="big.md:5:3: graph 'g': the lesson's graphs have more than 300"):
        load_lesson(path)


def test_a_node_whose_value_would_be_huge_is_refused(tmp_path):
    """The lesson's budget counts it from shapes before anything runs (the engine's own per-value limit,
    1,000,000, is the last line behind it: test_engine_errors.py)."""
    column = "[" + ", ".join(["[1]"] * 2000) + "]"
    path = tmp_path / "big.md"
    path.write_text(lesson_with("      z: sum(x @ transpose(x))\n", "value(z)").replace("{x: 2}", f"{{x: {column}}}"),
                    encoding="utf-8")
    with hang_guard(3), pytest.raises(LessonError, match=r"big.md:5:3: graph 'g' would hold 12,014,002 numbers forward "
                                                         r"and backward; at most 200,000 \(limit: numbers per lesson\)"):
        load_lesson(path)


# ---- course.yaml, the pack's own file -------------------------------------------------------------

COURSE_YAMLS = {
    "alias": ("title: &a {ko: x, en: y}\ndescription: *a\n", "1:8: anchors (&a) are not allowed"),
    "tag": ("title: !!python/object/apply:os.system [touch PWNED]\n", "1:8: tags (!!python/object/apply:os.system)"),
    "escape": ('title: {ko: "\\e]52;c;SGk=\\a", en: x}\n', "1:13: control character U+001B"),
    "huge": ("description: " + "a" * 1_100_000 + "\n", "1:1: course.yaml is larger than 1 MB"),
    "nesting": ("title: " + "[" * 100_000 + "\n", "exceeded maximum nesting depth"),
    "dotdot": ("lessons: [../../etc/passwd, apple]\n", "1:11: lessons: '../../etc/passwd' is not a lesson"),
}


@pytest.mark.parametrize("name", COURSE_YAMLS)
def test_a_hostile_course_yaml_is_refused_and_the_lessons_still_load(tmp_path, name, monkeypatch):
    from tutor.authoring.pack import load_pack

    text, expected = COURSE_YAMLS[name]
    (tmp_path / "apple.md").write_bytes(APPLE.read_bytes())
    (tmp_path / "course.yaml").write_text(text, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    with hang_guard(5):
        pack = load_pack(tmp_path)
    assert [lesson.id for lesson in pack.lessons] == ["apple"]
    assert expected in str(pack.broken[0]) and CONTROL.findall(str(pack.broken[0])) == []
    assert not (tmp_path / "PWNED").exists()


def test_a_course_yaml_listing_1000_lessons_names_each_unknown_one(tmp_path):
    from tutor.authoring.pack import load_pack

    (tmp_path / "apple.md").write_bytes(APPLE.read_bytes())
    (tmp_path / "course.yaml").write_text("lessons: [" + ", ".join(f"l{i}" for i in range(1000)) + ", apple]\n")
    with hang_guard(5):
        pack = load_pack(tmp_path)
    assert [lesson.id for lesson in pack.lessons] == ["apple"]
    assert len(pack.broken[0].issues) == 1000


@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "symlink-loop"])
def test_a_course_yaml_that_is_not_a_file_is_not_read(tmp_path, kind):
    from tutor.authoring.pack import load_pack

    (tmp_path / "apple.md").write_bytes(APPLE.read_bytes())
    course = tmp_path / "course.yaml"
    {"fifo": lambda: os.mkfifo(course), "dev-zero": lambda: course.symlink_to("/dev/zero"),
     "symlink-loop": lambda: course.symlink_to(course)}[kind]()
    with hang_guard(3):
        pack = load_pack(tmp_path)
    assert [lesson.id for lesson in pack.lessons] == ["apple"] and pack.broken == []


def test_a_pack_folder_that_is_a_symlink_loop_is_an_error(tmp_path):
    (tmp_path / "loop").symlink_to(tmp_path / "loop")
    with hang_guard(3):
        output = run_cli(["check", str(tmp_path / "loop")], tmp_path)
    assert f"{tmp_path / 'loop'}:1:1:" in output


# ---- the command line on a hostile pack ------------------------------------------------------------

def run_cli(args: list[str], tmp_path, input: str | None = None) -> str:
    """The command's stdout and stderr (``output`` holds both)."""
    result = CliRunner().invoke(main, args, input=input, env={"TUTOR_DATA_DIR": str(tmp_path)})
    assert "Traceback" not in result.output
    return result.output


# Where the first YAML escape of each hostile file is: the opening quote of its scalar.
HOSTILE_REFUSED = f"{HOSTILE / '01-hostile.md'}:9:7: control character U+001B is not allowed in a lesson"
BROKEN_REFUSED = f"{HOSTILE / '02-broken.md'}:5:1: control character U+001B is not allowed in a lesson"


@pytest.mark.parametrize("args, input, refusals", [
    (["show", str(HOSTILE / "01-hostile.md"), "--backward"], None, [HOSTILE_REFUSED]),
    (["check", str(HOSTILE / "02-broken.md")], None, [BROKEN_REFUSED]),
    (["answers", str(HOSTILE / "01-hostile.md")], None, [HOSTILE_REFUSED]),
    (["grade", str(HOSTILE / "01-hostile.md"), "dz-dx", "2"], None, [HOSTILE_REFUSED]),
    (["quiz", "--plain", "--all", "--lessons", str(HOSTILE), "--lang", "en"], "2\n:hint\n3\n",
     [HOSTILE_REFUSED, BROKEN_REFUSED]),
], ids=["show", "check", "answers", "grade", "quiz-plain"])
def test_commands_print_no_escape_sequence_from_a_lesson(tmp_path, args, input, refusals):
    """The loader refuses a lesson whose text carries escapes, so no command prints them; the refusal
    quotes the hostile text escaped (``\\x1b``)."""
    if args[0] == "quiz":
        args = [*args, "--db", str(tmp_path / "q.db")]
    output = run_cli(args, tmp_path, input)
    for refusal in refusals:
        assert refusal in output
    assert "\\x1b]52;c;SE9TVElMRQ==\\x07" in output  # the payload, shown escaped
    assert CONTROL.findall(output) == []


# ---- learners' answers -----------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["²", "①", "⑨", "٣"])
def test_a_digit_like_character_as_a_choice_answer_gets_a_verdict(text):
    """Read as the digit it stands for (① is how a Korean test numbers its options), or refused."""
    inst = load_lesson(TESTS / "lessons" / "grading" / "apple.md").instance()
    problem = inst.lesson.problem("which-rule")
    verdict = grade(inst, "which-rule", text)
    number = int(unicodedata.numeric(text))
    assert isinstance(verdict, Verdict) and verdict.invalid == (number > len(problem.options))
    if not verdict.invalid:
        assert verdict.correct == (problem.options[number - 1].id == problem.answer)
