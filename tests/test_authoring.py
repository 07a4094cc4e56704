"""`tutor check --strict` (one small lesson per lint, and a clean one), lesson packs (course.yaml,
--lessons / TUTOR_LESSONS), `tutor answers --format md`."""

import re
from pathlib import Path

import pytest
from cli_runner import CliRunner

from tutor.authoring.lints import MAX_BLOCKS, markdown_blocks
from tutor.cli import main
from tutor.lessons import bundled_lessons_dir, load_lesson

# A lesson with no lint: both languages everywhere, two hints, a mistake that is wrong, a short graph.
CLEAN = """\
---
id: clean
title: {ko: 사과, en: Apples}
graphs:
  shop:
    inputs: {price: 100, count: 2}
    nodes: {total: price * count}
problems:
  - id: d-price
    answer: grad(price)
    prompt: {ko: 기울기는?, en: The gradient?}
    hints: [{ko: 곱셈 노드의 규칙, en: the multiply node's rule}, {ko: 다른 입력, en: the other input}]
    mistakes:
      - {id: own, answer: value(price), message: {ko: 자기 입력, en: its own input}}
---
## 역전파 / Backward

곱셈 노드는 다른 입력을 곱합니다.

::: en
A multiply node multiplies by the other input.
:::

{{graph shop}}

{{blank d-price}}
"""


def run(*args: str, env=None):
    return CliRunner().invoke(main, list(args), env=env)


def write(folder: Path, source: str, name: str = "lesson.md") -> Path:
    path = folder / name
    path.write_text(source, encoding="utf-8")
    return path


def strict_lines(path: Path) -> list[str]:
    result = run("check", "--strict", str(path))
    assert "Traceback" not in result.output
    return result.output.splitlines()


def line_of(source: str, needle: str) -> int:
    return next(i for i, line in enumerate(source.splitlines(), 1) if needle in line)


def test_a_clean_lesson_passes_strict(tmp_path):
    path = write(tmp_path, CLEAN)
    result = run("check", "--strict", str(path))
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == ["1 lesson, 1 problem, 0 errors, 0 lints"]


def test_without_strict_lints_are_not_run(tmp_path):
    path = write(tmp_path, CLEAN.replace(HINTS, ""))
    assert run("check", str(path)).exit_code == 0
    assert run("check", "--strict", str(path)).exit_code == 1


HINTS = "    hints: [{ko: 곱셈 노드의 규칙, en: the multiply node's rule}, {ko: 다른 입력, en: the other input}]\n"


@pytest.mark.parametrize("hints, count", [("", "0 hints"), ("    hints: [{ko: 다른 입력, en: the other input}]\n", "1 hint")])
def test_fewer_than_two_hints(tmp_path, hints, count):
    source = CLEAN.replace(HINTS, hints)
    path = write(tmp_path, source)
    assert strict_lines(path) == [
        f"{path}:{line_of(source, '- id: d-price')}:5: lint[few-hints]: problem 'd-price' has {count}; give at "
        "least 2, the general rule first and the specific step last: hints: [{ko: ..., en: ...}, {ko: ..., en: ...}]",
        "1 lesson, 1 problem, 0 errors, 1 lint"]


REVEALS = "lint[hint-reveals]: the first hint of problem '{pid}' gives the answer away ({what})"


def reveal_lints(path: Path) -> list[str]:
    return [line for line in strict_lines(path) if "hint-reveals" in line]


def test_a_first_hint_that_states_the_number(tmp_path):
    # value(total) is 200; "200원" states it, in Korean only
    source = CLEAN.replace("answer: grad(price)", "answer: value(total)").replace(
        "{ko: 곱셈 노드의 규칙, en: the multiply node's rule}", "{ko: 답은 200원입니다, en: the multiply node's rule}")
    path = write(tmp_path, source)
    line = line_of(source, "답은 200원")
    col = source.splitlines()[line - 1].index("{ko: 답은") + 1
    assert reveal_lints(path) == [f"{path}:{line}:{col}: " + REVEALS.format(pid="d-price", what="200") +
                                  ": start from the general rule and keep the answer for the last hint"]


def test_a_number_inside_a_formula_or_a_given_is_not_the_answer_stated(tmp_path):
    # the 2 of "2(x+1)" is part of a formula; the graph's own count 2 is a given, and the answer is 2 too
    formula = CLEAN.replace("{ko: 곱셈 노드의 규칙, en: the multiply node's rule}", "{ko: 2(x+1)처럼, en: like 2(x+1)}")
    assert reveal_lints(write(tmp_path, formula)) == []
    given = CLEAN.replace("{ko: 곱셈 노드의 규칙, en: the multiply node's rule}",
                          "{ko: 개수는 2개입니다, en: there are 2 of them}")
    assert reveal_lints(write(tmp_path, given, "given.md")) == []


