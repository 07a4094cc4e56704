"""Issue 22, item by item: each attack that got through before, now refused or handled. Each runs the real
command in a child process under CPU and memory limits (``limited.py``), so a regression fails the test
instead of stalling or exhausting the machine. Items 4 (nested LaTeX) and 9 (write failures) have their
tests with their own code (SECURITY.md names them)."""

import json

import pytest

import sys

from limited import TESTS, run_limited, tutor

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


def graph_lesson(lesson_id: str, inputs: str, nodes: str, answer: str = "value(z)", extra: str = "",
                 body: str = "") -> str:
    """One graph g (``inputs`` a YAML flow map, ``nodes`` YAML lines) and one problem."""
    return (f"---\nid: {lesson_id}\ntitle: t\ngraphs:\n  g:\n    inputs: {inputs}\n    nodes:\n{nodes}{extra}"
            f"problems: [{{id: p, answer: '{answer}'}}]\n---\n{body}{{{{blank p}}}}\n")


# ---- item 1: no total budget across a graph -----------------------------------------------------

def million_nodes_lesson() -> str:
    """150 nodes of a million numbers each, from a 1,000-number input broadcast against itself (11 KB)."""
    column = "[" + ", ".join(["[1]"] * 1000) + "]"
    nodes = "      big: x * transpose(x)\n" + "".join(f"      n{i}: big + x\n" for i in range(150))
    return graph_lesson("wide", f"{{x: {column}}}", nodes + "      z: sum(n149)\n")


def matmul_chain_lesson() -> str:
    """b = a @ transpose(a) / 1000, then 480 nodes c_i = c_(i-1) @ b (15 KB; check ran 85 s and took 11 GB)."""
    rows = "[" + ", ".join("[" + ", ".join(["1"] * 2) + "]" for _ in range(1000)) + "]"
    nodes = "      b: a @ transpose(a) / 1000\n      c0: b @ b\n" + "".join(f"      c{i}: c{i - 1} @ b\n" for i in range(1, 480)) + "      z: sum(c479)\n"
    return graph_lesson("chain", f"{{a: {rows}}}", nodes)


@pytest.mark.parametrize("make, limit", [(million_nodes_lesson, "numbers per lesson"),
                                         (matmul_chain_lesson, "nodes per lesson")], ids=["1M-nodes", "matmul-chain"])
def test_item1_a_graph_over_the_budget_is_refused_before_it_is_computed(tmp_path, make, limit):
    lesson = write(tmp_path, "big.md", make())
    finished = tutor("check", lesson, memory_mb=800)
    assert finished.returncode == 1 and f"(limit: {limit})" in finished.stdout, finished
    assert f"{lesson}:5:3:" in finished.stdout  # at the graph


def test_item1_a_matmul_chain_within_the_node_budget_is_refused_for_its_work(tmp_path):
    rows = "[" + ", ".join("[1, 1]" for _ in range(1000)) + "]"
    nodes = "      b: a @ transpose(a) / 1000\n      c0: b @ b\n" + \
        "".join(f"      c{i}: c{i - 1} @ b\n" for i in range(1, 100)) + "      z: sum(c99)\n"
    lesson = write(tmp_path, "chain.md", graph_lesson("chain", f"{{a: {rows}}}", nodes))
    finished = tutor("check", lesson, memory_mb=800)
    assert finished.returncode == 1 and "(limit: numbers per lesson)" in finished.stdout, finished


def test_item1_a_pack_with_two_huge_lessons_opens_its_good_ones_at_once(tmp_path):
    for source in sorted(COURSE.glob("*.md"))[:5]:
        write(tmp_path, source.name, source.read_text(encoding="utf-8").replace("requires:", "# requires:"))
    write(tmp_path, "98-wide.md", million_nodes_lesson())
    write(tmp_path, "99-chain.md", matmul_chain_lesson())
    code = ("import sys; from tutor.authoring.pack import load_pack; pack = load_pack(sys.argv[1]); "
            "print(len(pack.lessons), sorted(e.path.rsplit('/', 1)[1] for e in pack.broken))")
    finished = run_limited([sys.executable, "-c", code, str(tmp_path)], memory_mb=800)
    assert finished.stdout.split("\n")[0] == "5 ['98-wide.md', '99-chain.md']", finished
    assert finished.max_rss_mb < 200, finished  # the budget: the two read no further than their shapes


# ---- item 2: no bound on a step's size -------------------------------------------------------------

@pytest.mark.parametrize("body, limit", [("".join(f"문단 {i}\n\n" for i in range(20_000)), "blocks per step"),
                                         ("> " * 5000 + "x\n\n", "Markdown depth")], ids=["20000-paragraphs", "deep"])
