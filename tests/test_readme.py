"""The README's quick start is what CI runs: keep the two in step."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_quick_start_is_two_commands_install_and_start_then_test():
    install_and_start, install_and_test = quick_start_commands()
    assert install_and_start.endswith("tutor start")
    assert "pytest" in install_and_test and "[test]" in install_and_test


def test_ci_runs_the_readmes_own_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    test_command = quick_start_commands()[1]
    assert test_command in ci


def test_python_dash_m_tutor_is_the_tutor_command():
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "tutor", "check", str(ROOT / "tutor" / "course")],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0 and " 0 errors" in result.stdout


def test_the_course_table_lists_every_lesson_in_the_course_order():
    from tutor.lessons import bundled_lessons_dir, load_lessons

    lessons, _ = load_lessons(bundled_lessons_dir())
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (\d+) \| ([^|]+) \| [^|]+ \|$", readme, flags=re.MULTILINE)
    assert [(int(number), title.strip()) for number, title in rows] == \
        [(i, lesson.title.ko) for i, lesson in enumerate(lessons, 1)]


def class_quick_start_commands() -> list[str]:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Quick start", 1)[1].split("\n## ", 1)[0].split("### ", 1)[1]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.strip()]


def test_the_class_quick_start_is_two_commands_install_with_the_extra_then_serve():
    import shlex

    from cli_runner import CliRunner

    from tutor.cli import main

    install, serve = class_quick_start_commands()
    assert "pip install '.[class]'" in install and serve.startswith("tutor serve ")
    tutor_commands = [part.strip() for part in install.split("&&") if part.strip().startswith("tutor ")] + [serve]
    assert [command.split()[1] for command in tutor_commands] == ["class", "serve"]
    for command in tutor_commands:  # every option they give exists (--help answers only after parsing them)
        result = CliRunner().invoke(main, shlex.split(command)[1:] + ["--help"])
        assert result.exit_code == 0, (command, result.output)
