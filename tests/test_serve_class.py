"""`tutor class add/list/remove/links`: the roster, its tokens (only digests stored), and the names that
may reach a path or a process environment."""

import unicodedata

import pytest
from cli_runner import CliRunner

from tutor.cli import main
from tutor.serve.classroom import Classroom
from tutor.serve.roster import BadName, check_name

URL = "http://10.0.0.5:8000"


def tutor_class(command: str, *args: str):
    return CliRunner().invoke(main, ["class", command, "--lang", "en", *args])


def links(output: str) -> dict[str, str]:
    """name -> token, from the NAME<TAB>LINK lines a command prints."""
    pairs = (line.split("\t") for line in output.splitlines() if "\t" in line)
    return {name: link.split(f"{URL}/join#", 1)[1] for name, link in pairs}


@pytest.fixture(params=["sqlite", "postgresql"])
def class_db(request) -> str | None:
    """Where a test's class is kept: the class folder (SQLite), or a fresh PostgreSQL database."""
    return None if request.param == "sqlite" else request.getfixturevalue("pg_url")


def roster_bytes(folder, db: str | None) -> bytes:
    """Everything the roster has stored."""
    if db is None:
        return b"".join(path.read_bytes() for path in folder.glob("class.sqlite3*"))
    import psycopg

    with psycopg.connect(db) as connection:
        rows = [connection.execute(f"SELECT * FROM {table}").fetchall()
                for table in ("class_learners", "class_sessions", "class_settings")]
    return repr(rows).encode()


def test_add_list_links_remove(tmp_path, class_db):
    folder = tmp_path / "class"
    where = ["--db", class_db] if class_db else []  # given once: the class folder remembers it
    added = tutor_class("add", "alice", "bob", "김민수", "--class", str(folder), "--url", URL, *where)
    assert added.exit_code == 0, added.output
    tokens = links(added.stdout)
    assert list(tokens) == ["alice", "bob", "김민수"] and len(set(tokens.values())) == 3
    stored = roster_bytes(folder, class_db)
    assert b"alice" in stored
    for token in tokens.values():  # only digests are kept: no token, no secret half of one
        assert token.encode() not in stored and token[12:].encode() not in stored
    with Classroom.open(folder) as classroom:
        assert {name: classroom.roster.learner_by_token(token) for name, token in tokens.items()} == \
               {name: name for name in tokens}
        assert classroom.url == URL  # remembered for the next links

    listed = tutor_class("list", "--class", str(folder))
    assert listed.exit_code == 0, listed.output
    assert [line.split("\t")[0] for line in listed.stdout.splitlines()[1:]] == ["alice", "bob", "김민수"]

    again = tutor_class("links", "bob", "--class", str(folder))  # a lost link: a new one
    assert again.exit_code == 0 and list(links(again.stdout)) == ["bob"]
    with Classroom.open(folder) as classroom:
        assert classroom.roster.learner_by_token(tokens["bob"]) is None  # the old one stopped working
        assert classroom.roster.learner_by_token(links(again.stdout)["bob"]) == "bob"
        assert classroom.roster.learner_by_token(tokens["alice"]) == "alice"
        session = classroom.roster.open_session("alice")
        assert classroom.roster.learner_by_session(session) == "alice"

    removed = tutor_class("remove", "alice", "--class", str(folder))
    assert removed.exit_code == 0 and "alice" in removed.stderr
    with Classroom.open(folder) as classroom:
        assert classroom.roster.learner_by_token(tokens["alice"]) is None
        assert classroom.roster.learner_by_session(session) is None  # their browser is out too
        assert [learner.name for learner in classroom.roster.learners()] == ["bob", "김민수"]
    assert tutor_class("remove", "alice", "--class", str(folder)).exit_code == 1

    everyone = tutor_class("links", "--class", str(folder))
    assert list(links(everyone.stdout)) == ["bob", "김민수"]
    assert tutor_class("links", "zed", "--class", str(folder)).exit_code == 1


def test_a_folder_without_a_class_is_said_and_left_alone(tmp_path):
    result = tutor_class("list", "--class", str(tmp_path / "nothing"))
    assert result.exit_code == 2 and "tutor class add" in result.stderr
    assert not (tmp_path / "nothing").exists()


def test_tokens_with_a_known_selector_and_a_wrong_secret_are_refused(tmp_path, class_db):
    with Classroom.open(tmp_path / "class", create=True, db=class_db) as classroom:
        token = classroom.roster.add(["alice"])["alice"]
        assert classroom.roster.learner_by_token(token) == "alice"
        for wrong in (token[:12] + "A" * 28, token[:-1], token + "A", "", "A" * 40, token.upper()):
            assert classroom.roster.learner_by_token(wrong) is None
        cookie = classroom.roster.open_session("alice")
        assert classroom.roster.learner_by_session(cookie[:12] + "A" * 28) is None
        assert classroom.roster.learner_by_session(token) is None  # a join token is not a session


