"""`tutor report` over a class of synthetic learners (bench/synthetic_class.py: every answer graded by the
tutor's own grader, so every diagnosed mistake is one the grader really names). The same class kept in
per-learner SQLite files and in one PostgreSQL database reports byte for byte the same; the outputs are
golden files (UPDATE_GOLDEN=1 writes them); the report never writes; pseudonyms, the stuck-now rule
(with an injected clock) and the live screen (Pilot) each have a test."""

import csv
import hashlib
import io
import os
import random
import sqlite3
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tutor.classreport.command import ReportRequest, load_course, run_report
from tutor.classreport.figures import STUCK_WRONG, build_report
from tutor.classreport.output import report_text
from tutor.classreport.pseudonyms import KEY_FILE
from tutor.lessons import text
from tutor.progress import Attempt, Store, timestamp
from tutor.progress.reading import ClassRows, read_class
from tutor.render.mistake_names import KIND_NAMES

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.synthetic_class import learner_attempts, record_learner  # noqa: E402

GOLDEN = Path(__file__).parent / "golden"
LEARNERS = ["alice", "bob", "민수", "지영", "carol", "dave"]
LESSONS, PACK = load_course(None)
CLASS_LESSONS = LESSONS[:5]


@pytest.fixture(scope="module")
def synthetic():
    """Each learner's attempts and reveals, the same every run."""
    return {name: learner_attempts(CLASS_LESSONS, PACK, name, random.Random(i)) for i, name in enumerate(LEARNERS)}


def sqlite_class(folder: Path, synthetic) -> Path:
    """The class as `tutor serve` keeps it without a database: one SQLite file per learner."""
    for name, (attempts, revealed) in synthetic.items():
        with Store.open(str(folder / "learners" / name / "progress.sqlite3"), learner=name) as store:
            record_learner(store, CLASS_LESSONS, PACK, attempts, revealed)
    return folder


def postgres_class(url: str, synthetic) -> str:
    for name, (attempts, revealed) in synthetic.items():
        with Store.open(url, learner=name) as store:
            record_learner(store, CLASS_LESSONS, PACK, attempts, revealed)
    return url


def report_output(capsys, request: ReportRequest, fmt: str, section: str = "problems") -> str:
    assert run_report(request, fmt, section, live=False, ascii=False) == 0
    return capsys.readouterr().out


def request_for(class_dir=None, db=None, lang="en", pseudonyms=False, lesson=None) -> ReportRequest:
    return ReportRequest(class_dir, db, None, lesson, pseudonyms, 15, lang)


def matches_golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(text, encoding="utf-8")
    assert text == path.read_text(encoding="utf-8")


def test_sqlite_files_and_postgresql_give_the_same_report_which_is_the_golden_one(tmp_path, pg_url, synthetic,
                                                                                  capsys):
    folder = sqlite_class(tmp_path / "class", synthetic)
    url = postgres_class(pg_url, synthetic)
    for section in ("problems", "learners"):
        from_files = report_output(capsys, request_for(class_dir=folder), "csv", section)
        from_postgres = report_output(capsys, request_for(db=url), "csv", section)
        assert from_files == from_postgres
        matches_golden(f"report-{section}.csv", from_files)
    from_files = report_output(capsys, request_for(class_dir=folder, lang="ko"), "json")
    assert from_files == report_output(capsys, request_for(db=url, lang="ko"), "json")
    matches_golden("report.ko.json", from_files)
    # Run to run, byte for byte: the table too.
    assert report_output(capsys, request_for(class_dir=folder), "table") == \
        report_output(capsys, request_for(class_dir=folder), "table")


def test_the_figures_are_those_of_the_attempts(tmp_path, synthetic):
    """Each figure recomputed here from the generated attempts, not from the store."""
    import json

    folder = sqlite_class(tmp_path / "class", synthetic)
    report = request_for(class_dir=folder).report()
    lesson, problem = CLASS_LESSONS[0].id, CLASS_LESSONS[0].problems[2].id
    figures = next(f for f in report.problems if (f.lesson, f.problem) == (lesson, problem))
    tries = {name: [a for a in attempts if (a.lesson, a.problem) == (lesson, problem)]
             for name, (attempts, _) in synthetic.items()}
    shown = {name for name, (_, revealed) in synthetic.items() if (lesson, problem) in revealed}
    tried = [name for name in LEARNERS if tries[name] or name in shown]
    assert figures.tried == len(tried)
    assert figures.first_try == pytest.approx(sum(bool(tries[n]) and tries[n][0].correct for n in tried) / len(tried))
    assert figures.revealed == pytest.approx(len(shown) / len(tried))
    made = {}
    for name in tried:
        for kind in {a.mistake for a in tries[name] if a.mistake}:
            made[kind] = made.get(kind, 0) + 1
    assert sorted(m.learners for m in figures.mistakes) == sorted(made.values(), reverse=True)[:3][::-1]
    assert json.loads(json.dumps([m.name for m in figures.mistakes]))  # names, in words
    assert not set(made) & {m.name for m in figures.mistakes}  # never an id


