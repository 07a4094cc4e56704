"""A class kept in PostgreSQL, served by two `tutor serve` hosts (two ports here) sharing its database:
a learner joins on one and works on the other; each learner's answers land in the one database, as theirs."""

import asyncio

import pytest

from serving import Lesson6, SocketLearner, answer, need_class_extra, open_first_blank, running_server

need_class_extra()
pytest.importorskip("pyte", reason="pip install '.[test]'")


def test_two_hosts_serve_one_class_from_one_database(tmp_path, pg_url):
    from tutor.progress import Store
    from tutor.serve.classroom import Classroom

    lesson6 = Lesson6()
    with Classroom.open(tmp_path / "host-a", create=True, db=pg_url) as classroom:
        tokens = classroom.roster.add(["alice", "bob"])

    async def class_on_two_hosts(host_a, host_b):
        async with SocketLearner(host_a, tokens["alice"]) as alice, SocketLearner(host_b, tokens["bob"]) as bob:
            alice.server = host_b  # joined on host A; her session cookie opens her app on host B
            assert await alice.connect() == 101
            assert await bob.connect() == 101
            await open_first_blank(alice, lesson6)
            await answer(alice, lesson6, lesson6.right)
            await open_first_blank(bob, lesson6)
            await answer(bob, lesson6, lesson6.wrong)
            assert len(host_b.sessions()) == 2 and host_a.sessions() == []

    with running_server(tmp_path / "host-a") as host_a, \
            running_server(tmp_path / "host-b", "--db", pg_url) as host_b:  # a folder of its own on host B
        asyncio.run(class_on_two_hosts(host_a, host_b))
    for name, given in (("alice", lesson6.right), ("bob", lesson6.wrong)):
        with Store.open(pg_url, learner=name) as store:
            assert [(a.problem, a.answer) for a in store.attempts()] == [(lesson6.problem, given)]
    assert (tmp_path / "host-b" / "class.toml").is_file()
    # Both learners, served by two hosts, in one report of the class (read from host B's folder: its
    # class.toml names the database).
    from tutor.classreport.command import ReportRequest

    report = ReportRequest(tmp_path / "host-b", None, None, None, False, 15, "en").report()
    assert [(f.learner, f.blanks_tried, f.blanks_solved) for f in report.learners] == [("alice", 1, 1), ("bob", 1, 0)]
    figures = next(f for f in report.problems if f.problem == lesson6.problem)
    assert (figures.tried, figures.first_try) == (2, 0.5)


def test_while_the_database_is_away_pages_say_so_and_start_nothing(tmp_path, pg_cluster):
    from tutor.serve.classroom import Classroom
    from tutor.serve.pages import WORDS

    url = pg_cluster.url(pg_cluster.create_database())
    with Classroom.open(tmp_path / "class", create=True, db=url) as classroom:
        token = classroom.roster.add(["alice"])["alice"]

    async def database_away(server):
        async with SocketLearner(server, token) as alice:
            pg_cluster.stop()
            try:
                status, page = await alice.page()
                assert status == 503 and WORDS["unavailable.heading"][0] in page
                assert await alice.connect() == 503
                assert server.app_processes() == []
            finally:
                pg_cluster.start()
            status, _ = await alice.page()  # back: the same session cookie works again
            assert status == 200

    with running_server(tmp_path / "class") as server:
        asyncio.run(database_away(server))
