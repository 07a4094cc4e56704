"""`tutor check`, `tutor answers`, `tutor new` from the outside: exit codes, exact messages, no traceback."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import CliRunner

from tutor.cli import main

LESSONS = Path(__file__).parent / "lessons"
BROKEN = LESSONS / "broken"

# One defect per file, and the one line `tutor check` must print for it.
EXPECTED = {
    "bad-yaml.md": "4:7: did not find expected ',' or ']' (while parsing a flow sequence); is a [ ] or { } left "
                   "open, or does text inside it hold ':' or ',' without quotes? Quote it: {ko: \"…\", en: \"…\"}",
    "tab-indent.md": "8:1: found character that cannot start any token (while scanning for the next token); a tab: "
                     "YAML indents with spaces only",
    "full-width-colon.md": "9:11: could not find expected ':' (while scanning a simple key); this is a full-width "
                           "colon '：' (U+FF1A): YAML needs ':'",
    "python-tag.md": "3:8: tags (!!python/object/apply:os.system) are not allowed in lessons",
    "alias-bomb.md": "2:4: anchors (&a) are not allowed in lessons",
    "deep-brackets.md": "3:1007: exceeded maximum nesting depth (while increasing flow level)",
    "deep-maps.md": "4:133: nested more than 32 levels deep",
    "duplicate-key.md": "4:1: duplicate key 'title' (first written on line 3)",
    "unknown-key.md": "11:5: unknown key 'anwser' in problems[0] (did you mean 'answer'?)",
    "unknown-op.md": "8:10: graph 'g': node 'z': unknown function 'relux' (did you mean 'relu'?)",
    "unknown-name.md": "11:28: answer: unknown node 'yy' (did you mean 'y'?)",
    "cycle.md": "8:10: graph 'g': node 'z': the nodes form a cycle: z → w → z",
    "unplaced-problem.md": "10:9: problem 'p' is never placed: add {{blank p}} to the text",
    "unknown-blank.md": "13:17: {{blank q}}: no problem has the id 'q'",
    "blank-twice.md": "15:23: {{blank p}} is already placed in this step's Korean text on line 13: place a blank "
                      "once in each language",
    "unknown-graph.md": "13:1: {{graph gg}}: no graph is named 'gg' (did you mean 'g'?)",
    "d-backwards.md": "12:15: answer: d(q, f): 'q' is not computed from 'f', so ∂q/∂f is 0 whatever the values "
                      "(did you mean d(f, q)?)",
    "nan-answer.md": "11:13: answer: '(value(x) - 2) / (value(y) - 3)' gives NaN",
    "variant-log.md": "9:1: the variant x=0: graph 'g': node 'log(x)': 'log(x)' gives infinity"
                      " (log of a number that is not positive)",
    "invalid-utf8.md": "3:11: not valid UTF-8 (byte 0xe9); save the file as UTF-8",
    "deep-math.md": "12:14: math nested more than 16 braces deep (the limit, MAX_MATH_DEPTH); write the formula flatter",
}


def run(*args: str, cwd=None):
    return CliRunner().invoke(main, list(args))


def test_every_broken_file_has_an_expectation():
    assert sorted(p.name for p in BROKEN.glob("*.md")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_check_reports_the_defect_where_it_is(name):
    result = run("check", str(BROKEN / name))
    assert result.exit_code == 1
    assert result.output.splitlines() == [f"{BROKEN / name}:{EXPECTED[name]}", "1 lesson, 0 problems, 1 error"]
    assert "Traceback" not in result.output


def test_check_a_folder_lists_every_broken_lesson_and_goes_on():
    result = run("check", str(BROKEN), str(LESSONS))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[:-1] == [f"{BROKEN / name}:{EXPECTED[name]}" for name in sorted(EXPECTED)]
    assert lines[-1] == f"{len(EXPECTED) + 4} lessons, 11 problems, {len(EXPECTED)} errors"


def test_check_valid_lessons_exits_0():
    result = run("check", str(LESSONS))
    assert (result.exit_code, result.output) == (0, "4 lessons, 11 problems, 0 errors\n")


def test_check_without_path_checks_the_bundled_course():
    from tutor.lessons import bundled_lessons_dir

    result = run("check")
    count = len(list(bundled_lessons_dir().glob("*.md")))
    assert result.output.splitlines()[-1].startswith(f"{count} lesson")


def test_check_a_missing_path():
    result = run("check", "no/such/lesson.md")
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == "no/such/lesson.md:1:1: no such file or folder"


def test_python_tag_runs_nothing(tmp_path):
    """In a real process, from a folder where the tag would leave its file."""
    result = subprocess.run([sys.executable, "-c", "from tutor.cli import main; main()", "check",
                             str(BROKEN / "python-tag.md")],
                            cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "tags (!!python/object/apply:os.system)" in result.stdout
    assert "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_10_mb_file_is_refused_before_it_is_read(tmp_path):
    big = tmp_path / "big.md"
    big.write_bytes(b"---\nid: big\ntitle: " + b"x" * 10_000_000 + b"\n---\n")
    result = run("check", str(big))
    assert result.exit_code == 1
    assert result.output.splitlines()[0] == f"{big}:1:1: the file is larger than 1 MB; a lesson must be smaller"


@pytest.mark.parametrize("transform", [
    lambda data: b"\xef\xbb\xbf" + data,  # a byte-order mark
    lambda data: data.replace(b"\n", b"\r\n"),  # Windows line ends
    lambda data: b"\xef\xbb\xbf" + data.replace(b"\n", b"\r\n"),
], ids=["bom", "crlf", "bom+crlf"])
def test_bom_and_crlf_are_valid_and_positions_stay_right(tmp_path, transform):
    valid = transform((LESSONS / "apple.md").read_bytes())
    (tmp_path / "apple.md").write_bytes(valid)
    assert run("check", str(tmp_path / "apple.md")).exit_code == 0
    # the same file with one defect: its line:col is that of the plain LF file
    broken = transform((LESSONS / "apple.md").read_bytes().replace(b"answer: grad(apple_count)",
                                                                    b"answer: grad(apple_cnt)"))
    (tmp_path / "apple.md").write_bytes(broken)
    result = run("check", str(tmp_path / "apple.md"))
    assert result.output.splitlines()[0] == (
        f"{tmp_path / 'apple.md'}:27:18: answer: unknown node 'apple_cnt' (did you mean 'apple_count'?)")


def test_answers_json_gives_the_lectures_apple_numbers():
    result = run("answers", str(LESSONS / "apple.md"), "--json")
    assert result.exit_code == 0
    key = json.loads(result.output)
    assert key["lesson"] == "apple"
    assert key["answers"] == pytest.approx({"d-price": 2.2, "d-count": 110, "d-tax": 200})
    assert "seed" not in key


def test_answers_seed_changes_the_numbers_and_reproduces_them():
    keys = {seed: json.loads(run("answers", str(LESSONS / "apple.md"), "--json", "--seed", str(seed)).output)
            for seed in range(6)}
    assert json.loads(run("answers", str(LESSONS / "apple.md"), "--json", "--seed", "3").output) == keys[3]
    assert len({json.dumps(k["answers"]) for k in keys.values()}) > 1
    for seed, key in keys.items():
        inputs = key["inputs"]
        assert key["seed"] == seed
        assert inputs["apple_price"] in (100, 150, 200) and 1 <= inputs["apple_count"] <= 5
        # the variant's gradients follow from its own inputs: d/dprice = count·tax, d/dtax = price·count
        assert key["answers"]["d-price"] == pytest.approx(inputs["apple_count"] * 1.1)
        assert key["answers"]["d-tax"] == pytest.approx(inputs["apple_price"] * inputs["apple_count"])


def test_answers_json_for_vectors_and_choices():
    vector = json.loads(run("answers", str(LESSONS / "net-vector.md"), "--json").output)
    assert vector["answers"]["pred"] == [3.0, 6.0, 9.0]
    choice = json.loads(run("answers", str(LESSONS / "backprop-choice.md"), "--json").output)
    assert choice["answers"] == {"same": "same"}


def test_answers_table():
    result = run("answers", str(LESSONS / "apple.md"), "--seed", "1")
    lines = result.output.splitlines()
    assert lines[0].startswith("apple: 사과 쇼핑의 역전파")
    assert lines[1].startswith("variant --seed 1: apple_price=")
    assert lines[3].split() == ["problem", "type", "answer", "value"]
    assert lines[4].split()[:3] == ["d-price", "number", "grad(apple_price)"]


def test_answers_on_a_broken_lesson():
    result = run("answers", str(BROKEN / "cycle.md"))
    assert result.exit_code == 1
    assert "cycle.md:8:10: graph 'g'" in result.output


def test_new_writes_a_lesson_that_passes_check(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = run("new", "my-lesson")
    assert result.exit_code == 0
    written = tmp_path / "my-lesson.md"
    assert run("check", str(written)).output == "1 lesson, 5 problems, 0 errors\n"
    key = json.loads(run("answers", str(written), "--json").output)
    assert {p: type(v).__name__ for p, v in key["answers"].items()} == {
        "payment": "float", "d-price": "float", "d-count-formula": "float", "all-grads": "list", "direction": "str"}
    text = written.read_text(encoding="utf-8")
    for feature in ("variants:", "{int:", "{float:", "tolerance:", "mistakes:", "allow_zero", "requires:",
                    "labels:", "::: en", "{{graph shop}}", "source:", "params:", "hints:"):
        assert feature in text


def test_new_refuses_to_overwrite_and_bad_ids(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "taken.md").write_text("mine", encoding="utf-8")
    result = run("new", "taken", "--lang", "en")
    assert result.exit_code == 1 and "already exists" in result.output
    assert "이미 있습니다" in run("new", "taken", "--lang", "ko").output
    assert (tmp_path / "taken.md").read_text(encoding="utf-8") == "mine"
    for bad in ("Bad", "a_b", "../up", "a--b", "zero\u200bwidth"):
        result = run("new", bad, "--lang", "en")
        assert result.exit_code == 1 and "is not a lesson id" in result.output
    assert "레슨 id로 쓸 수 없습니다" in run("new", "Bad", "--lang", "ko").output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["taken.md"]


def test_help_lists_every_command():
    result = run("--help")
    listed = re.findall(r"^    (\w+)  ", result.output, re.M)  # "    check     Validate lessons ..."
    assert result.exit_code == 0
    assert listed == ["check", "answers", "grade", "new", "show", "preview", "start", "quiz", "progress", "reset",
                      "paths", "class", "report", "serve"]


def test_lesson_commands_do_not_import_textual(tmp_path):
    code = ("import sys\nfrom tutor.cli import main\n"
            f"for args in (['check', {str(LESSONS)!r}], ['answers', {str(LESSONS / 'apple.md')!r}, '--json'],"
            f" ['new', 'x-y']):\n"
            "    try: main(args)\n"
            "    except SystemExit as exit: assert exit.code == 0, args\n"
            "print(sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.')))\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"  # after what the commands printed


def test_check_reports_every_error_of_a_file_in_one_run_sorted_by_position(tmp_path):
    """Issue 18: a {{blank}} typo no longer hides a grad(yy) typo, nor one problem's unknown key the others'."""
    path = tmp_path / "typos.md"
    path.write_text("---\nid: typos\ntitle: t\ngraphs:\n  g:\n    inputs: {x: 1, y: 2}\n    nodes:\n      z: x * y\n"
                    "problems:\n  - {id: a, answer: grad(yy)}\n  - {id: b, answer: grad(x), promt: hi}\n"
                    "  - {id: c, answer: grad(y)}\n---\n{{blank aa}} {{blank b}} {{blank c}}\n", encoding="utf-8")
    lines = run("check", str(path)).output.splitlines()
    assert lines == [f"{path}:10:10: problem 'a' is never placed: add {{{{blank a}}}} to the text",
                     f"{path}:10:26: answer: unknown node 'yy' (did you mean 'y'?)",
                     f"{path}:11:30: unknown key 'promt' in problems[1] (did you mean 'prompt'?)",
                     f"{path}:14:1: {{{{blank aa}}}}: no problem has the id 'aa' (did you mean 'a'?)",
                     "1 lesson, 0 problems, 4 errors"]


def test_check_shows_the_first_25_errors_of_a_file_and_counts_the_rest(tmp_path):
    path = tmp_path / "many.md"
    path.write_text("---\nid: many\ntitle: t\n---\n" + "".join(f"{{{{blank q{i}}}}}\n" for i in range(40)),
                    encoding="utf-8")
    lines = run("check", str(path)).output.splitlines()
    assert lines[:25] == [f"{path}:{5 + i}:1: {{{{blank q{i}}}}}: no problem has the id 'q{i}'" for i in range(25)]
    assert lines[25] == f"{path}:30:1: ... and 15 more errors from here on; fix these first"
    assert lines[26:] == ["1 lesson, 0 problems, 40 errors"]


def _note_the_process(lesson) -> None:
    lesson.memo["read by"] = os.getpid()


def test_a_large_folder_is_checked_in_a_process_per_core_with_the_same_findings(tmp_path, monkeypatch):
    """The broken files, the bundled course and a lesson whose id is taken: read in worker processes, the
    errors, their order and the summary are those of one process reading it all."""
    import shutil

    from tutor.authoring.strict import check
    from tutor.lessons import bundled_lessons_dir, load_lessons, loader

    for path in [*BROKEN.glob("*.md"), *bundled_lessons_dir().glob("*.md")]:
        shutil.copy(path, tmp_path / path.name)
    apples = next(tmp_path.glob("*apple-backward.md"))
    (tmp_path / "99-again.md").write_bytes(apples.read_bytes())  # the same id again: an error across files
    assert len(list(tmp_path.glob("*.md"))) >= loader.PARALLEL_FROM

    in_parallel = check([str(tmp_path)], strict=True)
    monkeypatch.setattr(loader, "PARALLEL_FROM", 10**9)
    assert check([str(tmp_path)], strict=True) == in_parallel
    lines = in_parallel[0]
    assert len(lines) == len(EXPECTED) + 2 and "lesson id 'apple-backward' is already used by" in lines[0]

    monkeypatch.undo()
    lessons, broken = load_lessons(tmp_path, check_variants=True, then=_note_the_process, parallel=True)
    assert len(broken) == len(EXPECTED) + 1 and all(lesson.memo["read by"] for lesson in lessons)
    if len(os.sched_getaffinity(0)) > 1:
        assert os.getpid() not in {lesson.memo["read by"] for lesson in lessons}


@pytest.mark.skipif(len(os.sched_getaffinity(0)) < 2, reason="one core: a check has no worker processes")
def test_ctrl_c_stops_a_check_in_worker_processes_quietly(tmp_path):
    """ctrl+c reaches the whole process group while the workers read: exit 130, no traceback from
    the command or from a worker, no worker left behind."""
    import shutil
    import signal
    import time

    from tutor.lessons import bundled_lessons_dir

    course = sorted(bundled_lessons_dir().glob("*.md"))
    for k in range(120):
        shutil.copy(course[k % len(course)], tmp_path / f"{k:03d}-{course[k % len(course)].name}")
    process = subprocess.Popen([sys.executable, "-c", "from tutor.cli import main; main()", "check", str(tmp_path)],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")
    deadline = time.monotonic() + 60
    while process.poll() is None and not children.read_text().split() and time.monotonic() < deadline:
        time.sleep(0.01)  # until the workers are there: the check is under way
    workers = children.read_text().split()
    assert workers, "the check ended before it had started its workers"
    os.killpg(process.pid, signal.SIGINT)
    out, err = process.communicate(timeout=60)
    assert (process.returncode, err) == (130, "") and "lessons" not in out
    assert not [pid for pid in workers if Path(f"/proc/{pid}").exists()]


def _square_but_not_7(n: int) -> int:
    if n == 7:
        raise ValueError("7 is refused")
    return n * n


def test_work_dealt_to_processes_comes_back_in_order_and_a_fault_is_raised_again():
    from tutor.lessons.loader import _in_processes

    assert _in_processes(_square_but_not_7, list(range(7))) == [n * n for n in range(7)]
    assert _in_processes(_square_but_not_7, list(range(8, 40))) == [n * n for n in range(8, 40)]
    with pytest.raises(ValueError, match="7 is refused"):
        _in_processes(_square_but_not_7, list(range(20)))