def test_mistakes_are_named_never_by_id(tmp_path, synthetic, capsys):
    import re

    source = (Path(__file__).resolve().parents[1] / "tutor" / "grading" / "mistakes.py").read_text(encoding="utf-8")
    kinds = set(re.findall(r'Suspect\("([^"]+)"', source))
    assert kinds and kinds <= set(KIND_NAMES)  # every kind the engine diagnoses has a name
    folder = sqlite_class(tmp_path / "class", synthetic)
    for lang in ("en", "ko"):
        table = report_output(capsys, request_for(class_dir=folder, lang=lang), "table")
        assert not [kind for kind in kinds if kind in table]


def file_state(folder: Path) -> dict:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and p.name != KEY_FILE}


def test_the_report_never_writes(tmp_path, pg_url, synthetic, capsys):
    folder = sqlite_class(tmp_path / "class", synthetic)
    before = file_state(folder)
    for fmt in ("table", "csv", "json"):
        report_output(capsys, request_for(class_dir=folder), fmt)
    assert file_state(folder) == before  # no byte changed, no -wal or -shm file made
    url = postgres_class(pg_url, synthetic)
    with Store.open(url, learner="alice") as store:
        counted = len(store.class_attempts()), store.class_problems()
    report_output(capsys, request_for(db=url), "json")
    with Store.open(url, learner="alice") as store:
        assert (len(store.class_attempts()), store.class_problems()) == counted
    # The connection the report reads on cannot write, whatever it is asked.
    import psycopg

    from tutor.progress.postgres import PostgresBackend
    from tutor.progress.target import Secret

    reader = PostgresBackend(Secret(url), tmp_path, read_only=True)
    with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        reader._connection().execute("DELETE FROM attempts")
    reader.close()


def test_pseudonyms_are_stable_and_not_the_names(tmp_path, synthetic, capsys):
    folder = sqlite_class(tmp_path / "class", synthetic)
    first = report_output(capsys, request_for(class_dir=folder, pseudonyms=True), "csv", "learners")
    again = report_output(capsys, request_for(class_dir=folder, pseudonyms=True), "csv", "learners")
    assert first == again
    names = [line.split(",")[0] for line in first.splitlines()[1:]]
    assert len(set(names)) == len(LEARNERS)
    assert not [learner for learner in LEARNERS for shown in names if learner in shown]
    assert not [learner for learner in LEARNERS if learner in report_output(
        capsys, request_for(class_dir=folder, pseudonyms=True), "json")]
    assert (folder / KEY_FILE).stat().st_mode & 0o077 == 0  # the key: its owner's alone
    # Another class (another key): other pseudonyms for the same names.
    other = sqlite_class(tmp_path / "other", synthetic)
    assert report_output(capsys, request_for(class_dir=other, pseudonyms=True), "csv", "learners") != first


