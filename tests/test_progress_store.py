"""The progress store on both backends (the `db` fixture: an SQLite file, then a fresh database of a
throwaway PostgreSQL cluster): its API, learners, resets, schema versions; then each backend's own
cases: SQLite's damaged files, read-only places and migrations; PostgreSQL's URLs, passwords and
migrations under a lock."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tutor.progress import Attempt, ProblemState, Store, paths
from tutor.progress import sqlite as sqlite_module
from tutor.progress.sqlite import schema_version


def attempt(problem="p1", correct=True, lesson="apple", pack="bundled", **more):
    return Attempt(pack, lesson, problem, more.pop("seed", None), more.pop("answer", "2.2"), correct, **more)


def fill(db, count=300):
    """A database with `count` attempts over several pages; returns their answers."""
    with Store.open(db) as store:
        for n in range(count):
            store.record_attempt(attempt(f"p{n % 9}", n % 2 == 0, answer=f"answer {n} " * 8))
    return count


def row_count(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0]
    finally:
        conn.close()


# ---- the API, on both backends --------------------------------------------------------------


def test_problem_state_follows_attempts_reveals_and_reviews(db):
    with Store.open(db) as store:
        assert store.warning is None
        assert store.problem_state("bundled", "apple", "p1") == ProblemState()
        store.record_attempt(attempt("p1", False, mistake="forward-value", hints_used=1))
        store.record_attempt(attempt("p1", True, hints_used=2))
        store.record_attempt(attempt("p2", True))
        store.mark_revealed("bundled", "apple", "p3")
        store.record_attempt(attempt("p3", True))
        store.set_review("bundled", "apple", "p2", 3, "2026-12-01T00:00:00.000000+00:00")
        p1, p2, p3 = (store.problem_state("bundled", "apple", p) for p in ("p1", "p2", "p3"))
    assert (p1.solved, p1.solved_first_try, p1.attempts, p1.hints_used) == (True, False, 2, 2)
    assert (p2.solved, p2.solved_first_try, p2.box, p2.due) == (True, True, 3, "2026-12-01T00:00:00.000000+00:00")
    assert (p3.solved, p3.solved_first_try, p3.revealed) == (True, False, True)


def test_state_survives_reopening_and_resume_points_at_the_next_unsolved_blank(db):
    with Store.open(db) as store:
        store.set_position("bundled", "apple", "p1")
        store.record_attempt(attempt("p1", True))
        store.record_attempt(attempt("p2", False))
        store.record_hint("bundled", "apple", "p2", 1)
    with Store.open(db) as store:
        assert store.last_position("bundled") == ("apple", "p1")  # attempts do not move it
        assert store.first_unsolved("bundled", "apple", ["p1", "p2", "p3"]) == "p2"
        assert store.problem_state("bundled", "apple", "p2").hints_used == 1
        store.set_position("bundled", "chain-rule")
        assert store.last_position("bundled") == ("chain-rule", None)
        assert store.last_position("other-pack") is None


def test_lesson_summary_counts_and_a_changed_lesson_keeps_its_progress(db):
    with Store.open(db) as store:
        assert store.note_lesson("bundled", "apple", "hash-1", 3) is False
        store.record_attempt(attempt("p1", True))
        store.record_attempt(attempt("p2", False))
        store.record_attempt(attempt("p2", True))
        assert store.note_lesson("bundled", "apple", "hash-1", 3) is False
        assert store.note_lesson("bundled", "apple", "hash-2", 4) is True
        store.complete_lesson("bundled", "apple")
        [summary] = store.lesson_summary("bundled")
    assert (summary.lesson, summary.solved, summary.attempted, summary.solved_first_try) == ("apple", 2, 2, 1)
    assert (summary.problem_count, summary.attempts, summary.content_hash) == (4, 3, "hash-2")
    assert summary.first_try_accuracy == 0.5
    assert summary.changed_at is not None and summary.completed_at is not None
    assert summary.last_activity is not None


def test_reviews_lists_due_problems_earliest_first(db):
    with Store.open(db) as store:
        store.set_review("bundled", "apple", "late", 1, "2026-12-03T00:00:00.000000+00:00")
        store.set_review("bundled", "apple", "early", 2, "2026-12-01T00:00:00.000000+00:00")
        store.set_review("other", "apple", "x", 1, "2026-12-02T00:00:00.000000+00:00")
        assert [r.problem for r in store.reviews("bundled")] == ["early", "late"]
        assert [r.problem for r in store.reviews(due_by="2026-12-02T12:00:00.000000+00:00")] == ["early", "x"]
        assert store.review_state("bundled", "apple", "early") == (2, "2026-12-01T00:00:00.000000+00:00")


def test_reset_one_lesson_writes_a_backup_first_and_keeps_the_others(db):
    with Store.open(db) as store:
        store.record_attempt(attempt("p1", lesson="apple"))
        store.record_attempt(attempt("p1", lesson="chain"))
        backup = store.reset(lesson="apple")
        assert [a.lesson for a in store.attempts()] == ["chain"]
        assert store.problem_state("bundled", "apple", "p1") == ProblemState()
    assert backup.parent == paths(db).backups and backup.suffix == ".sqlite3"
    with Store.open(backup) as copy:  # a backup is a progress file tutor reads like any other
        assert [a.lesson for a in copy.attempts()] == ["apple", "chain"]
    with Store.open(db) as store:
        store.reset()
        assert store.attempts() == []


def test_answers_are_kept_as_typed_except_what_no_database_can_hold(db):
    answers = ["2.2", "사과 가격", "\x1b[31mred", "tab\there", "🍎", "nul\x00byte", "lone \ud800 surrogate"]
    with Store.open(db) as store:
        for answer in answers:
            store.record_attempt(attempt(answer=answer))
        stored = [a.answer for a in store.attempts()]
    assert stored[:5] == answers[:5]
    assert stored[5:] == ["nul\ufffdbyte", "lone ? surrogate"]  # PostgreSQL text cannot hold NUL


def test_attempt_ids_rise_and_every_field_comes_back(db):
    with Store.open(db, learner="ana") as store:
        first = store.record_attempt(attempt("p1", False, seed=2**62, mistake="sign-flip", hints_used=2,
                                             seconds=0.1 + 0.2, at="2026-01-01T00:00:00.000000+00:00"))
        second = store.record_attempt(attempt("p1", True, seed=-5))
        stored = store.attempts()
    assert second > first
    assert stored[0] == Attempt("bundled", "apple", "p1", 2**62, "2.2", False, "sign-flip", 2, 0.1 + 0.2,
                                "2026-01-01T00:00:00.000000+00:00", first, "ana")
    assert (stored[1].seed, stored[1].correct, stored[1].learner) == (-5, True, "ana")


# ---- learners ------------------------------------------------------------------------------


def test_one_learner_never_sees_anothers_rows(db):
    with Store.open(db, learner="ana") as ana, Store.open(db, learner="bo") as bo:
        ana.record_attempt(attempt("p1", True))
        ana.set_position("bundled", "apple", "p2")
        ana.set_review("bundled", "apple", "p1", 2, "2026-12-01T00:00:00.000000+00:00")
        ana.note_lesson("bundled", "apple", "h", 3)
        bo.record_attempt(attempt("p1", False))
        assert [a.correct for a in ana.attempts()] == [True] and [a.correct for a in bo.attempts()] == [False]
        assert ana.problem_state("bundled", "apple", "p1").solved and not bo.problem_state("bundled", "apple", "p1").solved
        assert bo.last_position("bundled") is None and bo.reviews() == []
        assert [s.problem_count for s in bo.lesson_summary()] == [None]  # bo's own row; ana's note is hers
        bo.reset()
        assert len(ana.attempts()) == 1 and bo.attempts() == []


def test_the_class_readers_see_every_learner(db):
    with Store.open(db, learner="ana") as ana, Store.open(db, learner="bo") as bo:
        ana.record_attempt(attempt("p1", True))
        bo.record_attempt(attempt("p1", False))
        bo.record_attempt(attempt("p2", True, lesson="chain"))
        assert ana.learners() == ["ana", "bo"]
        assert [(a.learner, a.problem) for a in ana.class_attempts()] == [("ana", "p1"), ("bo", "p1"), ("bo", "p2")]
        assert [(s.learner, s.lesson, s.solved) for s in bo.class_summary()] == [
            ("ana", "apple", 1), ("bo", "apple", 0), ("bo", "chain", 1)]
        assert [(r.learner, r.problem, r.state.solved) for r in ana.class_problems("bundled")] == [
            ("ana", "p1", True), ("bo", "p1", False), ("bo", "p2", True)]


def test_the_learner_comes_from_tutor_learner_then_the_user_name(db, monkeypatch):
    import getpass

    with Store.open(db) as store:
        assert store.learner == getpass.getuser()
    monkeypatch.setenv("TUTOR_LEARNER", "minji")
    with Store.open(db) as store:
        store.record_attempt(attempt())
        assert store.learner == "minji" and [a.learner for a in store.attempts()] == ["minji"]
    with pytest.raises(ValueError):
        Store.open(db, learner="\x1b[2J")
    with Store.open(db, learner="ana") as store, pytest.raises(ValueError):
        store.record_attempt(Attempt("bundled", "apple", "p1", None, "1", True, learner="minji"))


# ---- SQLite: the file -------------------------------------------------------------------------


def test_paths_follow_the_argument_then_tutor_db(tmp_path, monkeypatch):
    monkeypatch.setenv("TUTOR_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TUTOR_DB", raising=False)
    assert paths().database == tmp_path / "data" / "progress.sqlite3"
    assert paths().backups == tmp_path / "data" / "backups"
    monkeypatch.setenv("TUTOR_DB", str(tmp_path / "elsewhere" / "mine.db"))
    assert paths().database == tmp_path / "elsewhere" / "mine.db"
    assert paths().backups == tmp_path / "elsewhere" / "backups"
    assert paths(tmp_path / "arg.db").database == tmp_path / "arg.db"
    assert paths().crash_logs == tmp_path / "data" / "crash-logs"
    assert paths().outbox == tmp_path / "data" / "outbox.sqlite3"


def test_a_fresh_store_uses_wal_and_full_sync(tmp_path):
    with Store.open(tmp_path / "db") as store:
        conn = store._backend._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema_version()


def truncate(db):
    with open(db, "r+b") as f:
        f.truncate(os.path.getsize(db) // 2 + 100)


def random_bytes(db):
    db.write_bytes(os.urandom(8192))


def zero_bytes(db):
    db.write_bytes(b"")


def scribble_a_page(db):
    page_size = 4096
    middle = os.path.getsize(db) // page_size // 2  # a page of attempts: most of the file
    with open(db, "r+b") as f:
        f.seek(page_size * middle + 100)
        f.write(os.urandom(page_size - 200))


@pytest.mark.parametrize("damage", [truncate, random_bytes, zero_bytes, scribble_a_page])
def test_a_damaged_file_is_moved_aside_and_a_fresh_one_started(tmp_path, damage):
    db = tmp_path / "progress.sqlite3"
    fill(db)
    damage(db)
    damaged_bytes = db.read_bytes()
    with Store.open(db) as store:
        assert store.moved_aside is not None and store.moved_aside.name.startswith("progress.sqlite3.corrupt-")
        assert "damaged" in store.warning and str(store.moved_aside) in store.warning
        korean = store.warning_in("ko")  # the app and the quiz speak the learner's language
        assert "손상" in korean and str(store.moved_aside) in korean and "was damaged" not in korean
        assert "저장되지 않습니다" not in korean  # saving works: the fresh file is in place
        assert not store.read_only
        assert store.attempts() == []
        store.record_attempt(attempt())
    assert store.moved_aside.read_bytes() == damaged_bytes  # kept, byte for byte
    with Store.open(db) as store:
        assert store.warning is None and len(store.attempts()) == 1


def read_only_connections(monkeypatch):
    """SQLite's own read-only mode stands in for a read-only directory (tests run as root,
    where chmod does not stop writes)."""
    real = sqlite_module._connect

    def connect(target, uri=False):
        if uri or target == ":memory:":
            return real(target, uri)
        return real(f"file:{target}?mode=ro", uri=True)

    monkeypatch.setattr(sqlite_module, "_connect", connect)


def test_read_only_data_dir_without_a_database_goes_on_in_memory(tmp_path, monkeypatch):
    read_only_connections(monkeypatch)
    with Store.open(tmp_path / "db") as store:
        assert store.read_only and "not saved" in store.warning
        assert "저장되지 않습니다" in store.warning_in("ko")
        store.record_attempt(attempt("p1", True))
        assert store.problem_state("bundled", "apple", "p1").solved
    assert store.unsaved == 1 and "Answers of this session not saved: 1." in store.closing_words_in("en")


def test_read_only_database_shows_old_progress_and_keeps_the_file_as_it_was(tmp_path, monkeypatch):
    db = tmp_path / "db"
    fill(db, 10)
    before = db.read_bytes()
    read_only_connections(monkeypatch)
    with Store.open(db) as store:
        assert store.read_only and str(db) in store.warning
        assert len(store.attempts()) == 10
        store.record_attempt(attempt("new", True))
        assert len(store.attempts()) == 11
    assert db.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod")
def test_a_really_read_only_directory(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with Store.open(folder / "db") as store:
            assert store.read_only and store.warning
            store.record_attempt(attempt())
    finally:
        folder.chmod(0o700)


def test_a_newer_schema_opens_read_only_and_the_file_is_untouched(tmp_path):
    db = tmp_path / "db"
    fill(db, 5)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {schema_version() + 1}")
    conn.close()
    before = db.read_bytes()
    with Store.open(db) as store:
        assert store.read_only and "newer version" in store.warning
        assert len(store.attempts()) == 5
        store.record_attempt(attempt())
    assert db.read_bytes() == before


def first_release_file(db):
    """A database as the first release (schema 1, no learners) left it, rows in every table, built by
    SQL alone (not by the store)."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript(sqlite_module.MIGRATIONS[0])
    for n in range(50):
        conn.execute("INSERT INTO attempts (pack, lesson, problem, seed, answer, correct, at)"
                     " VALUES ('bundled', 'apple', ?, ?, ?, ?, '2026-01-01')", (f"p{n % 4}", n, f"a{n}", n % 2))
    conn.execute("INSERT INTO problems (pack, lesson, problem, solved) VALUES ('bundled', 'apple', 'p1', 1)")
    conn.execute("INSERT INTO lessons (pack, lesson, content_hash) VALUES ('bundled', 'apple', 'h')")
    conn.execute("INSERT INTO positions VALUES ('bundled', 'apple', 'p1', '2026-01-01')")
    conn.execute("PRAGMA user_version = 1")
    conn.close()


