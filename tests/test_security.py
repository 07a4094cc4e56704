"""Hostile inputs of NOTES.md that no other test shows (SECURITY.md's table names the test for each).

Two kinds of test here are marked ``xfail(strict=True)``: defects found while writing these tests,
in code this suite does not own. Each one fails today and will pass (and so fail as XPASS) the day
it is fixed; then remove the mark."""

import asyncio
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from tutor.cli import cli
from tutor.grading import Verdict, grade
from tutor.lessons import LessonError, load_lesson

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
    """A click on a Markdown link posts LinkClicked; with open_links=False nothing acts on it."""
    import webbrowser

    from textual.widgets import Markdown

    from tutor.app.main import TutorApp
    from tutor.app.screens.lesson import LessonScreen
    from tutor.progress import Store

    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda *args, **kwargs: opened.append(args))
    monkeypatch.setattr(TutorApp, "open_url", lambda self, url, **kwargs: opened.append(url))

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


# ---- the command line on a hostile pack ------------------------------------------------------------

def run_cli(args: list[str], tmp_path, input: str | None = None) -> str:
    result = CliRunner().invoke(cli, args, input=input, env={"TUTOR_DATA_DIR": str(tmp_path)})
    assert "Traceback" not in result.output
    return result.output


LEAKS = "found by this suite: the command prints lesson text without removing its escape sequences"


@pytest.mark.parametrize("args, input", [
    pytest.param(["show", str(HOSTILE / "01-hostile.md"), "--backward"], None, id="show"),
    pytest.param(["check", str(HOSTILE / "02-broken.md")], None, id="check",
                 marks=pytest.mark.xfail(strict=True, reason=LEAKS + " (a hostile key in the message)")),
    pytest.param(["answers", str(HOSTILE / "01-hostile.md")], None, id="answers",
                 marks=pytest.mark.xfail(strict=True, reason=LEAKS + " (the title)")),
    pytest.param(["grade", str(HOSTILE / "01-hostile.md"), "dz-dx", "2"], None, id="grade",
                 marks=pytest.mark.xfail(strict=True, reason=LEAKS + " (the lesson's mistake message)")),
    pytest.param(["quiz", "--plain", "--all", "--lessons", str(HOSTILE), "--lang", "en"], "2\n:hint\n3\n",
                 id="quiz-plain", marks=pytest.mark.xfail(
                     strict=True, reason=LEAKS + " (a broken lesson's message, a hint, a choice's text)")),
])
def test_commands_print_no_escape_sequence_from_a_lesson(tmp_path, args, input):
    if args[0] == "quiz":
        args = [*args, "--db", str(tmp_path / "q.db")]
    output = run_cli(args, tmp_path, input)
    assert output.strip()
    assert CONTROL.findall(output) == []


# ---- learners' answers -----------------------------------------------------------------------------

@pytest.mark.xfail(strict=True, raises=ValueError,
                   reason="found by tests/test_fuzz.py: '²'.isdigit() is True but int('²') raises, in "
                          "tutor/grading/grade.py _grade_choice")
@pytest.mark.parametrize("text", ["²", "①"])
def test_a_digit_like_character_as_a_choice_answer_gets_a_verdict(text):
    inst = load_lesson(TESTS / "lessons" / "grading" / "apple.md").instance()
    verdict = grade(inst, "which-rule", text)
    assert isinstance(verdict, Verdict) and verdict.invalid