NOW = datetime(2026, 12, 3, 10, 0, tzinfo=timezone.utc)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_a_wrong_option_is_counted_by_the_option_picked(tmp_path, capsys, lang):
    """A choice blank's wrong options the author names no mistake for are counted by the option's text,
    from what the grader recorded for each learner's pick (not lumped as "other wrong answers")."""
    from tutor.grading import grade

    def unnamed(problem) -> list:
        named = {m.answer for m in problem.mistakes}
        return [o for o in problem.options if o.id != problem.answer and o.id not in named]

    lesson, problem = next((lesson, p) for lesson in CLASS_LESSONS for p in lesson.problems
                           if p.type == "choice" and unnamed(p))
    picks = unnamed(problem)
    inst = lesson.instance()
    attempts = {}
    for k, name in enumerate(["ann", "bo", "cy"]):
        option = picks[k % len(picks)]
        verdict = grade(inst, problem.id, option.id)
        attempts[name] = ([Attempt(PACK, lesson.id, problem.id, None, option.id, verdict.correct, verdict.mistake,
                                   0, 5.0, timestamp(NOW - timedelta(minutes=30 - k)), learner=name)], [])
    folder = sqlite_class(tmp_path / "class", attempts)
    figures = next(f for f in request_for(class_dir=folder, lang=lang).report().problems if f.problem == problem.id)
    picked = "picked" if lang == "en" else "고른 보기"
    expected = {f"{picked}: {text(o.text, lang)}": sum(picks[k % len(picks)] is o for k in range(3)) for o in picks}
    assert {m.name: m.learners for m in figures.mistakes} == expected
    assert KIND_NAMES[None][lang == "en"] not in {m.name for m in figures.mistakes}


def attempt(learner: str, problem: str, minutes_ago: float, correct: bool = False, mistake: str | None = None):
    lesson = CLASS_LESSONS[3]
    return {"learner": learner, "pack": PACK, "lesson": lesson.id, "problem": problem, "correct": correct,
            "mistake": mistake, "at": timestamp(NOW - timedelta(minutes=minutes_ago))}


def test_stuck_now_is_three_wrong_at_one_blank_in_the_window_and_no_right_one():
    blank, other_blank = CLASS_LESSONS[3].problems[0].id, CLASS_LESSONS[3].problems[1].id
    rows = ClassRows(recent=[
        *(attempt("stuck", blank, m, mistake=k) for m, k in ((12, "own-input"), (8, "own-input"), (3, "sign-flip"))),
        *(attempt("recovered", blank, m) for m in (9, 8, 7)), attempt("recovered", blank, 6, correct=True),
        *(attempt("long-ago", blank, m) for m in (40, 35, 30)),
        *(attempt("two-wrong", blank, m) for m in (5, 4)),
        *(attempt("spread", p, m) for p, m in ((blank, 5), (blank, 4), (other_blank, 3))),
    ])
    report = build_report(rows, LESSONS, PACK, "en", NOW, stuck_minutes=15)
    assert [(s.learner, s.problem, s.wrong) for s in report.stuck] == [("stuck", blank, STUCK_WRONG)]
    assert report.stuck[0].mistake == KIND_NAMES["own-input"][1]  # the one they repeat, by name
    assert report.stuck[0].since == timestamp(NOW - timedelta(minutes=12))
    tie = ClassRows(recent=[attempt("tie", blank, m, mistake=k) for m, k in ((9, None), (8, "own-input"),
                                                                            (7, None), (6, "own-input"))])
    [stuck] = build_report(tie, LESSONS, PACK, "en", NOW, stuck_minutes=15).stuck
    assert stuck.mistake == KIND_NAMES["own-input"][1]  # on a tie, the mistake that has a name
    # The clock moves on: 20 minutes later nobody is stuck now.
    assert build_report(rows, LESSONS, PACK, "en", NOW + timedelta(minutes=20), 15).stuck == []


def test_a_class_folder_that_cannot_be_read_is_said_not_a_traceback(tmp_path, synthetic, capsys):
    folder = sqlite_class(tmp_path / "class", synthetic)
    broken = folder / "learners" / "zed" / "progress.sqlite3"
    broken.parent.mkdir()
    broken.write_bytes(b"not a database at all" * 100)
    out = report_output(capsys, request_for(class_dir=folder), "table")
    assert "zed" in out and "could not be read" in out
    assert run_report(request_for(), "table", "problems", live=False, ascii=False) == 2
    assert "--class" in capsys.readouterr().err
    assert run_report(request_for(class_dir=tmp_path / "nothing"), "table", "problems", False, False) == 2
    assert "no class" in capsys.readouterr().err.lower()
    assert run_report(request_for(class_dir=folder, lesson="no-such"), "table", "problems", False, False) == 2
    assert "no-such" in capsys.readouterr().err


