"""`tutor progress`, `tutor reset`, `tutor paths` (on an SQLite file and on PostgreSQL, the `db`
fixture): the exports give back exactly what is stored."""

import csv
import os
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_runner import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tutor.cli import main
from tutor.progress import Attempt, Store, paths
from tutor.progress.store import storable

TRICKY_ANSWERS = ["2.2", "", "\r", "a,b", 'say "hi"', "line\nbreak", "cr\r\nlf", "사과 가격", "\x1b[31mred\x1b[0m",
                  "=cmd|' /C calc'!A0", "tab\there", "  spaces  ", "\u202eevil", "nul\x00byte", "🍎"]


def run(*args, input=None):
    # in English whatever the machine's locale (the commands speak the learner's language)
    return CliRunner(env={"TUTOR_LANG": "en"}).invoke(main, list(args), input=input)


def exported(*args):
    """The command's stdout exactly as written (\r\n kept)."""
    return run(*args).stdout


def from_csv(text):
    rows = list(csv.DictReader(io.StringIO(text, newline="")))
    return [Attempt(learner=r["learner"], pack=r["pack"], lesson=r["lesson"], problem=r["problem"],
                    seed=int(r["seed"]) if r["seed"] else None, answer=r["answer"], correct=r["correct"] == "1",
                    mistake=r["mistake"] or None, hints_used=int(r["hints_used"]), seconds=float(r["seconds"]),
                    at=r["at"], id=int(r["id"])) for r in rows]


def from_json(text):
    return [Attempt(**a) for a in json.loads(text)["attempts"]]


def record(db, answers, seeds=None, seconds=None):
    with Store.open(db) as store:
        for n, answer in enumerate(answers):
            store.record_attempt(Attempt("course", f"lesson-{n % 3}", f"p{n}", (seeds or [n])[n % len(seeds or [n])],
                                         answer, n % 2 == 0, "forward-value" if n % 2 else None, n % 3,
                                         (seconds or [n / 3])[n % len(seconds or [n])]))
        return store.attempts()


def test_csv_and_json_round_trip_tricky_answers(db):
    stored = record(db, TRICKY_ANSWERS, seeds=[None, 0, -5, 2**62], seconds=[0.1 + 0.2, 1e-300, 12345.678901234567])
    assert from_csv(exported("progress", "--csv", "--db", str(db))) == stored
    assert from_json(exported("progress", "--json", "--db", str(db))) == stored


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(answers=st.lists(st.text(max_size=30), min_size=1, max_size=5),
       seconds=st.lists(st.floats(min_value=0, max_value=1e9), min_size=1, max_size=3))
def test_csv_and_json_round_trip_any_text(tmp_path_factory, answers, seconds):
    db = tmp_path_factory.mktemp("rt") / "db"
    stored = record(db, answers, seconds=seconds)
    # Lone surrogates cannot be stored as UTF-8 (they become '?'), nor NUL in PostgreSQL (U+FFFD).
    # Everything else is kept as typed.
    assert [a.answer for a in stored] == [storable(a) for a in answers]
    assert from_csv(exported("progress", "--csv", "--db", str(db))) == stored
    assert from_json(exported("progress", "--json", "--db", str(db))) == stored


def test_csv_through_a_real_pipe(db):
    stored = record(db, TRICKY_ANSWERS)
    out = subprocess.run([str(Path(sys.executable).parent / "tutor"), "progress", "--csv", "--db", db],
                         capture_output=True, check=True).stdout.decode()
    assert from_csv(out) == stored


def test_progress_table_shows_solved_of_total_and_first_try(tmp_path, db):
    lessons = tmp_path / "lessons"
    lessons.mkdir()
    (lessons / "01-one.md").write_text(LESSON.format(id="one"), encoding="utf-8")
    (lessons / "02-two.md").write_text(LESSON.format(id="two"), encoding="utf-8")
    from tutor.authoring.pack import pack_name

    pack = pack_name(lessons)
    with Store.open(db) as store:
        store.record_attempt(Attempt(pack, "two", "a", None, "220", True))
        store.record_attempt(Attempt(pack, "two", "b", None, "1", False))
        store.record_attempt(Attempt(pack, "two", "b", None, "2.2", True))
    out = run("progress", "--db", db, "--lessons", str(lessons), "--lang", "en").output
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["lesson", "solved"]
    assert lines[1].split()[:3] == ["one", "0/2", "-"]
    assert lines[2].split()[:3] == ["two", "2/2", "50%"]
    data = json.loads(run("progress", "--json", "--db", db, "--lessons", str(lessons)).output)
    assert [(r["lesson"], r["solved"], r["total"]) for r in data["lessons"]] == [("one", 0, 2), ("two", 2, 2)]