def dump(db, without=()):
    conn = sqlite3.connect(db)
    try:
        tables = {}
        for table in ("attempts", "problems", "lessons", "positions"):
            cursor = conn.execute(f"SELECT * FROM {table} ORDER BY rowid")
            names = [column[0] for column in cursor.description]
            tables[table] = [{k: v for k, v in zip(names, row) if k not in without} for row in cursor]
        return tables
    finally:
        conn.close()


def test_the_first_releases_file_is_migrated_with_a_backup_and_its_rows_become_the_learners(tmp_path):
    db = tmp_path / "db"
    first_release_file(db)
    before = dump(db)
    with Store.open(db, learner="minji") as store:
        assert store.warning is None
        assert store.last_backup is not None and store.last_backup.parent == tmp_path / "backups"
        assert [(a.id, a.answer, a.learner) for a in store.attempts()][:2] == [(1, "a0", "minji"), (2, "a1", "minji")]
        assert store.problem_state("bundled", "apple", "p1").solved
        assert store.last_position("bundled") == ("apple", "p1")
    after = dump(db, without=("learner", "uid"))
    assert after == before
    assert {row["learner"] for rows in dump(db).values() for row in rows} == {"minji"}
    assert len({row["uid"] for row in dump(db)["attempts"]}) == 50
    assert dump(store.last_backup) == before
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == schema_version()