HOSTILE_NAMES = {
    "a;b": ";", "a b": " ", "$(id)": "$", "`id`": "`", "a|b": "|", "a&b": "&", "a>b": ">", "a'b": "'",
    'a"b': '"', "a*b": "*", "~root": "~", "a\\b": "\\",  # shell metacharacters
    "../x": ".", "x/y": "/", "..": ".", ".hidden": ".", "-rf": "-",  # paths and options
    "x\x1b[31m": "\\u001b", "a\nb": "\\u000a", "a\x00b": "\\u0000", "a\x7fb": "\\u007f",  # control characters
    "a\u202eb": "\\u202e", "a\u200bb": "\\u200b",  # a bidi override, a zero-width space
}


@pytest.mark.parametrize("name", list(HOSTILE_NAMES))
def test_hostile_names_are_refused_with_the_character_named_and_nothing_made(tmp_path, name):
    folder = tmp_path / "class"
    result = tutor_class("add", "--class", str(folder), "--", "alice", name)
    assert result.exit_code == 1
    shown = HOSTILE_NAMES[name]
    assert f"'{shown}'" in result.stderr or "starts with a letter" in result.stderr, result.stderr
    assert all(c.isprintable() or c == "\n" for c in result.stderr)  # nothing reaches the terminal raw
    assert not folder.exists()  # not even the class: a bad name is refused before anything is made


@pytest.mark.parametrize("name", ["", "x" * 33])
def test_empty_and_long_names_are_refused(name):
    with pytest.raises(BadName):
        check_name(name)


@pytest.mark.parametrize("name", ["alice", "김민수", "Ana-María", "j.smith", "user_1", "x" * 32, "1기"])
def test_names_of_any_script_are_kept(name):
    assert check_name(name) == name


def test_names_are_stored_composed_and_compared_without_case(tmp_path, class_db):
    decomposed = unicodedata.normalize("NFD", "김민수")  # as macOS may hand it over
    assert decomposed != "김민수" and check_name(decomposed) == "김민수"
    with Classroom.open(tmp_path / "class", create=True, db=class_db) as classroom:
        classroom.roster.add(["Alice"])
        with pytest.raises(BadName) as taken:
            classroom.roster.add(["bob", "alice"])
        assert taken.value.key == "name.taken"
        assert [learner.name for learner in classroom.roster.learners()] == ["Alice"]  # all or none


def test_only_a_stored_name_becomes_a_folder(tmp_path):
    with Classroom.open(tmp_path / "class", create=True) as classroom:
        assert classroom.learner_folder("김민수") == tmp_path / "class" / "learners" / "김민수"
        for name in ("../x", "a/b", ".."):
            with pytest.raises(BadName):
                classroom.learner_folder(name)
        environment = classroom.learner_environment("alice")
        assert environment["TUTOR_LEARNER"] == "alice"
        assert environment["TUTOR_DB"].startswith(str(tmp_path / "class" / "learners" / "alice"))


def test_a_class_in_postgresql_is_remembered_without_its_password(tmp_path, pg_url):
    from tutor.progress.classfolder import CONFIG_FILE

    with_password = pg_url.replace("postgres@", "postgres:hunter2-secret@", 1)  # the cluster trusts the socket
    folder = tmp_path / "class"
    added = tutor_class("add", "alice", "--class", str(folder), "--db", with_password, "--url", URL)
    assert added.exit_code == 0, added.output
    config = (folder / CONFIG_FILE).read_text(encoding="utf-8")
    assert "hunter2" not in config and "hunter2" not in added.output and "postgresql://postgres@" in config
    assert not (folder / "class.sqlite3").exists()
    listed = tutor_class("list", "--class", str(folder))  # no --db: the folder names the database
    assert listed.exit_code == 0 and "alice" in listed.stdout
    with Classroom.open(folder) as classroom:
        environment = classroom.learner_environment("alice")
    assert environment["TUTOR_DB"] == pg_url and environment["TUTOR_LEARNER"] == "alice"
    assert environment["TUTOR_DATA_DIR"] == str(folder / "learners" / "alice")  # the outbox and crash logs

    other = tutor_class("list", "--class", str(folder), "--db", pg_url + "x")
    assert other.exit_code == 2 and "postgresql://postgres@" in other.stderr
    not_a_url = tutor_class("list", "--class", str(tmp_path / "new"), "--db", str(tmp_path / "x.sqlite3"))
    assert not_a_url.exit_code == 2 and "postgresql://" in not_a_url.stderr
    sqlite_class = tmp_path / "sqlite-class"
    tutor_class("add", "bob", "--class", str(sqlite_class))
    assert tutor_class("list", "--class", str(sqlite_class), "--db", pg_url).exit_code == 2


def test_an_unreachable_database_is_said_without_a_traceback_or_its_password(tmp_path):
    url = f"postgresql://someone:hunter2-secret@/nothing?host={tmp_path}"  # no server listens there
    result = tutor_class("add", "alice", "--class", str(tmp_path / "class"), "--db", url)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "hunter2" not in result.output and "postgresql://someone:***@" in result.stderr
    assert not (tmp_path / "class" / "class.toml").exists()