def test_outside_text_is_never_markup_escape_or_formula(tmp_path, capsys):
    hostile = "=HYPERLINK(\"x\")[bold]\x1b]52;c;aGk=\x07"
    with Store.open(str(tmp_path / "one.sqlite3"), learner="x") as store:
        store.record_attempt(Attempt(PACK, CLASS_LESSONS[0].id, CLASS_LESSONS[0].problems[0].id, None, "1", False))
    # A name no store would take, as a database written by something else may hold it.
    with sqlite3.connect(tmp_path / "one.sqlite3") as conn:
        for table in ("attempts", "problems"):
            conn.execute(f"UPDATE {table} SET learner = ?", (hostile,))
    conn.close()
    table = report_output(capsys, request_for(db=str(tmp_path / "one.sqlite3")), "table")
    assert "[bold]" in table and "\x1b" not in table and "\x07" not in table
    csv_text = report_output(capsys, request_for(db=str(tmp_path / "one.sqlite3")), "csv", "learners")
    assert next(csv.reader(io.StringIO(csv_text.splitlines()[1])))[0].startswith("'=HYPERLINK")


def test_the_table_fits_its_width_and_ascii_mode_draws_ascii(tmp_path, synthetic):
    from rich.cells import cell_len

    folder = sqlite_class(tmp_path / "class", synthetic)
    for lang in ("ko", "en"):
        report = request_for(class_dir=folder, lang=lang).report()
        for width in (80, 120):
            assert max(cell_len(line) for line in report_text(report, lang, 15, width).splitlines()) <= width
        assert not set("█░─") & set(report_text(report, lang, 15, 100, ascii=True))
        assert text(CLASS_LESSONS[0].title, lang) in report_text(report, lang, 15, 120)


@pytest.mark.anyio
async def test_the_live_screen_shows_a_new_attempt(tmp_path, synthetic, wait_for, screen_text):
    from tutor.app.class_report import ClassReportApp

    folder = sqlite_class(tmp_path / "class", dict(list(synthetic.items())[:2]))
    app = ClassReportApp(request_for(class_dir=folder), refresh_seconds=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: "Class report: 2 learners" in screen_text(app))
        assert "palette" not in screen_text(app)  # the key bar offers the report's own keys only
        with Store.open(str(folder / "learners" / "newcomer" / "progress.sqlite3"), learner="newcomer") as store:
            store.record_attempt(Attempt(PACK, CLASS_LESSONS[0].id, CLASS_LESSONS[0].problems[0].id, None, "1", False))
        await wait_for(pilot, lambda: "Class report: 3 learners" in screen_text(app))
        assert "newcomer" in [figures.learner for figures in app.report.learners]  # the table below the fold


def test_the_live_report_without_a_terminal_says_so_and_how_to_print_it_once(tmp_path, synthetic, capsys):
    folder = sqlite_class(tmp_path / "class", synthetic)
    assert run_report(request_for(class_dir=folder), "table", "problems", live=True, ascii=False) == 2  # no tty here
    said = capsys.readouterr().err
    assert said.startswith("tutor report --live needs a terminal") and "Without --live" in said
    assert "tutor start" not in said and "quiz" not in said


def test_a_class_served_with_its_own_lessons_is_reported_on_them_without_being_told_again(tmp_path, capsys):
    """`tutor serve --lessons DIR` keeps DIR in the class folder; `tutor report` with no --lessons read the
    bundled course's progress only and said the class had no learners."""
    import shutil

    from tutor.authoring.pack import load_pack
    from tutor.lessons import bundled_lessons_dir
    from tutor.progress.classfolder import record

    own = tmp_path / "our-lessons"
    own.mkdir()
    for lesson in CLASS_LESSONS[:2]:
        shutil.copy(lesson.path, own / lesson.path.name)
    pack = load_pack(own)
    assert pack.id != PACK
    folder = tmp_path / "class"
    attempts, revealed = learner_attempts(pack.lessons, pack.id, "민수", random.Random(0))
    with Store.open(str(folder / "learners" / "민수" / "progress.sqlite3"), learner="민수") as store:
        record_learner(store, pack.lessons, pack.id, attempts, revealed)
    assert "0 learners" in report_output(capsys, request_for(class_dir=folder), "table")  # as before the serve
    record(folder, "lessons", str(own))  # what `tutor serve --class … --lessons DIR` does
    out = report_output(capsys, request_for(class_dir=folder), "table")
    assert "Class report: 1 learner\n" in out and "민수" in out
    record(folder, "lessons", None)  # served with the bundled course again
    assert "0 learners" in report_output(capsys, request_for(class_dir=folder), "table")
    assert str(bundled_lessons_dir()) != str(own)