def test_a_later_hint_may_state_the_answer(tmp_path):
    source = CLEAN.replace("{ko: 다른 입력, en: the other input}", "{ko: 답은 2입니다, en: it is 2}")
    assert reveal_lints(write(tmp_path, source)) == []


def test_a_first_hint_that_states_the_formula(tmp_path):
    source = CLEAN.replace("    answer: grad(price)\n", "    type: expression\n    vars: [price, count]\n"
                           "    answer: grad(price)\n").replace(
        "{ko: 곱셈 노드의 규칙, en: the multiply node's rule}", "{ko: 곱셈 노드의 규칙, en: it is count times 1}").replace(
        "      - {id: own, answer: value(price), message: {ko: 자기 입력, en: its own input}}\n", "").replace(
        "    mistakes:\n", "")
    line = line_of(source, "it is count")
    col = source.splitlines()[line - 1].index("{ko: 곱셈") + 1
    assert reveal_lints(write(tmp_path, source)) == [
        f"{tmp_path / 'lesson.md'}:{line}:{col}: " + REVEALS.format(pid="d-price", what="count")
        + ": start from the general rule and keep the answer for the last hint"]
    plain = source.replace("it is count times 1", "the other input")
    assert reveal_lints(write(tmp_path, plain, "plain.md")) == []


def test_a_first_hint_that_names_the_right_option(tmp_path):
    choice = """\
  - id: which
    type: choice
    prompt: {ko: 어느 쪽?, en: Which one?}
    options:
      - {id: own, text: {ko: 자기 입력, en: its own input}}
      - {id: other, text: {ko: 다른 입력, en: the other input}}
    answer: other
    hints: [{ko: HINT, en: the rule}, {ko: 다른 입력입니다, en: the other input}]
"""
    source = CLEAN.replace("---\n## 역전파", choice + "---\n## 역전파").replace(
        "{{blank d-price}}", "{{blank d-price}}\n\n{{blank which}}")
    names_it = write(tmp_path, source.replace("HINT", "곱하는 것은 다른 입력"))
    assert [line.split(": ", 1)[1] for line in reveal_lints(names_it)] == [
        REVEALS.format(pid="which", what="'the other input'") +
        ": start from the general rule and keep the answer for the last hint"]
    compares = write(tmp_path, source.replace("HINT", "자기 입력일까요, 다른 입력일까요?"), "compares.md")
    assert reveal_lints(compares) == []


def test_mistake_equal_to_the_answer(tmp_path):
    # grad(price) is count = 2; value(count) is 2 as well: the grader would accept the "mistake"
    source = CLEAN.replace("answer: value(price), message", "answer: value(count), message")
    path = write(tmp_path, source)
    lines = strict_lines(path)
    assert len(lines) == 2 and "lint[mistake-is-answer]: mistake 'own' gives 2" in lines[0]
    line = line_of(source, "value(count)")
    assert lines[0].startswith(f"{path}:{line}:{source.splitlines()[line - 1].index('value(count)') + 1}:")


def test_mistake_equal_to_the_answer_only_in_a_variant(tmp_path):
    # 100 * 1 ... the mistake value(price) equals grad(price) = count only when count = price; a variant makes it so
    source = CLEAN.replace("inputs: {price: 100, count: 2}", "inputs: {price: 3, count: 2}").replace(
        "problems:", "variants:\n  count: [3]\nproblems:")
    lines = strict_lines(write(tmp_path, source))
    assert "lint[mistake-is-answer]" in lines[0] and "variant --seed 0" in lines[0]


def test_one_language_in_a_prompt_a_heading_and_the_prose(tmp_path):
    source = (CLEAN.replace("prompt: {ko: 기울기는?, en: The gradient?}", "prompt: 기울기는?")
              .replace("## 역전파 / Backward", "## 역전파")
              .replace("::: en\nA multiply node multiplies by the other input.\n:::\n", ""))
    path = write(tmp_path, source)
    lines = strict_lines(path)
    assert [re.sub(r"^.*?: lint\[one-language\]: ", "", line) for line in lines[:-1]] == [
        "problem 'd-price' prompt has one language: write {ko: ..., en: ...}",
        "step 1's heading has one language: write it as '## 한국어 제목 / English title'",
        "step 1 has no English: add a '::: en' block (ending with ':::') after the Korean"]
    assert lines[0].startswith(f"{path}:{line_of(source, 'prompt:')}:13:")
    assert lines[1].startswith(f"{path}:{line_of(source, '## 역전파')}:1:")