def test_item2_a_huge_step_is_refused_and_the_app_reads_the_pack_at_once(tmp_path, body, limit):
    lesson = write(tmp_path, "big.md", graph_lesson("big", "{x: 2}", "      z: x * 3\n", body="## 단계\n\n" + body))
    finished = tutor("check", lesson, memory_mb=800)
    assert finished.returncode == 1 and f"(limit: {limit})" in finished.stdout, finished


@pytest.mark.parametrize("count, limit", [(8000, "values per lesson"), (3000, "blanks per step")])
def test_item2_thousands_of_blanks_are_refused(tmp_path, count, limit):
    """8,000 blanks took 93 s and 2.3 GB to open: their problems are already too many values to read."""
    problems = "".join(f"  - {{id: p{i}, answer: 'grad(x)'}}\n" for i in range(count))
    text = ("---\nid: blanks\ntitle: t\ngraphs:\n  g:\n    inputs: {x: 2}\n    nodes: {z: x * 3}\nproblems:\n"
            + problems + "---\n## 단계\n\n" + "".join(f"{{{{blank p{i}}}}}\n" for i in range(count)))
    finished = tutor("check", write(tmp_path, "blanks.md", text), memory_mb=800)
    assert finished.returncode == 1 and f"(limit: {limit})" in finished.stdout, finished


# ---- item 3: no bound on graphs per lesson ---------------------------------------------------------

def test_item3_140_graphs_are_refused_and_show_answers_at_once(tmp_path):
    graph = "    inputs: {x: 2}\n    nodes:\n" + "".join(f"      n{i}: x + {i}\n" for i in range(40))
    text = ("---\nid: many\ntitle: t\ngraphs:\n" + "".join(f"  g{k}:\n{graph}" for k in range(140))
            + "problems: [{id: p, graph: g0, answer: 'grad(x)'}]\n---\n{{blank p}}\n")
    lesson = write(tmp_path, "many.md", text)
    for command in (["check", lesson], ["show", lesson, "--backward"]):
        finished = tutor(*command, memory_mb=800)
        assert finished.returncode == 1 and "(limit: graphs per lesson)" in finished.output, finished
        assert len(finished.stdout) < 1000  # not 422 MB of drawings


# ---- item 5: a backward pass that overflows where no problem asks ------------------------------------

def test_item5_check_computes_the_whole_backward_pass(tmp_path):
    lesson = write(tmp_path, "back.md", graph_lesson("back", "{x: 1e-200}", "      z: x ** -1\n"))
    finished = tutor("check", lesson)
    assert finished.returncode == 1, finished
    assert f"{lesson}:8:10: graph 'g': node 'z': the gradient flowing back to 'x' is infinity" in finished.stdout
    shown = tutor("show", lesson, "--backward")
    assert shown.returncode == 1 and "Traceback" not in shown.output and "is infinity" in shown.stderr, shown


# ---- item 6: a variant that divides by zero at a few seeds -------------------------------------------

def test_item6_check_walks_every_value_of_a_variant(tmp_path):
    lesson = write(tmp_path, "div.md", graph_lesson("div", "{x: 5, y: 3}", "      z: y / x\n",
                                                     extra="variants:\n  x: {int: [0, 2000]}\n"))
    finished = tutor("check", lesson)
    assert finished.returncode == 1, finished
    assert "the variant x=0: graph 'g': node 'z': 'y / x' gives infinity (division by zero)" in finished.stdout


def test_item6_the_quiz_skips_a_draw_that_fails(tmp_path):
    """seed 822 draws x = 0 (it crashed the plain quiz and the quiz screen): the next seed is asked instead."""
    (tmp_path / "pack").mkdir()
    write(tmp_path / "pack", "div.md", graph_lesson("div", "{x: 5, y: 3}", "      z: y / x\n",
                                                    extra="variants:\n  x: {int: [0, 2000]}\n"))
    finished = tutor("quiz", "--plain", "--all", "--lessons", tmp_path / "pack", "--count", "1", "--seed", "822",
                     "--lang", "en", "--db", tmp_path / "q.db", input=":skip\n", env={"TUTOR_DATA_DIR": str(tmp_path)})
    assert finished.returncode == 0 and "Traceback" not in finished.output, finished
    assert "1 in all" in finished.stdout


# ---- item 10: the smaller ones ----------------------------------------------------------------------

APPLE = TESTS / "lessons" / "apple.md"


def test_item10_an_undecodable_byte_in_an_answer_gets_valid_utf8_json(tmp_path):
    finished = run_limited([sys.executable, "-m", "tutor", "grade", str(APPLE).encode(), b"d-price", b"2\xff",
                            b"--json", b"--lang", b"en"], text=False)
    verdict = json.loads(finished.stdout.decode("utf-8"))  # strict: invalid UTF-8 raises
    assert finished.returncode == 2 and "U+DCFF" in verdict["message"], finished


