"""`tutor show`: colour only in a terminal without NO_COLOR, plain text otherwise, and clear refusals."""

import os
import re
import subprocess
import sys
from pathlib import Path

from cli_runner import CliRunner

from tutor.cli import main
from tutor.lessons import bundled_lessons_dir

ROOT = Path(__file__).resolve().parents[1]
APPLE = str(bundled_lessons_dir() / "07-apple-backward.md")
ESCAPE = re.compile(r"\x1b\[[0-9;]*m")


def show(*args: str):
    return CliRunner().invoke(main, ["show", *args])


def in_terminal(*args: str, **env: str) -> str:
    """`tutor show` with its stdout on a pseudo-terminal, as a person runs it; what the terminal received."""
    main, child = os.openpty()
    environment = {key: value for key, value in os.environ.items() if key != "NO_COLOR"} | {"TERM": "xterm-256color"}
    command = [sys.executable, "-c", "from tutor.cli import main; main()", "show", *args]
    subprocess.run(command, stdout=child, stderr=subprocess.DEVNULL, env=environment | env, timeout=60, check=True)
    os.close(child)
    received = b""
    while True:
        try:
            chunk = os.read(main, 65536)
        except OSError:  # Linux: the terminal's other end is closed and everything was read
            break
        if not chunk:
            break
        received += chunk
    os.close(main)
    return received.decode("utf-8").replace("\r\n", "\n")


def test_piped_output_is_the_drawing_as_plain_text():
    result = show(APPLE, "--backward")
    assert result.exit_code == 0
    assert not ESCAPE.search(result.output)
    assert result.output.splitlines()[0] == "[apple]"
    assert "사과 가격 ───▶(×)" in result.output


def test_a_terminal_gets_colour_unless_no_color_is_set():
    coloured = in_terminal(APPLE, "--backward")
    assert ESCAPE.search(coloured)
    plain = show(APPLE, "--backward").output
    assert ESCAPE.sub("", coloured).splitlines() == plain.splitlines()  # the same drawing, only coloured
    assert in_terminal(APPLE, "--backward", NO_COLOR="1") == plain


def test_the_readme_drawing_is_what_tutor_show_draws():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "tutor show tutor/course/07-apple-backward.md --backward"
    drawing = re.search(re.escape(command) + r".*?```\n(.*?)```", readme, re.S).group(1)
    assert show(APPLE, "--backward").output == "[apple]\n" + drawing


def test_ascii_output_has_no_other_characters_than_the_labels():
    from tutor.lessons import load_lesson, text

    checked = 0
    for path in sorted(bundled_lessons_dir().glob("*.md")):
        lesson = load_lesson(path)
        if not lesson.graphs:
            continue
        output = show(str(path), "--backward", "--ascii", "--lang", "en").output
        labels = {text(label, "en") for graph in lesson.graphs.values() for label in graph.labels.values()}
        for label in sorted(labels, key=len, reverse=True):  # a label may begin with a shorter one
            output = output.replace(label, "")
        assert output.isascii(), path.name
        checked += 1
    assert checked >= 10


def test_one_graph_by_name_and_a_clear_refusal_for_an_unknown_one():
    forward = show(APPLE, "--graph", "apple").output
    assert "220" in forward and "2.2" not in forward  # forward values only, without --backward
    result = show(APPLE, "--graph", "orange")
    assert result.exit_code == 1
    assert result.output == f"{APPLE}: no graph named 'orange' (this lesson has: apple)\n"


def test_a_lesson_without_graphs_says_so():
    path = str(Path(__file__).parent / "lessons" / "backprop-choice.md")  # one choice problem, no graph
    result = show(path)
    assert result.exit_code == 1
    assert result.output == f"{path}: this lesson has no graphs\n"