def test_a_heading_that_splits_at_the_wrong_slash(tmp_path):
    """Lesson 13's '## 1단계: / 노드 / Step 1: the / node' was titled '1단계:' in Korean."""
    source = CLEAN.replace("## 역전파 / Backward", "## 1단계: / 노드 / Step 1: the / node")
    lines = strict_lines(write(tmp_path, source))
    assert "step 1's heading splits at its first ' / ' into '1단계:' and '노드 / Step 1: the / node'" in lines[0]
    fixed = strict_lines(write(tmp_path, CLEAN.replace("## 역전파 / Backward", "## 1단계: '/' 노드 / Step 1: the '/' node")))
    assert not any("heading" in line for line in fixed)


def test_graph_wider_than_80_columns(tmp_path):
    long_label = "{ko: " + "아주 긴 이름" * 8 + ", en: " + "a very long name " * 5 + "}"
    source = CLEAN.replace("graphs:\n  shop:\n", "graphs:\n  shop:\n    labels: {price: " + long_label + "}\n")
    path = write(tmp_path, source)
    lines = strict_lines(path)
    assert len(lines) == 2 and lines[0].startswith(f"{path}:{line_of(source, '  shop:')}:3: lint[graph-width]: ")
    assert re.search(r"graph 'shop' is (\d+) columns wide", lines[0])
    assert int(re.search(r"is (\d+) columns", lines[0]).group(1)) > 80


def test_step_over_the_block_budget(tmp_path):
    paragraphs = "\n\n".join(f"문단 {i}." for i in range(MAX_BLOCKS + 1))
    source = CLEAN.replace("곱셈 노드는 다른 입력을 곱합니다.", paragraphs)
    path = write(tmp_path, source)
    lines = strict_lines(path)
    assert lines[0] == (f"{path}:{line_of(source, '## 역전파')}:1: lint[step-too-long]: step 1 has "
                        f"{MAX_BLOCKS + 1} Markdown blocks in Korean; keep a step under {MAX_BLOCKS}: split it "
                        "with a '##' heading")


def test_markdown_blocks_counts_nested_blocks():
    assert markdown_blocks("one\n\ntwo") == 2
    assert markdown_blocks("- a\n- b") == 5  # the list, two items, two paragraphs
    assert markdown_blocks("```\ncode\n```") == 1


def test_answer_written_in_its_own_step(tmp_path):
    # grad(price) = count · tax = 6, not an input: the prose gives it away; 16 or 6.5 would not
    source = (CLEAN.replace("inputs: {price: 100, count: 2}", "inputs: {price: 100, count: 3, tax: 2}")
              .replace("nodes: {total: price * count}", "nodes: {total: price * count * tax}")
              .replace("곱셈 노드는 다른 입력을 곱합니다.", "가격 16원, 6.5원. 답은 6입니다."))
    path = write(tmp_path, source)
    lines = strict_lines(path)
    line = line_of(source, "답은 6")
    col = source.splitlines()[line - 1].index("6입") + 1
    assert lines[0] == (f"{path}:{line}:{col}: lint[answer-in-prose]: the answer to blank 'd-price' (6) is "
                        "written in step 1's text: the learner can copy it")


def test_a_given_in_the_prose_is_not_an_answer_written_out(tmp_path):
    # grad(price) = count = 2: the prose states the input, a given of the problem, not its result
    source = CLEAN.replace("곱셈 노드는 다른 입력을 곱합니다.", "사과 2개를 삽니다. 곱셈 노드는 다른 입력을 곱합니다.")
    assert strict_lines(write(tmp_path, source)) == ["1 lesson, 1 problem, 0 errors, 0 lints"]


def test_answer_in_another_step_or_inside_a_bigger_number_is_fine(tmp_path):
    source = CLEAN.replace("곱셈 노드는 다른 입력을 곱합니다.", "12원, 2.5원, 20원.").replace(
        "## 역전파 / Backward", "## 처음 / Start\n\n답은 2입니다.\n\n::: en\nIt is 2.\n:::\n\n## 역전파 / Backward")
    assert strict_lines(write(tmp_path, source)) == ["1 lesson, 1 problem, 0 errors, 0 lints"]


def test_strict_on_the_bundled_course_finds_nothing():
    result = run("check", "--strict")
    assert result.exit_code == 0, result.output
    lessons = len(list(bundled_lessons_dir().glob("*.md")))
    assert re.fullmatch(rf"{lessons} lessons, \d+ problems, 0 errors, 0 lints", result.output.splitlines()[-1])
    assert len(result.output.splitlines()) == 1


# ---- packs -------------------------------------------------------------------------------------------

def pack(tmp_path: Path, course: str | None = None) -> Path:
    write(tmp_path, CLEAN, "01-clean.md")
    write(tmp_path, CLEAN.replace("id: clean", "id: second"), "02-second.md")
    if course is not None:
        write(tmp_path, course, "course.yaml")
    return tmp_path