LESSON = """---
id: {id}
title: 레슨
graphs:
  g:
    inputs: {{x: 2, y: 110}}
    nodes: {{z: x * y}}
    output: z
problems:
  - id: a
    answer: value(z)
    prompt: z는?
  - id: b
    answer: grad(y)
    prompt: y의 기울기는?
---
{{{{blank a}}}} {{{{blank b}}}}
"""


def test_progress_without_a_database_creates_none(tmp_path):
    result = run("progress", "--db", str(tmp_path / "none.db"), "--lang", "en")
    assert result.exit_code == 0 and "No progress recorded yet" in result.output
    assert not (tmp_path / "none.db").exists()


def test_reset_asks_and_no_answer_deletes_nothing(db):
    record(db, ["1", "2"])
    result = run("reset", "--db", db, input="n\n")
    assert result.exit_code == 1 and "Nothing was deleted" in result.output
    assert run("reset", "--db", db, input="").exit_code == 1  # end of input is not a yes
    assert len(Store.open(db).attempts()) == 2
    assert not paths(db).backups.exists()


def test_reset_one_lesson_after_yes_writes_a_backup_and_says_where(db):
    record(db, ["1", "2", "3", "4"])
    result = run("reset", "--db", db, "--lesson", "lesson-1", input="y\n")
    assert result.exit_code == 0
    [backup] = paths(db).backups.iterdir()
    assert str(backup) in result.output
    assert {a.lesson for a in Store.open(db).attempts()} == {"lesson-0", "lesson-2"}
    assert len(Store.open(backup).attempts()) == 4
    assert run("reset", "--db", db, "--yes").exit_code == 0
    assert Store.open(db).attempts() == []


def test_reset_of_an_unknown_lesson_names_the_known_ones(tmp_path):
    db = tmp_path / "db"
    record(db, ["1"])
    result = CliRunner().invoke(main, ["reset", "--db", str(db), "--lesson", "nope", "--yes"])
    assert result.exit_code == 1 and "lesson-0" in result.output


def test_paths_prints_where_everything_lives(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("TUTOR_DB", raising=False)
    out = run("paths").output
    assert f"database:   {tmp_path / 'progress.sqlite3'}" in out
    assert f"backups:    {tmp_path / 'backups'}" in out
    assert "crash logs:" in out and "data:" in out
    assert f"outbox:     {tmp_path / 'outbox.sqlite3'}" in out
    monkeypatch.setenv("TUTOR_LEARNER", "minji")
    out = run("paths", "--db", "postgresql://tutor:s3cr%40t@db.example/class").output
    assert "learner:    minji" in out and "database:   postgresql://tutor:***@db.example/class" in out
    assert "s3cr" not in out


def test_progress_commands_do_not_import_textual(tmp_path):
    code = ("import sys; from tutor.cli import main\n"
            "try: main(['paths'])\n"
            "except SystemExit: pass\n"
            "assert 'textual' not in sys.modules and 'numpy' not in sys.modules, 'imported'")
    subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, env={"TUTOR_DATA_DIR": str(tmp_path),
                   "PATH": "/usr/bin:/bin"})


def test_exports_shown_on_a_terminal_cannot_drive_it():
    from tutor.progress.commands import shown_safely

    assert shown_safely("a\x1b]52;c;aGk=\x07\u202eb\n\tc") == "a\\u001b]52;c;aGk=\\u0007\\u202eb\n\tc"


def test_reset_with_lessons_forgets_only_that_folders_progress(tmp_path):
    """Progress is kept per lessons folder: `--lessons DIR` (as on `tutor start`/`quiz`) resets that one."""
    from tutor.authoring.pack import pack_name

    db, folder = tmp_path / "db", tmp_path / "mine"
    folder.mkdir()
    with Store.open(db) as store:
        for pack in ("course", pack_name(folder)):
            store.record_attempt(Attempt(pack, "apple-backward", "p1", 1, "2.2", True))
    result = run("reset", "--db", str(db), "--lessons", str(folder), input="y\n")
    assert result.exit_code == 0 and str(folder) in result.output
    assert [a.pack for a in Store.open(db).attempts()] == ["course"]
    result = run("reset", "--db", str(db), "--lessons", str(folder), "--lesson", "apple-backward", "--yes")
    assert result.exit_code == 1 and "No progress for lesson" in result.output  # not the course's lesson


