"""Every command speaks the learner's language (issue 18): TUTOR_LANG, else the locale, as the app
chooses it; and the scaffold's Korean is in 합니다체. `tutor check`'s lesson errors are the author's and
stay as the loader words them."""

import re

import pytest
from cli_runner import CliRunner

from tutor.cli import main
from tutor.lessons import bundled_lessons_dir
from tutor.messages import say
from tutor.progress import Attempt, Store, learner_name

APPLES = str(next(bundled_lessons_dir().glob("*apple-backward.md")))


def run(env: dict, *args, input=None):
    return CliRunner(env={"TUTOR_LANG": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": None, **env}).invoke(
        main, list(args), input=input)


def with_progress(db) -> None:
    with Store.open(db) as store:
        store.record_attempt(Attempt("course", "apple-backward", "d-tax", None, "1", False, None, 0, 1.0))


@pytest.mark.parametrize("env, lang", [({"TUTOR_LANG": "en"}, "en"), ({"LANG": "en_US.UTF-8"}, "en"),
                                       ({"LANG": "ko_KR.UTF-8"}, "ko"), ({"TUTOR_LANG": "ko", "LANG": "en_US.UTF-8"}, "ko")])
def test_reset_asks_and_answers_in_the_learners_language(tmp_path, env, lang):
    db = tmp_path / "p.db"
    with_progress(db)
    result = run(env, "reset", "--db", str(db), input="n\n")
    assert result.exit_code == 1
    learner = learner_name()  # whose progress it is, as the store names it
    asked = say("reset-ask", lang, what=say("reset-what-all", lang, learner=learner), count=1, path=db)
    assert asked in result.output and say("reset-kept", lang) in result.output


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_grade_errors_in_the_learners_language(lang):
    result = run({"TUTOR_LANG": lang}, "grade", APPLES, "no-such-blank", "2")
    assert result.exit_code == 2
    assert ("없습니다" in result.output) == (lang == "ko")
    assert "no-such-blank" in result.output and "d-tax" in result.output


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_paths_and_start_without_a_terminal_in_the_learners_language(tmp_path, lang):
    out = run({"TUTOR_LANG": lang, "TUTOR_DATA_DIR": str(tmp_path)}, "paths").output
    assert say("path-database", lang) + ":" in out
    started = run({"TUTOR_LANG": lang}, "start")  # CliRunner's stdin is no terminal
    assert started.exit_code == 2 and say("no-tty-stdin", lang) in started.output


def test_progress_and_grade_agree_on_the_language_with_the_locale(tmp_path):
    """`tutor reset` asked in English while `tutor progress` answered in Korean: one rule for all."""
    db = tmp_path / "p.db"
    with_progress(db)
    env = {"LANG": "en_US.UTF-8"}
    assert "solved" in run(env, "progress", "--db", str(db)).output.splitlines()[0]
    assert "Delete" in run(env, "reset", "--db", str(db), input="n\n").output
    assert not re.search("[가-힣]", run(env, "grade", APPLES, "d-tax", "1").output)


def test_the_scaffold_writes_korean_in_hapnida_style():
    from tutor.lessons.scaffold import scaffold

    korean = re.findall(r"[가-힣][가-힣 ,.·]*[.?!]", scaffold("x"))
    assert korean
    casual = [s for s in korean if re.search(r"(어요|아요|해요|에요|예요|죠)[.?!]$", s)]
    assert casual == []
    assert any(s.endswith("니다.") for s in korean)
