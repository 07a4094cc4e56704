"""Issue 22, item by item: each attack that got through before, now refused or handled. Each runs the real
command in a child process under CPU and memory limits (``limited.py``), so a regression fails the test
instead of stalling or exhausting the machine. Items 4 (nested LaTeX) and 9 (write failures) have their
tests with their own code (SECURITY.md names them)."""

import json

import pytest

from limited import TESTS, tutor

COURSE = TESTS.parent / "tutor" / "course"


def write(folder, name: str, text: str):
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def formula_lesson(names: list[str]) -> str:
    """One graph whose inputs are ``names`` and one formula problem over them."""
    inputs = ", ".join(f"{name}: {i + 2}" for i, name in enumerate(names))
    return (f"---\nid: names\ntitle: t\ngraphs:\n  g:\n    inputs: {{{inputs}}}\n    nodes:\n"
            f"      z: {' * '.join(names)}\nproblems:\n  - {{id: f, type: expression, vars: [{', '.join(names)}], "
            "answer: 'grad(z)'}\n---\n{{blank f}}\n")


# ---- item 7: a choice answer of 4,301 digits ------------------------------------------------------

def test_item7_a_4301_digit_choice_answer_is_refused_as_too_long_in_valid_json(tmp_path):
    finished = tutor("grade", COURSE / "11-appendix-questions.md", "same-thing", "1" * 4301, "--json",
                     "--lang", "en", env={"TUTOR_DATA_DIR": str(tmp_path)})
    assert finished.returncode == 2, finished
    verdict = json.loads(finished.stdout)
    assert verdict["correct"] is False and "too long (4301 characters)" in verdict["message"]


def test_item7_the_plain_quiz_answers_a_4301_digit_choice_answer_and_goes_on(tmp_path):
    finished = tutor("quiz", "--plain", "--lesson", "appendix-questions", "--all", "--count", "1", "--seed", "0",
                     "--lang", "en", "--db", tmp_path / "q.db", input="1" * 4301 + "\n:quit\n",
                     env={"TUTOR_DATA_DIR": str(tmp_path)})
    assert "Traceback" not in finished.output and "too long (4301 characters)" in finished.stdout, finished


# ---- item 8: splitting formula names ---------------------------------------------------------------

@pytest.mark.parametrize("names, answer", [(["x", "y", "xy"], "xy" * 99 + "q"), (["a", "aa"], "a" * 199 + "b")],
                         ids=["x-y-xy", "a-aa"])
def test_item8_splitting_names_is_linear_in_the_answer(tmp_path, names, answer):
    """Today: xy×22 + q took 5.6 s, ×1.9 per extra pair; ×99 would take longer than the universe has."""
    lesson = write(tmp_path, "names.md", formula_lesson(names))
    finished = tutor("grade", lesson, "f", answer, "--lang", "en", cpu_seconds=10)
    assert finished.returncode == 2 and "There is no name" in finished.output, finished
