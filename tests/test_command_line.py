"""The `tutor` command line itself (argparse): answers that start with '-', wrong arguments, help."""

import os

from cli_runner import CliRunner

from tutor.cli import main
from tutor.lessons import bundled_lessons_dir
from tutor.lessons import load_lesson

APPLES = str(next(bundled_lessons_dir().glob("*apple-backward.md")))


def run(*args, env=None):
    return CliRunner(env={"TUTOR_LANG": "en", **(env or {})}).invoke(main, list(args))


def test_an_answer_may_start_with_a_minus():
    negative = run("grade", "--json", APPLES, "d-apple-price", "-2.2")
    assert negative.exit_code == 1 and '"correct": false' in negative.stdout
    word = run("grade", APPLES, "d-apple-price", "-y")  # not a number: refused as input, not as an option
    assert word.exit_code == 2 and "'y'" in word.stderr and "unrecognized" not in word.stderr
    expected = load_lesson(APPLES).instance().answer("d-apple-price")
    right = run("grade", "--json", APPLES, "d-apple-price", "--", str(float(expected)))
    assert right.exit_code == 0 and '"correct": true' in right.stdout


def test_wrong_arguments_say_which_and_exit_2():
    unknown = run("grade", APPLES, "d-apple-price", "2.2", "--jsn")
    assert unknown.exit_code == 2 and "unrecognized arguments: --jsn" in unknown.stderr
    missing = run("grade", APPLES, "d-apple-price")
    assert missing.exit_code == 2 and "required: ANSWER" in missing.stderr
    assert "usage: tutor grade" in missing.stderr and "Traceback" not in missing.output
    choice = run("answers", APPLES, "--format", "pdf")
    assert choice.exit_code == 2 and "--format" in choice.stderr and "'pdf'" in choice.stderr
    count = run("quiz", "--plain", "--count", "0")
    assert count.exit_code == 2 and "--count" in count.stderr


def test_a_lessons_folder_that_is_not_there_is_refused_from_the_flag_or_the_environment(tmp_path):
    flag = run("check", "--lessons", str(tmp_path / "nowhere"))
    assert flag.exit_code == 2 and "folder" in flag.stderr and "nowhere" in flag.stderr
    env = run("check", env={"TUTOR_LESSONS": str(tmp_path / "nowhere")})
    assert env.exit_code == 2 and "--lessons" in env.stderr and "nowhere" in env.stderr
    (tmp_path / "file.md").write_text("x")
    assert run("check", "--lessons", str(tmp_path / "file.md")).exit_code == 2


def test_help_of_a_command_names_its_arguments_and_options():
    result = run("grade", "--help")
    assert result.exit_code == 0
    for part in ("PATH PROBLEM ANSWER", "--json", "--seed", "--lang", "--lessons", "Grade one ANSWER"):
        assert part in result.stdout, part
    roster = run("class", "add", "--help")
    assert roster.exit_code == 0 and "--class DIR" in roster.stdout and "TUTOR_CLASS" in roster.stdout


def test_ascii_follows_its_environment_variable(tmp_path):
    drawn = run("show", APPLES, env={"TUTOR_ASCII": "1"}).stdout
    assert drawn.strip() and drawn.isascii()
    assert not run("show", APPLES, env={"TUTOR_ASCII": "0"}).stdout.isascii()


def test_a_command_group_alone_lists_its_commands():
    alone = run()
    assert alone.exit_code == 2 and "grade" in alone.stdout and "serve" in alone.stdout
    roster = run("class")
    assert roster.exit_code == 2 and all(name in roster.stdout for name in ("add", "list", "remove", "links"))
    unknown = run("grdae")
    assert unknown.exit_code == 2 and "invalid choice: 'grdae'" in unknown.stderr and "'grade'" in unknown.stderr


def test_a_reader_that_stops_early_ends_the_output_quietly():
    """`tutor check | head -0`: a reader that closed the pipe before anything was written. The output is
    dropped, with no traceback, whatever the command, its output written as it comes or buffered."""
    import subprocess
    import sys

    for command in (["check"], ["answers", APPLES], ["show", APPLES, "--backward"]):
        process = subprocess.Popen([sys.executable, "-c", "from tutor.cli import main; main()", *command],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                   env={**os.environ, "TUTOR_LANG": "en", "PYTHONUNBUFFERED": ""})
        process.stdout.close()  # the only reader: the command's first write finds the pipe closed
        stderr = process.stderr.read()
        assert process.wait(timeout=60) == 1 and stderr == "", (command, stderr[-300:])