def test_a_failing_migration_changes_nothing_and_the_learner_goes_on(tmp_path, monkeypatch):
    db = tmp_path / "db"
    first_release_file(db)
    before = dump(db)
    # It fails on this file's rows (every attempt is of one pack), not on an empty database.
    migrations = sqlite_module.MIGRATIONS + ["ALTER TABLE attempts ADD COLUMN device TEXT;\n"
                                             "CREATE UNIQUE INDEX one_per_pack ON attempts (pack);"]
    monkeypatch.setattr(sqlite_module, "MIGRATIONS", migrations)
    with Store.open(db) as store:
        assert store.read_only and store.warning
        assert len(store.attempts()) == 0  # the file's rows are from before learners: nobody's yet
    assert dump(db) == before
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == 1


def test_progress_imports_neither_textual_nor_numpy_nor_psycopg(tmp_path):
    code = ("import sys, tutor.progress; from tutor.progress import Store\n"
            f"Store.open({str(tmp_path / 'db')!r}).close()\n"
            "print(sorted(m for m in ('textual', 'numpy', 'psycopg') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


# ---- PostgreSQL: the URL, the server ---------------------------------------------------------------


def test_a_url_is_never_a_file(pg_url, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with Store.open(pg_url) as store:
        store.record_attempt(attempt())
    unreachable = "postgresql://tutor@/class?host=/nonexistent-socket-dir"
    with Store.open(unreachable) as store:
        assert store.needs_retry and "postgresql://tutor@/class" in store.warning
    assert {p.name for p in tmp_path.iterdir()} <= {"data"}  # the test's data directory, nothing else
    assert not any("postgres" in str(p) for p in tmp_path.rglob("*"))


def test_a_newer_schema_in_postgres_opens_read_only_and_changes_nothing(pg_url):
    import psycopg

    with Store.open(pg_url) as store:
        store.record_attempt(attempt())
    from tutor.progress.postgres import schema_version as pg_version

    with psycopg.connect(pg_url, autocommit=True) as conn:
        conn.execute("UPDATE tutor_schema SET version = %s", (pg_version() + 1,))
    with Store.open(pg_url) as store:
        assert store.read_only and "newer version" in store.warning
        assert len(store.attempts()) == 1  # what the database held, read into memory
        store.record_attempt(attempt("p2"))
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT COUNT(*) FROM attempts").fetchone()[0] == 1


def test_hosts_starting_at_once_migrate_once(pg_url):
    """Ten processes open a fresh database at the same moment: the schema is made under the
    advisory lock by one of them; every one of them then writes."""
    code = ("import sys\nfrom tutor.progress import Store, Attempt\n"
            "store = Store.open(sys.argv[1], learner=sys.argv[2])\n"
            "assert store.warning is None, store.warning\n"
            "store.record_attempt(Attempt('p', 'l', 'q', None, '1', True))\nstore.close()\n")
    processes = [subprocess.Popen([sys.executable, "-c", code, pg_url, f"host{n}"], stderr=subprocess.PIPE, text=True)
                 for n in range(10)]
    errors = [p.communicate(timeout=60)[1] for p in processes]
    assert [p.returncode for p in processes] == [0] * 10, errors
    with Store.open(pg_url) as store:
        assert store.learners() == sorted(f"host{n}" for n in range(10))


def test_a_failing_postgres_migration_changes_nothing(pg_url, monkeypatch):
    import psycopg

    from tutor.progress import postgres as postgres_module

    monkeypatch.setattr(postgres_module, "MIGRATIONS", postgres_module.MIGRATIONS + ["CREATE TABLE x (); NOT SQL"])
    with Store.open(pg_url) as store:
        assert store.read_only and "Cannot write progress" in store.warning
    with psycopg.connect(pg_url) as conn:
        assert conn.execute("SELECT to_regclass('attempts')").fetchone()[0] is None  # the first migration too


def test_without_psycopg_a_url_says_what_to_install(tmp_path):
    code = ("import sys; sys.modules['psycopg'] = None\n"
            "from tutor.progress import Store\n"
            "try:\n    Store.open('postgresql://u:pw@/db?host=/nowhere')\n"
            "except Exception as e:\n    print(type(e).__name__, e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True).stdout
    assert out.startswith("StoreError") and "pip install 'backprop-tutor[class]'" in out and "pw" not in out


# ---- the two backends agree ----------------------------------------------------------------------

LEARNERS = ("ana", "bo")
PACKS = ("course", "/home/ana/my lessons")
LESSON_IDS = ("apple", "chain", "relu")
PROBLEMS = ("p1", "p2", "p3")
DUES = ("2026-12-01T00:00:00.000000+00:00", "2026-12-02T00:00:00.000000+00:00", None)


def _operations():
    from hypothesis import strategies as st

    where = dict(pack=st.sampled_from(PACKS), lesson=st.sampled_from(LESSON_IDS))
    on_problem = dict(where, problem=st.sampled_from(PROBLEMS))
    return st.one_of(
        st.fixed_dictionaries(dict(on_problem, op=st.just("attempt"), correct=st.booleans(), answer=st.text(max_size=8),
                                   seed=st.none() | st.integers(-2**63, 2**63 - 1), hints_used=st.integers(0, 3),
                                   mistake=st.none() | st.sampled_from(["sign-flip", "forward-value"]),
                                   seconds=st.floats(0, 1e6))),
        st.fixed_dictionaries(dict(on_problem, op=st.just("hint"), hints_used=st.integers(0, 3))),
        st.fixed_dictionaries(dict(on_problem, op=st.just("revealed"))),
        st.fixed_dictionaries(dict(on_problem, op=st.just("review"), box=st.integers(0, 5), due=st.sampled_from(DUES))),
        st.fixed_dictionaries(dict(where, op=st.just("position"), problem=st.none() | st.sampled_from(PROBLEMS))),
        st.fixed_dictionaries(dict(where, op=st.just("lesson"), content_hash=st.sampled_from(["h1", "h2"]),
                                   problem_count=st.integers(1, 5))),
        st.fixed_dictionaries(dict(where, op=st.just("completed"))),
        st.fixed_dictionaries(dict(op=st.just("reset"), pack=st.none() | st.sampled_from(PACKS),
                                   lesson=st.none() | st.sampled_from(LESSON_IDS))),
    )


def _apply(store, step):
    op, args = step["op"], {k: v for k, v in step.items() if k != "op"}
    if op == "attempt":
        return store.record_attempt(Attempt(**args))
    calls = {"hint": store.record_hint, "revealed": store.mark_revealed, "review": store.set_review,
             "position": store.set_position, "lesson": store.note_lesson, "completed": store.complete_lesson,
             "reset": store.reset}
    result = calls[op](**args)
    return None if op == "reset" else result  # a backup's name has its own time in it


def _everything_read(store):
    return {
        "attempts": store.attempts(),
        "summary": store.lesson_summary(),
        "reviews": [store.reviews(pack, due_by) for pack in (None, *PACKS) for due_by in (None, DUES[0])],
        "states": [store.problem_states(pack, lesson) for pack in PACKS for lesson in LESSON_IDS],
        "positions": [store.last_position(pack) for pack in PACKS],
        "class": (store.learners(), store.class_attempts(), store.class_summary(), store.class_problems()),
    }


def test_both_backends_read_back_the_same_after_the_same_writes(pg_cluster, tmp_path_factory, monkeypatch):
    """The same random sequence of store operations — the two learners' writes interleaved — gives the
    same return values and the same reads on SQLite and on PostgreSQL."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    from tutor.progress import store as store_module

    @settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
    @given(steps=st.lists(st.tuples(st.sampled_from(LEARNERS), _operations()), max_size=30))
    def same_on_both(steps):
        results = []
        for db in (str(tmp_path_factory.mktemp("diff") / "progress.sqlite3"), pg_cluster.url(pg_cluster.create_database())):
            clock = iter(range(10**6))  # the same times on both runs
            monkeypatch.setattr(store_module, "timestamp", lambda: f"2026-01-01T00:00:00.{next(clock):06d}+00:00")
            stores = {learner: Store.open(db, learner=learner) for learner in LEARNERS}
            returned = [_apply(stores[learner], step) for learner, step in steps]
            results.append((returned, {learner: _everything_read(store) for learner, store in stores.items()}))
            for store in stores.values():
                assert store.warning is None
                store.close()
        assert results[0] == results[1]

    same_on_both()


# ---- fifty learners at once -----------------------------------------------------------------------

# One learner's process: 100 attempts as fast as it can, each id printed once its commit returned;
# at the end the answers left unsaved (0 expected) and whether the outbox was ever needed.
LEARNER = r"""
import sys
from tutor.progress import Attempt, Store
store = Store.open(sys.argv[1], learner=sys.argv[2])
waited = []
store.listen(waited.append)
for n in range(100):
    store.record_attempt(Attempt("course", f"lesson-{n % 4}", f"p{n % 7}", n, f"answer {n}", n % 3 == 0))
store.close()
print(store.unsaved, len(waited))
"""


def test_fifty_learners_writing_at_once_lose_nothing(db):
    learners = [subprocess.Popen([sys.executable, "-c", LEARNER, db, f"learner-{n:02d}"], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True) for n in range(50)]
    results = [learner.communicate(timeout=600) for learner in learners]
    assert [(learner.returncode, err) for learner, (_, err) in zip(learners, results)] == [(0, "")] * 50
    assert all(out.split()[0] == "0" for out, _ in results)  # nothing left unsaved in any of them
    with Store.open(db) as store:
        attempts = store.class_attempts()
        assert len(attempts) == 5000
        assert {(a.learner, a.seed) for a in attempts} == {(f"learner-{n:02d}", i) for n in range(50) for i in range(100)}
        assert len({a.id for a in attempts}) == 5000
        assert store.quick_check() == ["ok"]


def test_drafts_of_killed_processes_are_removed_and_a_live_ones_kept(tmp_path):
    """`_create` builds a new file as `.NAME.PID.new`; a process killed meanwhile leaves it behind."""
    db = tmp_path / "progress.sqlite3"
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    abandoned = tmp_path / f".progress.sqlite3.{dead.stdout.strip()}.new"
    alive = tmp_path / f".progress.sqlite3.{os.getppid()}.new"
    for draft in (abandoned, alive):
        draft.write_bytes(b"half made")
    Store.open(db).close()
    assert not abandoned.exists() and alive.exists()
