"""The tutor app driven by Textual's Pilot: answering, feedback, hints, the backward walk-through,
language switching, resuming, hostile lesson text. Lessons are the bundled course (the apple
lesson is lesson 6) and tests/app_fixtures/."""

import re
from pathlib import Path

import pytest

from tutor.app.main import TutorApp
from tutor.app.screens.home import HomeScreen
from tutor.app.screens.lesson import BlankField, DatasetTable, GraphView, LessonScreen
from tutor.app.widgets import FeedbackView
from tutor.engine import Graph
from tutor.grading.grade import shown_answer
from tutor.lessons import Localized
from tutor.progress import Store

FIXTURES = Path(__file__).parent / "app_fixtures"
SIZE = (100, 40)


def make_app(db: Path, lessons=None, lang: str = "ko", resume: bool = False) -> TutorApp:
    return TutorApp(lessons, store=Store.open(db), lang=lang, resume=resume)


async def go_to_blank(pilot, screen: LessonScreen, pid: str) -> BlankField:
    while pid not in screen.step.blanks:
        await pilot.press("pagedown")
        await pilot.pause()
    field = next(f for f in screen.query(BlankField) if f.problem.id == pid)
    field.input.focus()
    await pilot.pause()
    return field


async def answer(pilot, field: BlankField, text: str) -> None:
    field.input.value = ""
    await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


@pytest.mark.anyio
async def test_right_answer_is_solved_and_recorded(tmp_path, open_lesson):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await go_to_blank(pilot, screen, "d-apple-price")
        await answer(pilot, field, "2.2")
        assert screen.session.blanks["d-apple-price"].solved
        assert field.has_class("-solved")
        assert "✓" in field.query_one(FeedbackView).render().plain
    rows = Store.open(tmp_path / "p.db").attempts(lesson="apple-backward")
    assert [(r.problem, r.answer, r.correct) for r in rows] == [("d-apple-price", "2.2", True)]