# ---- a class's database: passwords stay secret ------------------------------------------------------

PASSWORD = "pa55/w0rd?&é"  # characters a URL must percent-encode


@pytest.fixture
def class_db(pg_cluster):
    """A database that its owner logs in to with PASSWORD (scram-sha-256), and that owner's URL."""
    from pg_cluster import PASSWORD_ROLE

    pg_cluster.create_password_role(PASSWORD)
    name = pg_cluster.create_database(owner=PASSWORD_ROLE)
    return name, pg_cluster.url(name, user=PASSWORD_ROLE, password=PASSWORD)


def tutor(*args, env, input=""):
    """A tutor command in its own process: everything it printed, stdout and stderr."""
    run = subprocess.run([str(Path(sys.executable).parent / "tutor"), *args], input=input, capture_output=True,
                         text=True, env=env, timeout=120)
    return run.returncode, run.stdout + run.stderr


def test_a_password_never_appears_in_any_output(class_db, pg_cluster, tmp_path):
    from urllib.parse import quote

    name, url = class_db
    env = {**os.environ, "TUTOR_DATA_DIR": str(tmp_path / "data"), "TUTOR_LANG": "en", "TUTOR_LEARNER": "minji"}
    wrong = url.replace(quote(PASSWORD, safe=""), quote("not-" + PASSWORD, safe=""))
    quiz = ["quiz", "--plain", "--count=2", "--all"]
    said = [tutor(*args, "--db", url, env=env, input="1\n2\n")[1] for args in (
        ["paths"], quiz, ["progress"], ["progress", "--json"], ["progress", "--csv"], ["reset", "--yes"])]
    said += [tutor(*args, env={**env, "TUTOR_DB": url}, input="1\n2\n")[1] for args in (["paths"], quiz)]
    said += [tutor(*args, "--db", wrong, env=env, input="1\n2\n")[1] for args in (["progress"], quiz)]
    pg_cluster.stop()
    try:
        said.append(tutor("quiz", "--plain", "--count=2", "--all", "--db", url, env=env, input="1\n2\n")[1])
    finally:
        pg_cluster.start()
    crash = ("import sys\nfrom tutor.progress import Store\nfrom tutor.app.main import write_crash_log\n"
             "Store.open(sys.argv[1]).close()\n"
             "print(open(write_crash_log(RuntimeError('cannot use ' + sys.argv[1]))).read())")
    said.append(subprocess.run([sys.executable, "-c", crash, url], capture_output=True, text=True, env=env).stdout)
    assert "Answers of" not in said[-2] and "postgresql://tutor_pw:***@/" in said[-2]  # the warnings name it
    assert "cannot use postgresql://tutor_pw:***@/" in said[-1]  # the crash log too, without the password
    assert "password authentication failed" in "".join(said)  # the wrong one was refused, and said so
    for text in said:
        for secret in (PASSWORD, quote(PASSWORD, safe=""), "not-" + PASSWORD):
            assert secret not in text


def test_pgpassfile_and_pgservice_give_the_password(class_db, pg_cluster, tmp_path):
    from pg_cluster import PASSWORD_ROLE

    name, url = class_db
    with Store.open(url, learner="minji") as store:
        store.record_attempt(Attempt("course", "apple-backward", "d-tax", None, "1.1", True))
    passfile = tmp_path / "pgpass"
    passfile.write_text(f"*:*:*:{PASSWORD_ROLE}:{PASSWORD}\n")
    passfile.chmod(0o600)
    services = tmp_path / "pg_service.conf"
    services.write_text(f"[class]\nhost={pg_cluster.socket_dir}\ndbname={name}\nuser={PASSWORD_ROLE}\n")
    env = {**os.environ, "TUTOR_DATA_DIR": str(tmp_path / "data"), "TUTOR_LANG": "en", "TUTOR_LEARNER": "minji",
           "PGPASSFILE": str(passfile), "PGSERVICEFILE": str(services)}
    for where in ({"TUTOR_DB": pg_cluster.url(name, user=PASSWORD_ROLE)},  # the password from PGPASSFILE
                  {"TUTOR_DB": "postgresql://?service=class"}, {"TUTOR_DB": "postgresql://", "PGSERVICE": "class"}):
        code, out = tutor("progress", "--csv", env={**env, **where})
        assert code == 0 and out.splitlines()[1:] and out.splitlines()[1].split(",")[1:3] == ["minji", "course"], out