@pytest.mark.parametrize("character", ["\x1b", "\x9b", "\u202e", "\x00"], ids=["ESC", "CSI", "RLO", "NUL"])
def test_item10_a_refused_character_is_named_not_echoed(character):
    from tutor.grading import grade
    from tutor.lessons import load_lesson

    verdict = grade(load_lesson(APPLE).instance(), "d-price", f"2{character}2", "en")
    assert verdict.invalid and f"U+{ord(character):04X}" in verdict.message and character not in verdict.message


def test_item10_a_newline_in_a_file_name_cannot_fake_a_line_of_check(tmp_path):
    name = "a.md\nfake.md:1:1: all good.md"
    write(tmp_path, name, APPLE.read_text(encoding="utf-8").replace("id: apple", "id: Apple"))
    finished = tutor("check", tmp_path)
    lines = finished.stdout.splitlines()
    assert len(lines) == 2 and lines[0].startswith(f"{tmp_path}/a.md\\nfake.md:1:1: all good.md:2:5: "), finished


@pytest.mark.parametrize("old, new, message", [
    ("answer: grad(apple_price)", "answer: grad(ａpple_price)", "the name 'ａpple_price' would be read as 'apple_price'"),
    ("      apple_count: 2\n", "      apple_count: 2\n      ｘ: 3\n", "'ｘ' would be read as 'x' in an expression"),
], ids=["in-an-answer", "as-a-node-name"])
def test_item10_a_full_width_name_is_refused_not_folded(tmp_path, old, new, message):
    lesson = write(tmp_path, "apple.md", APPLE.read_text(encoding="utf-8").replace(old, new, 1))
    finished = tutor("check", lesson)
    assert finished.returncode == 1 and message in finished.stdout, finished


def test_item10_links_out_of_a_pack_are_read_only_with_follow_links(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    secret = write(outside, "secret.md", APPLE.read_text(encoding="utf-8").replace("id: apple", "id: secret"))
    pack = tmp_path / "pack"
    pack.mkdir()
    write(pack, "apple.md", APPLE.read_text(encoding="utf-8"))
    (pack / "inside.md").symlink_to(pack / "apple.md")  # a link inside the pack is fine (same id: reported)
    (pack / "secret.md").symlink_to(secret)
    refused = tutor("check", pack)
    assert f"{pack / 'secret.md'}:1:1: a link to a file outside the lesson folder" in refused.stdout, refused
    followed = tutor("check", "--follow-links", pack)
    assert "outside the lesson folder" not in followed.stdout and "inside.md" in followed.stdout, followed


def test_item10_abandoned_database_drafts_are_removed(tmp_path):
    from tutor.progress import Store

    database = tmp_path / "progress.db"
    beyond = int(open("/proc/sys/kernel/pid_max").read()) + 1  # no process can have these ids
    drafts = [tmp_path / f".progress.db.{pid}.new" for pid in (beyond, beyond + 1)]
    for draft in drafts:
        draft.write_bytes(b"half a database")
    Store.open(database).close()
    assert not any(draft.exists() for draft in drafts) and database.exists()


def test_item10_the_quiz_screen_says_where_its_crash_log_is(tmp_path):
    """The quiz screen's crash (a question whose screen raises) ends with the crash log's path, as the app's do."""
    code = (
        "import sys\n"
        "from tutor.app import quiz_screen\n"
        "from tutor.app.quiz_screen import QuizApp\n"
        "from tutor.quiz.session import QuizSession, plan_quiz\n"
        "from tutor.lessons import load_lessons\n"
        "quiz_screen.QuizScreen.on_mount = lambda self: 1 / 0\n"
        "run = QuizApp.run\n"
        "QuizApp.run = lambda self, **kw: run(self, headless=True, size=(100, 40))\n"
        "from tutor.progress import Store\n"
        "lessons, _ = load_lessons(sys.argv[1])\n"
        "store = Store.open(sys.argv[2])\n"
        "questions, _ = plan_quiz(lessons, store, 'p', everything=True, count=1, seed=1)\n"
        "sys.exit(quiz_screen.run_quiz_app(QuizSession(questions, store, 'p', 'en'), lessons))\n")
    finished = run_limited([sys.executable, "-c", code, str(TESTS / "lessons"), str(tmp_path / "q.db")],
                           env={"TUTOR_DATA_DIR": str(tmp_path)})
    assert f"the details are in {tmp_path / 'crash-logs'}" in finished.stderr, finished
