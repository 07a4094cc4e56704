"""`tutor quiz --plain` driven through a subprocess with stdin, as a script or a screen reader would.

The right answers come from the lessons API (the same plan the command makes, from the same seed
and the same progress), never from numbers written here."""

import os
import signal
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from tutor.grading import hints
from tutor.grading.grade import shown_answer
from tutor.lessons import bundled_lessons_dir, load_lessons
from tutor.progress import Store
from tutor.quiz.messages import say
from tutor.quiz.session import plan_quiz
from tutor.render.numbers import format_number

LESSONS, _ = load_lessons(bundled_lessons_dir())
TUTOR = [sys.executable, "-c", "from tutor.cli import main; main()"]


@pytest.fixture
def env(tmp_path):
    return {**os.environ, "TUTOR_DATA_DIR": str(tmp_path), "TUTOR_DB": str(tmp_path / "progress.sqlite3"),
            "TUTOR_LANG": "en"}


def planned(env, *args, count=3, seed=11):
    """The questions `tutor quiz --lesson ARGS --count --seed` will ask, given the store as it is."""
    with Store.open(env["TUTOR_DB"]) as store:
        questions, _ = plan_quiz(LESSONS, store, "course", args, count=count, seed=seed)
    return questions


def typed(question) -> str:
    """The right answer as a person types it."""
    instance = question.lesson.instance(seed=question.seed)
    value = instance.answer(question.problem.id)
    if question.problem.type == "choice":
        return value
    if question.problem.type == "expression":  # the formula: its number is asked for the formula again
        return shown_answer(instance, question.problem.id)
    return ", ".join(format_number(v) for v in np.ravel(value))


def wrong(question) -> str:
    value = question.lesson.instance(seed=question.seed).answer(question.problem.id)
    return ", ".join(format_number(v * 3 + 7) for v in np.ravel(value))


def quiz(env, stdin: str, *args, count=3, seed=11):
    return subprocess.run([*TUTOR, "quiz", "--plain", *(f"--lesson={a}" for a in args), f"--count={count}",
                           f"--seed={seed}"], input=stdin, capture_output=True, text=True, env=env, timeout=60)


def test_right_and_wrong_answers_are_graded_saved_and_scheduled(env):
    first, second = planned(env, "apple-backward", count=2)
    run = quiz(env, f"{typed(first)}\n{wrong(second)}\n", "apple-backward", count=2)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert run.stdout.count("✓ ") == 1 and run.stdout.count("✗ ") == 1
    assert say("score", "en", right=1, asked=2) in run.stdout
    with Store.open(env["TUTOR_DB"]) as store:
        attempts = store.attempts()
        assert [(a.problem, a.seed, a.correct) for a in attempts] == [
            (first.problem.id, first.seed, True), (second.problem.id, second.seed, False)]
        assert store.review_state("course", "apple-backward", first.problem.id)[0] == 2
        assert store.review_state("course", "apple-backward", second.problem.id)[0] == 1


def test_hint_shows_the_first_hint_and_the_answer_still_counts(env):
    (question,) = planned(env, "fruit-backward", count=1)
    run = quiz(env, f":hint\n{typed(question)}\n", "fruit-backward", count=1)
    first_hint = hints(question.lesson.instance(seed=question.seed), question.problem.id, "en")[0]
    assert first_hint in run.stdout
    assert say("score", "en", right=1, asked=1) in run.stdout
    with Store.open(env["TUTOR_DB"]) as store:
        assert store.attempts()[0].hints_used == 1


def test_after_the_last_hint_the_quiz_says_there_are_no_more_and_how_to_see_the_answer(env):
    (question,) = planned(env, "fruit-backward", count=1)
    every_hint = hints(question.lesson.instance(seed=question.seed), question.problem.id, "en")
    run = quiz(env, ":hint\n" * (len(every_hint) + 1) + f"{typed(question)}\n", "fruit-backward", count=1)
    assert run.returncode == 0, run.stderr
    assert every_hint[-1] in run.stdout
    assert run.stdout.index(every_hint[-1]) < run.stdout.index(say("no-hints", "en"))
    assert "no more hints" in say("no-hints", "en") and ":skip" in say("no-hints", "en")