def test_course_yaml_orders_the_pack(tmp_path):
    from tutor.authoring.pack import load_pack

    folder = pack(tmp_path, "title: {ko: 실습, en: Lab}\ndescription: 두 레슨\nlessons: [second]\n")
    loaded = load_pack(folder)
    assert [lesson.id for lesson in loaded.lessons] == ["second", "clean"] and not loaded.broken
    assert loaded.course.title.en == "Lab"
    assert loaded.id == str(folder.resolve())  # the progress store's name, as the app and the quiz use


def test_a_preloaded_pack_is_given_back_until_a_file_changes(tmp_path, monkeypatch):
    """What the class server's zygote reads ahead: given back without reading a lesson, and read anew
    once a lesson or course.yaml is written (even to the same size), added or removed."""
    from tutor.authoring import pack as packs

    monkeypatch.setattr(packs, "_preloaded", {})  # this test's own, not the process's
    folder = pack(tmp_path, "lessons: [second]\n")
    packs.preload_pack(folder)
    read = packs.load_lessons
    reads = []
    monkeypatch.setattr(packs, "load_lessons", lambda *args, **kwargs: reads.append(args) or read(*args, **kwargs))

    again = packs.load_pack(folder)
    assert [lesson.id for lesson in again.lessons] == ["second", "clean"] and reads == []
    again.lessons.clear()  # a caller's list is its own
    assert len(packs.load_pack(folder).lessons) == 2 and reads == []
    assert packs.load_pack(folder, check_variants=True).lessons and len(reads) == 1  # `tutor check` reads

    second = folder / "02-second.md"
    second.write_text(second.read_text().replace("id: second", "id: secund"))  # the same size
    assert [lesson.id for lesson in packs.load_pack(folder).lessons] == ["clean", "secund"]
    packs.preload_pack(folder)
    (folder / "course.yaml").write_text("lessons: [secund, clean]\n")
    assert [lesson.id for lesson in packs.load_pack(folder).lessons] == ["secund", "clean"]
    packs.preload_pack(folder)
    second.unlink()
    assert [lesson.id for lesson in packs.load_pack(folder).lessons] == ["clean"]


@pytest.mark.parametrize("course, expected", [
    ("lessons: [secnd]\n", "1:11: lessons: 'secnd' is not a lesson in {folder} (did you mean 'second'?)"),
    ("titel: x\n", "1:1: unknown key 'titel' in course.yaml (did you mean 'title'?)"),
    ("title: !!python/object:os.system x\n", "1:8: tags (!!python/object:os.system) are not allowed in lessons"),
])
def test_a_broken_course_yaml_is_an_error_with_its_place(tmp_path, course, expected):
    folder = pack(tmp_path, course)
    result = run("check", str(folder))
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"{folder / 'course.yaml'}:{expected.format(folder=folder)}",
                                          "2 lessons, 2 problems, 1 error"]


def test_lessons_folder_from_the_option_or_the_environment(tmp_path):
    folder = pack(tmp_path)
    for args, env in ((["--lessons", str(folder)], None), ([], {"TUTOR_LESSONS": str(folder)})):
        assert run("check", *args, env=env).output.splitlines() == ["2 lessons, 2 problems, 0 errors"]
        answers = run("answers", "second", "--json", *args, env=env)  # PATH may be an id of the folder
        assert answers.exit_code == 0 and '"lesson": "second"' in answers.output
    missing = run("answers", "third", "--lessons", str(folder))
    assert missing.exit_code == 2 and "third: no such file, nor a lesson of" in missing.output


# ---- the answer sheet --------------------------------------------------------------------------------

def test_answer_sheet_in_markdown(tmp_path):
    path = write(tmp_path, CLEAN)
    lesson = load_lesson(path)
    result = run("answers", str(path), "--format", "md", "--lang", "en")
    assert result.exit_code == 0
    sheet = result.output
    assert sheet.startswith("# Apples — answer sheet\n")
    expected = lesson.instance().answer("d-price")  # the engine's answer, not a hard-coded one
    assert f"**{expected:g}** — ∂total/∂price" in sheet and "grad(" not in sheet
    assert "- **(a) `d-price`** The gradient?" in sheet
    drawing = sheet.split("```text\n")[1].split("```")[0]
    assert "price" in drawing and "total" in drawing and "──▶" in drawing


def test_answer_sheet_of_a_variant(tmp_path):
    path = write(tmp_path, CLEAN.replace("problems:", "variants:\n  count: {int: [3, 9]}\nproblems:"))
    instance = load_lesson(path).instance(seed=5)
    sheet = run("answers", str(path), "--format", "md", "--seed", "5", "--lang", "en").output
    assert f"variant --seed 5: count = {instance.inputs['count']}" in sheet
    assert f"**{instance.answer('d-price'):g}**" in sheet