@pytest.mark.anyio
async def test_swapped_input_is_named(tmp_path, open_lesson, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await go_to_blank(pilot, screen, "d-apple-price")
        await answer(pilot, field, "110")
        verdict = screen.session.blanks["d-apple-price"].verdict
        assert not verdict.correct and verdict.mistake == "own-input"
        shown = " ".join(screen_text(app).split())
        assert "✗" in shown
        assert " ".join(verdict.message.split())[:30] in shown
        assert not screen.session.blanks["d-apple-price"].solved


@pytest.mark.anyio
async def test_hints_one_at_a_time_and_recorded(tmp_path, open_lesson, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await go_to_blank(pilot, screen, "d-apple-price")
        hints = screen.session.shown_hints("d-apple-price", "ko")[1]
        await pilot.press("ctrl+t")
        await pilot.pause()
        shown = screen_text(app)
        assert hints[0][:15] in shown and hints[1][:15] not in shown
        await pilot.press("ctrl+t")
        await pilot.pause()
        assert hints[1][:15] in screen_text(app)
        assert field.input.has_focus  # the hint key does not take the focus from the answer box
    state = Store.open(tmp_path / "p.db").problem_state("course", "apple-backward", "d-apple-price")
    assert state.hints_used == 2


@pytest.mark.anyio
async def test_reveal_only_after_three_tries(tmp_path, open_lesson):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await go_to_blank(pilot, screen, "d-apple-count")
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert not screen.session.blanks["d-apple-count"].revealed
        for wrong in ("1", "2", "3"):
            await answer(pilot, field, wrong)
        await pilot.press("ctrl+r")
        await pilot.pause()
        assert screen.session.blanks["d-apple-count"].revealed
    state = Store.open(tmp_path / "p.db").problem_state("course", "apple-backward", "d-apple-count")
    assert state.revealed and not state.solved


@pytest.fixture
def start_walk(open_lesson):
    """``await start_walk(pilot)``: open the apple lesson, go back to a step with the graph, and
    start the walk-through."""
    async def start(pilot) -> tuple[LessonScreen, GraphView]:
        screen = await open_lesson(pilot, "apple-backward")
        while not screen.step.graphs:
            await pilot.press("pageup")
            await pilot.pause()
        # The walk's line is made when the walk starts: a step opens without it (and one layout fewer).
        assert not screen.query(".walk")
        await pilot.press("ctrl+b")
        await pilot.pause()
        return screen, screen.query_one(GraphView)
    return start


@pytest.mark.anyio
async def test_backward_walk_visits_every_node_and_back(tmp_path, start_walk, screen_text):
    from tutor.render.numbers import format_value

    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await start_walk(pilot)
        graph = view.graph
        assert view.has_focus
        visited = [view.order[view.walk_index]]
        for _ in range(len(view.order) - 1):
            await pilot.press("right")
            visited.append(view.order[view.walk_index])
        assert set(visited) == {n for n, node in graph.nodes.items() if node.kind != "const"}
        assert visited[0] == graph.output
        # The last stop, a leaf, shows the gradient collected there, as the engine computes it, or
        # the marker of the unsolved blank that asks for it.
        leaf = visited[-1]
        walk = " ".join(screen_text(app).split())
        assert view.localized_labels()[leaf] in walk
        marker = view.hidden.get(("backward", leaf))
        assert (f"[{marker}]" if marker else format_value(graph.grad(leaf))) in walk
        back = []
        for _ in range(len(view.order) - 1):
            await pilot.press("left")
            back.append(view.order[view.walk_index])
        assert back == visited[-2::-1]
        await pilot.press("escape")
        await pilot.pause()
        assert view.walk_index is None
        assert "upstream" not in screen_text(app) and "상류" not in screen_text(app)


@pytest.mark.anyio
async def test_walk_shows_upstream_times_local(tmp_path, start_walk, screen_text):
    from tutor.render.numbers import format_value

    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await start_walk(pilot)
        await pilot.press("right")  # from the output to the first node behind it
        await pilot.pause()
        node = view.order[view.walk_index]
        graph = view.graph
        arg = graph.nodes[node].args[0]
        shown = {n: f"[{view.hidden[('backward', n)]}]" if ("backward", n) in view.hidden else None for n in (node, arg)}
        line = (f"{shown[node] or format_value(graph.grad(node))} × {format_value(graph.local(node, arg))} = "
                f"{shown[arg] or format_value(graph.edge_grad(node, 0))}")
        assert line in screen_text(app)


@pytest.mark.anyio
async def test_walk_keeps_unsolved_blanks_behind_their_markers(tmp_path, open_lesson, screen_text):
    """On the step of (a) d-apple-total and (b) d-tax, the walk writes [b] where the tax's gradient
    would be, in the drawing and in `upstream × local = downstream`; once solved, the number."""
    from tutor.render.numbers import format_value

    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await go_to_blank(pilot, screen, "d-tax")
        view = screen.query_one(GraphView)
        graph, letter = view.graph, screen.letters["d-tax"]
        payment, tax = graph.output, "tax"
        into_tax = graph.nodes[payment].args.index(tax)
        line = f"{format_value(graph.grad(payment))} × {format_value(graph.local(payment, tax))} = "

        async def walk_to(node: str) -> str:
            await pilot.press("ctrl+b")
            while view.order[view.walk_index] != node:
                await pilot.press("right")
            await pilot.pause()
            return screen_text(app)

        shown = await walk_to(payment)
        drawing = "\n".join(strip.plain for strip in view.render().split())
        assert line + f"[{letter}]" in shown
        assert line + format_value(graph.edge_grad(payment, into_tax)) not in shown
        assert f"[{letter}]" in drawing
        shown = await walk_to(tax)
        assert f"[{letter}]" in screen.query_one(".walk").render().plain
        await pilot.press("escape")  # the walk ends at the step's first unsolved blank, (a)
        field.input.focus()
        await answer(pilot, field, f"{screen.session.instance.answer('d-tax'):g}")
        assert screen.session.blanks["d-tax"].solved
        shown = await walk_to(payment)
        assert line + format_value(graph.edge_grad(payment, into_tax)) in shown
        assert f"[{letter}]" not in shown


@pytest.mark.anyio
async def test_language_switch_changes_the_text(tmp_path, open_lesson, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        await go_to_blank(pilot, screen, "d-apple-total")
        korean = screen_text(app)
        await pilot.press("f2")
        await pilot.pause()
        english = screen_text(app)
        assert app.lang == "en"
        title = screen.lesson.title
        assert title.en in english and title.ko not in english and title.ko in korean
        assert "esc Back" in english and "esc 뒤로" in korean
        assert isinstance(app.focused, type(screen.query_one(BlankField).input))


@pytest.mark.anyio
async def test_restart_resumes_at_the_next_unsolved_blank(tmp_path, open_lesson, wait_for):
    db = tmp_path / "p.db"
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        for pid in ("d-apple-total", "d-tax"):
            field = await go_to_blank(pilot, screen, pid)
            value = screen.session.instance.answer(pid)
            await answer(pilot, field, f"{value:g}")
            assert screen.session.blanks[pid].solved
        await pilot.press("ctrl+q")
    again = make_app(db, resume=True)
    async with again.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(again.screen, LessonScreen))
        await pilot.pause()
        screen = again.screen
        assert screen.lesson.id == "apple-backward"
        focused = next(a for a in again.focused.ancestors if isinstance(a, BlankField))
        assert focused.problem.id == "d-apple-price"


@pytest.mark.anyio
async def test_hostile_lesson_text_is_shown_literally(tmp_path, open_lesson, wait_for, screen_text):
    app = make_app(tmp_path / "p.db", lessons=FIXTURES / "hostile")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        # The loader refuses control characters anywhere in a lesson; the app must not rely on that.
        lesson = app.lessons[0]
        step = lesson.steps[0]
        step.ko = step.ko.replace("(added by the test)", "\x1b[2J\x1b]52;c;aGk=\x07\u202eevil\u202c")
        lesson.title = Localized(ko=lesson.title.ko + " \x1b]52;c;aGVsbG8=\x07", en=lesson.title.en)
        lesson.problems[0].prompt += " \x9b2J\x1b[31m"
        screen = await open_lesson(pilot, "hostile-text")
        await pilot.press("ctrl+t")
        await pilot.pause()
        shown = screen_text(app)
        assert "[@click=app.quit]끝내기[/]" in shown
        assert "[@click=app.quit]prompt[/] d[y]/d[x]" in shown
        assert "a lone [/]" in shown
        assert "[/] a hint with [@click=app.quit]markup[/]" in shown
        assert "\x1b" not in shown and "\u202e" not in shown and "52;c" not in shown
        assert "and an escape evil here" in " ".join(shown.split())
        await pilot.click("#step-body", offset=(5, 3))  # clicking the text runs no action
        await pilot.pause()
        assert app.is_running and app.screen is screen


@pytest.mark.anyio
async def test_home_key_bar_shows_enter_and_enter_opens(tmp_path, wait_for, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        await pilot.pause()
        assert app.focused is app.screen.query_one("#lessons")
        key_bar = screen_text(app).splitlines()[-1]
        assert "enter 열기" in key_bar
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))


@pytest.mark.anyio
async def test_dataset_table_is_followed_by_a_blank_line(tmp_path, open_lesson, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lesson(pilot, "y-equals-2x")
        table = screen.query_one(DatasetTable)
        under = next(w for w in table.parent.children[table.parent.children.index(table) + 1:] if w.display)
        assert under.region.y == table.region.bottom + 1


@pytest.mark.anyio
async def test_broken_lesson_is_listed_with_its_error(tmp_path, wait_for, screen_text):
    folder = tmp_path / "lessons"
    folder.mkdir()
    (folder / "01-good.md").write_text((FIXTURES / "hostile" / "01-hostile.md").read_text())
    (folder / "02-bad.md").write_text("---\nid: bad\ntitle: x\nproblems: [\n---\nbody\n")
    app = make_app(tmp_path / "p.db", lessons=folder)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        await pilot.pause()
        shown = screen_text(app)
        assert "02-bad.md" in shown
        assert len(app.lessons) == 1


@pytest.mark.anyio
async def test_a_pack_is_read_with_its_course_yaml(tmp_path, wait_for, screen_text):
    """As `tutor quiz` reads it: the course's title and order on the home screen, its errors listed."""
    import shutil

    folder = tmp_path / "pack"
    shutil.copytree(FIXTURES / "course", folder)
    (folder / "course.yaml").write_text(
        "title: {ko: 역전파 실습반, en: Backprop lab}\n"
        "description: {ko: 사과 문제부터 풉니다., en: Apples first.}\n"
        "lessons: [apple-backward, no-such-lesson]\n", encoding="utf-8")
    app = make_app(tmp_path / "p.db", lessons=folder)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        await pilot.pause()
        assert [lesson.id for lesson in app.lessons] == ["apple-backward", "add-mul-nodes"]
        assert app.pack == str(folder.resolve())
        shown = screen_text(app)
        assert "역전파 실습반" in shown and "사과 문제부터 풉니다." in shown
        assert "밑바닥부터" not in shown  # the app's own title gives way to the pack's
        flat = " ".join(shown.split())
        assert "course.yaml:3:" in flat and "no-such-lesson" in flat
        assert shown.index(app.lessons[0].title.ko) < shown.index(app.lessons[1].title.ko)
        await pilot.press("f2")
        await pilot.pause()
        assert "Backprop lab" in screen_text(app) and "Apples first." in screen_text(app)


@pytest.mark.anyio
async def test_small_terminal_asks_to_enlarge(tmp_path, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert "80×24" in screen_text(app)


def test_no_terminal_reason():
    from tutor.environment import no_terminal_reason

    class Tty:
        def __init__(self, tty):
            self.tty = tty

        def isatty(self):
            return self.tty

    assert no_terminal_reason(Tty(True), Tty(True), {"TERM": "xterm"}) is None
    assert "stdin" in no_terminal_reason(Tty(False), Tty(True), {"TERM": "xterm"})
    assert "stdout" in no_terminal_reason(Tty(True), Tty(False), {"TERM": "xterm"})
    assert "dumb" in no_terminal_reason(Tty(True), Tty(True), {"TERM": "dumb"})
    # `tutor serve` runs the app with textual-serve's web driver, on pipes and without TERM
    served = {"TEXTUAL_DRIVER": "textual.drivers.web_driver:WebDriver"}
    assert no_terminal_reason(Tty(False), Tty(False), served) is None


def test_start_without_a_terminal_says_why_and_exits_2():
    import subprocess
    import sys

    run = subprocess.run([sys.executable, "-c", "from tutor.cli import main; main()", "start"], stdin=subprocess.DEVNULL,
                         capture_output=True, text=True, timeout=30)
    assert run.returncode == 2
    assert "tutor quiz --plain" in run.stderr
    assert len(run.stderr.strip().splitlines()) == 1
    assert "\x1b" not in run.stdout + run.stderr


@pytest.mark.parametrize("env, expected", [({"TUTOR_LANG": "en"}, "en"), ({"LANG": "en_US.UTF-8"}, "en"),
                                           ({"LANG": "ko_KR.UTF-8"}, "ko"), ({"LANG": "C.UTF-8"}, "ko"), ({}, "ko")])
def test_default_language(env, expected):
    from tutor.environment import default_lang

    assert default_lang(env) == expected


@pytest.mark.anyio
async def test_progress_screen_shows_the_figures_of_tutor_progress(tmp_path, open_lesson, screen_text):
    from tutor.progress.report import lesson_rows

    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await go_to_blank(pilot, screen, "d-apple-total")
        await answer(pilot, field, "1")
        await answer(pilot, field, f"{screen.session.instance.answer('d-apple-total'):g}")
        await pilot.press("f4")
        await pilot.pause()
        row = next(r for r in lesson_rows(app.store.lesson_summary(), app.pack, app.lessons)
                   if r.lesson == "apple-backward")
        assert (row.solved, row.attempts) == (1, 2)
        shown = screen_text(app)
        line = next(line for line in shown.splitlines() if screen.lesson.title.ko in line)
        assert f"{row.solved}/{row.total}" in line and f" {row.attempts} " in line


@pytest.mark.anyio
async def test_ascii_switch_redraws_the_graph(tmp_path, open_lesson, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        assert screen.query(GraphView)
        assert "▶" in screen_text(app)
        await pilot.press("f3")
        await pilot.pause()
        drawing = "\n".join(line.plain for line in screen.query_one(GraphView).render().split())
        assert app.ascii and "▶" not in drawing and "─" not in drawing and ">" in drawing


@pytest.mark.anyio
async def test_ascii_mode_marks_a_verdict_in_ascii(tmp_path, open_lesson, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        await pilot.press("f3")
        await pilot.pause()
        field = await go_to_blank(pilot, screen, "d-apple-total")
        right = screen.session.instance.answer("d-apple-total")
        await answer(pilot, field, f"{right + 1:g}")
        feedback = field.feedback.render().plain
        assert feedback.startswith("X ") and "✗" not in screen_text(app)
        await answer(pilot, field, f"{right:g}")
        assert field.feedback.render().plain.startswith("OK ")


@pytest.mark.anyio
async def test_ascii_mode_sets_the_graphs_labels_and_the_prompts_in_ascii(tmp_path, open_lesson, screen_text):
    """Lesson 13 labels its nodes −x and e⁻ˣ; its prompts write ∂ and −: they stayed in ASCII mode."""
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lesson(pilot, "sigmoid-steps")
        await pilot.press("f3")
        await pilot.pause()
        while not (screen.step.graphs and screen.step.blanks):
            await pilot.press("pagedown")
            await pilot.pause()
        drawn = "\n".join(line.plain for line in screen.query_one(GraphView).drawing())
        prompts = [field.query_one(".prompt").render().plain for field in screen.query(BlankField)]
        for text in [drawn, *prompts]:
            assert all(c.isascii() or "가" <= c <= "힣" for c in text), [c for c in text if not c.isascii()]
        assert "e^(-x)" in drawn


@pytest.mark.anyio
async def test_dataset_table_shows_the_blanks_in_its_cells(tmp_path, open_lesson, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lesson(pilot, "y-equals-2x")
        vector_blanks = [pid for pid in screen.step.blanks if screen.lesson.problem(pid).type == "vector"]
        assert vector_blanks
        table = " ".join(screen_text(app).split())
        samples = len(screen.session.instance.graph(screen.lesson.problem(vector_blanks[0]).graph).value("X"))
        for pid in vector_blanks:
            assert table.count(f"[{screen.letters[pid]}]") >= samples  # one marker per sample row
        field = next(f for f in screen.query(BlankField) if f.problem.id == vector_blanks[0])
        expected = screen.session.instance.answer(vector_blanks[0])
        await answer(pilot, field, ", ".join(f"{v:g}" for v in expected))
        assert screen.session.blanks[vector_blanks[0]].solved
        assert f"[{screen.letters[vector_blanks[0]]}]" not in " ".join(screen_text(app).split())


@pytest.mark.anyio
async def test_graph_labels_name_the_nodes_in_the_drawing_and_the_table(tmp_path, wait_for, open_lesson, screen_text):
    """The y = 2x graph `net` has no labels: in the course (shown by node name); labels given to it
    name its nodes in the drawing and the dataset table's headers."""
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        lesson = next(lesson for lesson in app.lessons if lesson.id == "y-equals-2x")
        lesson.graphs["net"].labels = {"pred_y": Localized(ko="예측값", en="prediction"),
                                       "train_y": Localized(ko="정답값", en="target")}
        screen = await open_lesson(pilot, "y-equals-2x")
        assert screen.query(DatasetTable) and "정답값" in screen_text(app)
        await pilot.press("f2")
        while not screen.query(GraphView):
            await pilot.press("pagedown")
            await pilot.pause()
        drawn = "\n".join(line.plain for line in screen.query_one(GraphView).render().split())
        assert "prediction" in drawn and "pred_y" not in drawn


@pytest.mark.anyio
async def test_training_panel_hides_the_numbers_the_step_asks_for(tmp_path, open_lesson, screen_text):
    """On the GD step, w and the loss after each update are the blanks' answers: [?] until the
    step's blanks are solved (the chart's y axis without numbers too), numbers after."""
    from tutor.app.chart import ChartView
    from tutor.app.screens.charts import TrainingPanel

    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lesson(pilot, "y-equals-2x")
        await go_to_blank(pilot, screen, "gd-w2")
        panel = screen.query_one(TrainingPanel)
        panel.focus()
        await pilot.press("g", "g", "g")
        await pilot.pause()
        after = [panel.shown(x) for update in panel.trainers["GD"].history[1:]
                 for x in (update.loss, update.weights["w"])]
        shown = screen_text(app)
        assert "[?]" in shown and not any(number in shown for number in after)
        assert panel.query_one(ChartView).data.hide_values
        for field in list(screen.query(BlankField)):
            field.input.focus()
            await answer(pilot, field, f"{screen.session.instance.answer(field.problem.id):g}")
            assert screen.session.blanks[field.problem.id].solved
        panel.scroll_visible(animate=False)
        await pilot.pause()
        shown = screen_text(app)
        assert "[?]" not in shown and all(number in shown for number in after)
        assert not panel.query_one(ChartView).data.hide_values


def test_first_frame_comes_before_numpy(tmp_path):
    """Start fast: numpy (and the lessons, and plotext for the charts) load after the first frame, in a
    worker."""
    import subprocess
    import sys

    probe = """
import sys
from tutor.app.main import TutorApp
class Probe(TutorApp):
    def on_ready(self):
        self.numpy_at_first_frame = "numpy" in sys.modules or "plotext" in sys.modules
    def lessons_ready(self, *args):
        super().lessons_ready(*args)
        self.plotext_with_lessons = "plotext" in sys.modules
        self.exit()
app = Probe(None, store=None)
app.run(headless=True)
print("numpy at first frame:", app.numpy_at_first_frame, "lessons:", len(app.lessons),
      "plotext with the lessons:", app.plotext_with_lessons)
"""
    run = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert "numpy at first frame: False" in run.stdout, run.stdout + run.stderr
    assert "plotext with the lessons: True" in run.stdout
    assert "lessons: 0" not in run.stdout


@pytest.mark.anyio
async def test_closed_lesson_screens_are_freed(tmp_path, open_lesson, wait_for, screen_text):
    """A closed lesson screen and its widgets must not stay alive (a screen that watched app.lang
    did until the language next changed, and each opening then ended in a full garbage collection)."""
    import gc
    import weakref

    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        closed = []
        for _ in range(5):
            screen = await open_lesson(pilot, "apple-backward")
            closed += [weakref.ref(screen), *(weakref.ref(w) for w in screen.query("*"))]
            del screen
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await pilot.pause()
        gc.collect()
        alive = [ref() for ref in closed if ref() is not None]
        assert alive == [], f"{len(alive)} of {len(closed)} closed screens and widgets still alive"
        app.lang = "en"  # the screen left open still follows the language
        await pilot.pause()
        assert "Overall:" in screen_text(app)


@pytest.mark.anyio
async def test_a_fence_without_a_language_is_plain_text(tmp_path, open_lesson, monkeypatch):
    """Pygments is not asked to guess the language of an unnamed fence (its guess imported ~280
    lexer modules on the first opening, and could colour a table of numbers as code)."""
    import textual.highlight
    from textual.widgets.markdown import MarkdownFence

    guessed = []
    monkeypatch.setattr(textual.highlight, "guess_language", lambda code, path: guessed.append(code) or "text")
    folder = tmp_path / "lessons"
    folder.mkdir()
    lesson = (FIXTURES / "course" / "05-add-mul-nodes.md").read_text(encoding="utf-8")
    fence = "일 때 x와 y로 각각 미분해 봅시다.\n\n```\nx   y   z\n10  5   15\n```\n"
    (folder / "05.md").write_text(lesson.replace("일 때 x와 y로 각각 미분해 봅시다.\n", fence, 1), encoding="utf-8")
    app = make_app(tmp_path / "p.db", lessons=folder)
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "add-mul-nodes")
        assert [f.code for f in screen.query(MarkdownFence)] == ["x   y   z\n10  5   15"]
    assert guessed == []


@pytest.mark.anyio
async def test_home_names_unfinished_requirements_by_their_lesson_number(tmp_path, wait_for, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        await pilot.pause()
        second = app.lessons[1]
        first_number = f"{[lesson.id for lesson in app.lessons].index(second.requires[0]) + 1:02d}"
        shown = screen_text(app)
        # a recommendation, as the app does not lock the lesson (it opens, below)
        assert f"{first_number}번을 먼저 하길 권합니다" in shown and "마치세요" not in shown
        assert second.requires[0] not in shown  # the number, not the id
        await pilot.press("down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, LessonScreen))
        assert app.screen.lesson.id == second.id


@pytest.mark.anyio
async def test_walk_starts_with_the_outputs_own_label(tmp_path, start_walk, screen_text):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen, view = await start_walk(pilot)
        output = view.localized_labels()[view.graph.output]  # the apple lesson's payment has a label
        assert f"{output}에서 시작: 자기 자신에 대한 기울기는 1" in screen_text(app)


def test_a_labelled_output_is_not_called_the_output_twice():
    """A label that says 'output' itself (출력 f) read '출력 출력 f에서 시작: ∂출력 f/∂출력 f = 1'."""
    from tutor.app.screens.walk import walk_lines

    graph = Graph.parse(inputs={"q": 3, "z": -4}, nodes={"f": "q * z"})
    for lang in ("ko", "en"):
        start = walk_lines(graph, "f", lang, labels={"f": "출력 f"}).plain.splitlines()[0]
        assert start.count("출력") == 1, start  # the label's own
    assert walk_lines(graph, "f", "en").plain.startswith("Start at the output f: ∂f/∂f = 1")


@pytest.mark.anyio
async def test_a_progress_warning_is_shown_in_the_learners_language(tmp_path, wait_for, screen_text):
    bad = tmp_path / "p.db"
    bad.write_bytes(b"not a database" * 100)  # moved aside, a fresh store started, and a warning
    app = make_app(bad, lang="ko")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        await pilot.pause()
        def shown() -> str:
            return " ".join(screen_text(app).split())
        assert app.store.warning_in("ko")[:30] in shown()
        await pilot.press("f2")
        await pilot.pause()
        assert app.store.warning_in("en")[:30] in shown()


@pytest.mark.anyio
async def test_enter_on_the_graph_submits_nothing(tmp_path, open_lesson):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        while not screen.step.graphs:
            await pilot.press("pageup")
            await pilot.pause()
        screen.query_one(GraphView).focus()
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert all(state.verdict is None and state.tries == 0 for state in screen.session.blanks.values())
        assert all(not field.feedback.render().plain for field in screen.query(BlankField))


@pytest.mark.anyio
async def test_a_solved_answer_box_keeps_its_answer_and_takes_no_typing(tmp_path, open_lesson):
    app = make_app(tmp_path / "p.db")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await go_to_blank(pilot, screen, "d-apple-price")
        await answer(pilot, field, "2.2")
        field.input.focus()  # refused: a solved box takes no focus
        await pilot.press("9")
        assert field.input.value == "2.2"
        for _ in range(6):  # Tab goes round the step's widgets, never into the solved box
            await pilot.press("tab")
            assert screen.focused is not field.input
        await pilot.press("f2")  # the step is rebuilt in English: the answer is still shown
        await pilot.pause()
        rebuilt = next(f for f in screen.query(BlankField) if f.problem.id == "d-apple-price")
        assert rebuilt.input.value == "2.2" and rebuilt.input.disabled
    app = make_app(tmp_path / "p.db")  # opened again another day: the store keeps no typed text
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await go_to_blank(pilot, screen, "d-apple-price")
        assert field.input.disabled and field.input.value == shown_answer(screen.session.instance, "d-apple-price")


@pytest.mark.anyio
async def test_the_too_small_notice_follows_f2_and_quits_on_ctrl_q(tmp_path, screen_text):
    app = make_app(tmp_path / "p.db", lang="ko")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert "터미널이 너무 작습니다" in screen_text(app)
        await pilot.press("f2")
        await pilot.pause()
        assert app.lang == "en" and "too small" in screen_text(app)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert not app.is_running


@pytest.mark.anyio
@pytest.mark.parametrize("lang", ["ko", "en"])
async def test_the_progress_table_fits_80_columns(tmp_path, open_lesson, screen_text, lang):
    from tutor.app.i18n import t

    app = make_app(tmp_path / "p.db", lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_lesson(pilot, "apple-backward")
        field = await go_to_blank(pilot, screen, "d-apple-total")
        await answer(pilot, field, "1")
        await pilot.press("f4")
        for shown_lang in (lang, "en" if lang == "ko" else "ko"):  # and again after f2 redraws it
            await pilot.pause()
            shown = screen_text(app)
            for key in ("progress.lesson", "progress.solved", "progress.attempts", "progress.first_try",
                        "progress.last"):
                assert t(key, shown_lang) in shown
            row = next(line for line in shown.splitlines() if "0/" in line and " 1 " in line)
            assert re.search(r"\d{4}-\d\d-\d\d \d\d:\d\d", row)  # the last activity, whole
            await pilot.press("f2")


@pytest.mark.anyio
async def test_choices_are_numbered_and_answered_by_number(tmp_path, open_lesson, screen_text):
    app = make_app(tmp_path / "p.db", lang="en")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_lesson(pilot, "appendix-questions")
        field = next(f for f in screen.query(BlankField) if f.problem.type == "choice")
        problem = field.problem
        shown = " ".join(screen_text(app).split())
        assert "1) " in shown and f"{len(problem.options)}) " in shown
        assert not any(f"{option.id}:" in shown for option in problem.options)
        number = [option.id for option in problem.options].index(problem.answer) + 1
        field.input.focus()
        await answer(pilot, field, str(number))
        assert screen.session.blanks[problem.id].solved


def test_the_key_bar_leaves_out_whole_entries_that_do_not_fit_keeping_quit_help_and_the_language():
    """At 100 columns in the walk the bar ended '^b 역전파  f2': the language key without its word."""
    from textual.binding import Binding

    from tutor.app.i18n import t
    from tutor.app.widgets import key_bar_text

    pairs = [(Binding(key, action, description), True) for key, action, description in [
        ("ctrl+q", "quit", "key.quit"), ("f1", "help", "key.help"), ("escape", "back", "key.back"),
        ("ctrl+t", "hint", "key.hint"), ("ctrl+r", "reveal", "key.reveal"), ("f2", "lang", "key.lang")]]
    full = key_bar_text(pairs, lambda binding: binding.key, "ko")
    narrow = key_bar_text(pairs, lambda binding: binding.key, "ko", full.cell_len - 3)
    assert narrow.cell_len <= full.cell_len - 3
    assert narrow.plain.startswith("ctrl+q") and narrow.plain.endswith(f"f2 {t('key.lang', 'ko')}")
    assert "ctrl+r" not in narrow.plain and f"ctrl+t {t('key.hint', 'ko')}" in narrow.plain