def test_end_of_input_in_the_middle_prints_the_summary_and_keeps_the_answers(env):
    first, *_ = planned(env, "chain-rule", count=3)
    run = quiz(env, f"{typed(first)}\n", "chain-rule", count=3)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    assert say("score", "en", right=1, asked=1) in run.stdout
    assert say("not-asked", "en", count=2) in run.stdout
    with Store.open(env["TUTOR_DB"]) as store:
        assert [(a.problem, a.correct) for a in store.attempts()] == [(first.problem.id, True)]


def test_skip_unknown_command_and_quit(env):
    run = quiz(env, ":skip\n:frobnicate\n:quit\n", "apple-backward", count=3)
    assert say("skipped", "en") in run.stdout
    assert say("unknown-command", "en", command=":frobnicate") in run.stdout
    assert say("score", "en", right=0, asked=1) in run.stdout
    assert say("kind-revealed", "en") in run.stdout


def test_no_escape_codes_in_plain_mode(env):
    run = quiz(env, ":skip\n" * 3, "y-equals-2x", count=3)
    assert "\x1b" not in run.stdout and "\x1b" not in run.stderr


def test_a_closed_stdout_ends_quietly(env, tmp_path):
    answers = tmp_path / "answers.txt"
    answers.write_text("1\n" * 20)
    command = " ".join(f"'{part}'" for part in TUTOR) + f" quiz --plain --all --count 10 --seed 3 < {answers} | head -1"
    run = subprocess.run(["bash", "-c", command], capture_output=True, text=True, env=env, timeout=60)
    assert run.stdout.count("\n") == 1
    assert "Traceback" not in run.stderr and "Error" not in run.stderr


def test_ctrl_c_ends_with_the_summary(env):
    process = subprocess.Popen([*TUTOR, "quiz", "--plain", "--all", "--count=3", "--seed=2"], env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    process.stdout.readline()  # the introduction: the quiz is waiting for an answer now
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert "Traceback" not in err
    assert say("score", "en", right=0, asked=0) in out


def test_the_same_seed_asks_the_same_questions_with_the_same_numbers(env, tmp_path):
    def fresh(name, seed):
        return quiz({**env, "TUTOR_DB": str(tmp_path / name)}, ":skip\n" * 4, "apple-backward", "fruit-backward",
                    count=4, seed=seed).stdout

    once = fresh("one.sqlite3", 5)
    assert once == fresh("two.sqlite3", 5)
    assert "[4/4]" in once
    assert fresh("three.sqlite3", 6) != once


def test_different_seeds_give_different_numbers(env):
    inputs = {str(sorted(q.lesson.instance(seed=q.seed).inputs.items()))
              for seed in range(6) for q in planned(env, "apple-backward", count=1, seed=seed)}
    assert len(inputs) > 1


def test_an_unknown_lesson_is_named(env):
    run = quiz(env, "", "no-such-lesson")
    assert run.returncode == 2 and "no-such-lesson" in run.stderr and "Traceback" not in run.stderr


def test_without_plain_and_without_a_terminal_it_suggests_plain(env):
    run = subprocess.run([*TUTOR, "quiz"], stdin=subprocess.DEVNULL, capture_output=True, text=True, env=env,
                         timeout=60)
    assert run.returncode == 2 and "--plain" in run.stderr and "\x1b" not in run.stdout


def test_line_mode_never_imports_textual():
    code = ("import sys, tutor.quiz.command, tutor.quiz.plain, tutor.quiz.session, tutor.quiz.present; "
            "print(any(name == 'textual' or name.startswith('textual.') for name in sys.modules))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert run.stdout.strip() == "False", run.stderr



def test_a_lesson_folder_is_read_as_a_pack_its_course_yaml_checked_and_its_id_used_in_the_store(env, tmp_path):
    from tutor.authoring.pack import pack_name

    folder = tmp_path / "pack"
    folder.mkdir()
    source = Path(__file__).parent / "lessons" / "grading" / "apple.md"
    (folder / source.name).write_bytes(source.read_bytes())
    (folder / "course.yaml").write_text("lessons: [grading-apples]\n", encoding="utf-8")
    run = subprocess.run([*TUTOR, "quiz", "--plain", "--all", "--count=1", "--seed=1", f"--lessons={folder}"],
                         input="1\n", capture_output=True, text=True, env=env, timeout=60)
    assert run.returncode == 0 and "Traceback" not in run.stderr
    assert "course.yaml" in run.stderr and "grading-apples" in run.stderr  # the misspelt id is named
    with Store.open(env["TUTOR_DB"]) as store:
        assert [a.pack for a in store.attempts()] == [pack_name(folder)]
