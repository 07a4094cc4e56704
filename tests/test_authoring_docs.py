"""docs/authoring.md's own loop, on a fresh folder: its commands in order (tutor new → the edit it
describes → tutor check --strict → tutor preview, opened headless → tutor answers --format md)."""

import asyncio
import re
import shlex
from pathlib import Path

from cli_runner import CliRunner

from tutor.app.preview import PreviewApp, PreviewScreen
from tutor.cli import main

DOCS = Path(__file__).parent.parent / "docs" / "authoring.md"


def the_loop() -> list[list[str]]:
    """The commands of the docs' first console block."""
    block = re.search(r"```console\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S).group(1)
    return [shlex.split(line[2:]) for line in block.splitlines() if line.startswith("$ tutor ")]


def the_hint_line() -> str:
    """The line the docs tell the author to add under each prompt without a hint."""
    # inside a list item of the docs: three spaces of the item's indent come first
    return re.search(r"```yaml\n   (    hints: .*)\n", DOCS.read_text(encoding="utf-8")).group(1)


def add_hints(source: str) -> str:
    """The docs' edit: under the prompt of each problem that has no hints, the docs' hint line."""
    front, body = source.split("\n---\n", 1)
    head, *problems = re.split(r"(?m)^(?=  - id:)", front)
    for i, problem in enumerate(problems):
        if "\n    hints:" not in problem:
            problems[i] = re.sub(r"(?m)^(    prompt: .*)$", lambda m: m.group(1) + "\n" + the_hint_line(), problem)
    return head + "".join(problems) + "\n---\n" + body


async def preview_opens(path: Path) -> str:
    app = PreviewApp(path, watch=True, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        for _ in range(100):
            if isinstance(app.screen, PreviewScreen):
                break
            await pilot.pause(0.02)
        await pilot.pause()
        return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


def test_the_docs_loop_on_a_fresh_folder(tmp_path, monkeypatch):
    runner = CliRunner()
    new, check, preview, answers = the_loop()
    assert [c[0] for c in (new, check, preview, answers)] == ["tutor"] * 4
    monkeypatch.chdir(tmp_path)  # the docs' commands run in a fresh folder
    assert runner.invoke(main, new[1:]).exit_code == 0
    lesson = Path(new[2] + ".md")
    assert lesson.is_file()

    first = runner.invoke(main, check[1:])
    assert first.exit_code == 1 and "lint[few-hints]" in first.output  # as the docs say

    lesson.write_text(add_hints(lesson.read_text(encoding="utf-8")), encoding="utf-8")
    second = runner.invoke(main, check[1:])
    assert second.exit_code == 0, second.output
    assert second.output.strip() == "1 lesson, 5 problems, 0 errors, 0 lints"  # the docs' own line

    assert preview[1:3] == ["preview", "--watch"]
    shown = asyncio.run(preview_opens(Path(preview[-1]).resolve()))
    assert "A new lesson" in shown and "preview" in shown

    sheet = runner.invoke(main, answers[1:])
    assert sheet.exit_code == 0 and sheet.output.startswith("# ")


def test_new_and_its_scaffold_name_the_docs_loop(tmp_path, monkeypatch):
    new, check, preview, _ = the_loop()
    monkeypatch.chdir(tmp_path)
    said = CliRunner().invoke(main, new[1:]).output
    header = Path(new[2] + ".md").read_text(encoding="utf-8").split("\nid:")[0]
    for command in (shlex.join(check), shlex.join(preview)):
        assert command in said and command in header
