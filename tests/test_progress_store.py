"""The progress store: its API, damaged files, read-only places, a full disk, schema versions."""

import os
import sqlite3

import pytest

from tutor.progress import SCHEMA_VERSION, Attempt, ProblemState, Store, paths
from tutor.progress import store as store_module


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


# ---- the API ------------------------------------------------------------------------------


def test_problem_state_follows_attempts_reveals_and_reviews(tmp_path):
    with Store.open(tmp_path / "db") as store:
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


def test_state_survives_reopening_and_resume_points_at_the_next_unsolved_blank(tmp_path):
    db = tmp_path / "db"
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


def test_lesson_summary_counts_and_a_changed_lesson_keeps_its_progress(tmp_path):
    with Store.open(tmp_path / "db") as store:
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


def test_reviews_lists_due_problems_earliest_first(tmp_path):
    with Store.open(tmp_path / "db") as store:
        store.set_review("bundled", "apple", "late", 1, "2026-12-03T00:00:00.000000+00:00")
        store.set_review("bundled", "apple", "early", 2, "2026-12-01T00:00:00.000000+00:00")
        store.set_review("other", "apple", "x", 1, "2026-12-02T00:00:00.000000+00:00")
        assert [r.problem for r in store.reviews("bundled")] == ["early", "late"]
        assert [r.problem for r in store.reviews(due_by="2026-12-02T12:00:00.000000+00:00")] == ["early", "x"]
        assert store.review_state("bundled", "apple", "early") == (2, "2026-12-01T00:00:00.000000+00:00")


def test_reset_one_lesson_writes_a_backup_first_and_keeps_the_others(tmp_path):
    with Store.open(tmp_path / "db") as store:
        store.record_attempt(attempt("p1", lesson="apple"))
        store.record_attempt(attempt("p1", lesson="chain"))
        backup = store.reset(lesson="apple")
        assert [a.lesson for a in store.attempts()] == ["chain"]
        assert store.problem_state("bundled", "apple", "p1") == ProblemState()
    assert backup.parent == tmp_path / "backups"
    assert row_count(backup) == 2
    with Store.open(tmp_path / "db") as store:
        store.reset()
        assert store.attempts() == []


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


def test_a_fresh_store_uses_wal_and_full_sync(tmp_path):
    with Store.open(tmp_path / "db") as store:
        conn = store._conn
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


# ---- damaged files ----------------------------------------------------------------------------


def truncate(db):
    with open(db, "r+b") as f:
        f.truncate(os.path.getsize(db) // 2 + 100)


def random_bytes(db):
    db.write_bytes(os.urandom(8192))


def zero_bytes(db):
    db.write_bytes(b"")


def scribble_a_page(db):
    page_size = 4096
    with open(db, "r+b") as f:
        f.seek(page_size * 3 + 100)
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


# ---- places we cannot write to --------------------------------------------------------------


def read_only_connections(monkeypatch):
    """SQLite's own read-only mode stands in for a read-only directory (tests run as root,
    where chmod does not stop writes)."""
    real = store_module._connect

    def connect(target, uri=False):
        if uri or target == ":memory:":
            return real(target, uri)
        return real(f"file:{target}?mode=ro", uri=True)

    monkeypatch.setattr(store_module, "_connect", connect)


def test_read_only_data_dir_without_a_database_goes_on_in_memory(tmp_path, monkeypatch):
    read_only_connections(monkeypatch)
    with Store.open(tmp_path / "db") as store:
        assert store.read_only and "not saved" in store.warning
        assert "저장되지 않습니다" in store.warning_in("ko")
        store.record_attempt(attempt("p1", True))
        assert store.problem_state("bundled", "apple", "p1").solved


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


def test_a_full_disk_warns_and_the_session_goes_on(tmp_path, monkeypatch):
    real = store_module._connect

    def small_disk(target, uri=False):
        conn = real(target, uri)
        if target != ":memory:":
            conn.execute("PRAGMA max_page_count = 12")
        return conn

    monkeypatch.setattr(store_module, "_connect", small_disk)
    db = tmp_path / "db"
    with Store.open(db) as store:
        ids = []
        for n in range(200):
            ids.append(store.record_attempt(attempt(f"p{n}", answer="x" * 500)))
            if store.warning:
                break
        assert store.read_only and "full" in store.warning
        saved = len(ids) - 1  # the one that hit the full disk went to memory
        assert saved > 0
        more = store.record_attempt(attempt("after", True))
        assert more is not None and store.problem_state("bundled", "apple", "after").solved
        assert len(store.attempts()) == saved + 2
    monkeypatch.setattr(store_module, "_connect", real)
    with Store.open(db) as store:
        assert store.warning is None and store.quick_check() == ["ok"]
        assert len(store.attempts()) == saved


def test_a_write_raising_disk_full_is_caught_too(tmp_path, monkeypatch):
    with Store.open(tmp_path / "db") as store:
        store.record_attempt(attempt("p1"))

        def full(work):
            raise sqlite3.OperationalError("database or disk is full")

        monkeypatch.setattr(store, "_transaction", full)
        store.mark_revealed("bundled", "apple", "p1")  # no exception
        monkeypatch.undo()
        assert store.read_only and "disk is full" in store.warning
        store.mark_revealed("bundled", "apple", "p1")
        assert store.problem_state("bundled", "apple", "p1").revealed
        assert len(store.attempts()) == 1


# ---- schema versions ------------------------------------------------------------------------


def test_a_newer_schema_opens_read_only_and_the_file_is_untouched(tmp_path):
    db = tmp_path / "db"
    fill(db, 5)
    conn = sqlite3.connect(db)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = db.read_bytes()
    with Store.open(db) as store:
        assert store.read_only and "newer version" in store.warning
        assert len(store.attempts()) == 5
        store.record_attempt(attempt())
    assert db.read_bytes() == before


def old_version_fixture(db):
    """A database of the current schema standing in for 'the old version', with rows in
    every table, built by SQL alone (not by the store)."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.executescript(store_module.MIGRATIONS[0])
    for n in range(50):
        conn.execute("INSERT INTO attempts (pack, lesson, problem, seed, answer, correct, at)"
                     " VALUES ('bundled', 'apple', ?, ?, ?, ?, '2026-01-01')", (f"p{n % 4}", n, f"a{n}", n % 2))
    conn.execute("INSERT INTO problems (pack, lesson, problem, solved) VALUES ('bundled', 'apple', 'p1', 1)")
    conn.execute("INSERT INTO lessons (pack, lesson, content_hash) VALUES ('bundled', 'apple', 'h')")
    conn.execute("INSERT INTO positions VALUES ('bundled', 'apple', 'p1', '2026-01-01')")
    conn.execute(f"PRAGMA user_version = {len(store_module.MIGRATIONS)}")
    conn.close()


def dump(db):
    conn = sqlite3.connect(db)
    try:
        return {table: conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
                for table in ("attempts", "problems", "lessons", "positions")}
    finally:
        conn.close()


def test_a_migration_backs_up_then_keeps_every_row(tmp_path, monkeypatch):
    db = tmp_path / "db"
    old_version_fixture(db)
    before = dump(db)
    migrations = store_module.MIGRATIONS + ["ALTER TABLE attempts ADD COLUMN device TEXT; CREATE TABLE notes (x)"]
    monkeypatch.setattr(store_module, "MIGRATIONS", migrations)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", len(migrations))
    with Store.open(db) as store:
        assert store.warning is None
        assert store.last_backup is not None and store.last_backup.parent == tmp_path / "backups"
        assert len(store.attempts()) == 50
    after = dump(db)
    assert [row[:-1] for row in after["attempts"]] == before["attempts"]  # the new column is last
    assert {k: v for k, v in after.items() if k != "attempts"} == {k: v for k, v in before.items() if k != "attempts"}
    assert dump(store.last_backup) == before
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == len(migrations)


def test_a_failing_migration_changes_nothing_and_the_learner_goes_on(tmp_path, monkeypatch):
    db = tmp_path / "db"
    old_version_fixture(db)
    before = dump(db)
    migrations = store_module.MIGRATIONS + ["ALTER TABLE attempts ADD COLUMN device TEXT; THIS IS NOT SQL"]
    monkeypatch.setattr(store_module, "MIGRATIONS", migrations)
    monkeypatch.setattr(store_module, "SCHEMA_VERSION", len(migrations))
    with Store.open(db) as store:
        assert store.read_only and store.warning
        assert len(store.attempts()) == 50
    assert dump(db) == before
    assert sqlite3.connect(db).execute("PRAGMA user_version").fetchone()[0] == 1


def test_progress_imports_neither_textual_nor_numpy():
    import subprocess
    import sys

    code = "import sys, tutor.progress; print(sorted(m for m in ('textual', 'numpy') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
