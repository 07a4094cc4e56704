"""Charts (issue 24): lesson 10's (y = 2x) training panel plots the loss of GD and SGD as the learner steps them;
an author's ``{{chart NAME}}`` is computed by the engine, checked by the loader at file:line:col and
bounded in points. Expected numbers come from the engine: the lesson's own answers (w after each GD and
SGD update) put into its graph, never typed in."""

import unicodedata
from pathlib import Path

import numpy as np
import pytest
from cli_runner import CliRunner

from tutor.cli import main
from tutor.lessons import LessonError, bundled_lessons_dir, load_lesson
from tutor.lessons.charts import MAX_CHART_POINTS, MAX_CHARTS, Trainer, series

FIXTURES = Path(__file__).parent / "app_fixtures" / "charts"
NET = load_lesson(next(bundled_lessons_dir().glob("*y-equals-2x.md")))
GD_ANSWERS = ("w-after-one", "gd-w2", "gd-w3")  # w after GD's 1st, 2nd, 3rd update
SGD_ANSWERS = ("sgd-w1", "sgd-w2", "sgd-w3")  # w after SGD's update on sample 1, 2, 3


def other_w0_seeds(count: int = 2) -> list[int]:
    """Seeds whose w₀ differ from each other and from the file's."""
    seen, seeds = {float(NET.instance().graph("net").value("w"))}, []
    for seed in range(100):
        w0 = NET.instance(seed).inputs["w"]
        if w0 not in seen:
            seen.add(w0)
            seeds.append(seed)
        if len(seeds) == count:
            return seeds
    raise AssertionError("lesson 10 (y = 2x) has fewer variants of w than the test needs")


def losses_at(instance, weights: list[float]) -> list[float]:
    """The loss on the whole dataset at each weight, from the lesson's own graph."""
    net = instance.graph("net")
    return [float(net.with_values({"w": w}).value("loss")) for w in weights]


def expected_curves(instance) -> tuple[list[float], list[float]]:
    w0 = float(instance.graph("net").value("w"))
    return (losses_at(instance, [w0] + [instance.answer(p) for p in GD_ANSWERS]),
            losses_at(instance, [w0] + [instance.answer(p) for p in SGD_ANSWERS]))


# ---- the engine's side -------------------------------------------------------------------------------

@pytest.mark.parametrize("seed", [None, *other_w0_seeds()])
def test_trainer_updates_as_the_lessons_answers_do(seed):
    instance = NET.instance(seed)
    gd, sgd = (Trainer(instance.graph("net"), NET.params["lr"], stochastic=s) for s in (False, True))
    for _ in range(3):
        gd.step()
        sgd.step()
    assert [u.weights["w"] for u in gd.history[1:]] == pytest.approx([instance.answer(p) for p in GD_ANSWERS])
    assert [u.weights["w"] for u in sgd.history[1:]] == pytest.approx([instance.answer(p) for p in SGD_ANSWERS])
    assert [u.sample for u in sgd.history] == [None, 0, 1, 2]
    gd.reset()
    assert gd.updates == 0 and gd.losses == losses_at(instance, [gd.start.value("w")])


def test_trainer_follows_the_lecture():
    """NOTES.md: y = 2x net, w0 = 3, lr 0.1: GD 3 → 2.0667 → 2.0044 → 2.0003; SGD in order 1, 2, 3
    goes 3 → 2.8 → 2.16 → 1.872 (the lecture's own numbers, which the engine must reproduce)."""
    gd, sgd = (Trainer(NET.instance().graph("net"), NET.params["lr"], stochastic=s) for s in (False, True))
    for _ in range(3):
        gd.step()
        sgd.step()
    assert [round(u.weights["w"], 4) for u in gd.history] == [3, 2.0667, 2.0044, 2.0003]
    assert [round(u.weights["w"], 4) for u in sgd.history] == [3, 2.8, 2.16, 1.872]


def test_a_chart_in_a_lesson_is_computed_by_the_engine():
    lesson = load_lesson(FIXTURES / "01-charts.md")
    assert [step.charts for step in lesson.steps] == [["bowl"], ["descent"]]
    net = lesson.instance().graph("net")
    (bowl,) = series(lesson.charts["bowl"], net)
    assert bowl.xs == pytest.approx(list(np.linspace(0, 4, 41)))
    assert bowl.ys == [float(net.with_values({"w": x}).value("loss")) for x in bowl.xs]
    gd, sgd = series(lesson.charts["descent"], net)
    assert (gd.name, sgd.name, gd.xs) == ("GD", "SGD", list(range(7)))
    trainer = Trainer(net, lesson.params["lr"], stochastic=True)
    for _ in range(6):
        trainer.step()
    assert sgd.ys == trainer.losses


def test_the_docs_chart_example_loads_and_computes(tmp_path):
    import re

    docs = (Path(__file__).parent.parent / "docs" / "authoring.md").read_text(encoding="utf-8")
    example = re.search(r"## 10\..*?```yaml\n(.*?)```", docs, re.S).group(1)
    path = tmp_path / "docs-chart.md"
    path.write_text(f"---\nid: docs-chart\ntitle: t\n{example}---\n## s\n\n{{{{chart descent}}}}\n\n{{{{chart bowl}}}}\n",
                    encoding="utf-8")
    lesson = load_lesson(path, check_variants=True)
    net = lesson.instance().graph("net")
    assert [len(s.ys) for name in ("descent", "bowl") for s in series(lesson.charts[name], net)] == [7, 7, 41]


# ---- the loader: refused at file:line:col ----------------------------------------------------------

DEMO = (FIXTURES / "01-charts.md").read_text(encoding="utf-8")


def refused(tmp_path, source: str, name: str = "bad.md") -> list[str]:
    path = tmp_path / name
    path.write_text(source, encoding="utf-8")
    with pytest.raises(LessonError) as error:
        load_lesson(path, check_variants=True)
    return [str(issue) for issue in error.value.issues]


def where(source: str, needle: str, offset: int = 0) -> str:
    """``line:col`` of ``needle`` in ``source`` (1-based), ``offset`` characters into it."""
    at = source.index(needle) + offset
    return f"{source.count(chr(10), 0, at) + 1}:{at - source.rfind(chr(10), 0, at)}"


@pytest.mark.parametrize("change, needle, offset, message", [
    (("    updates: 6", "    update: 6"), "update: 6", 0, "unknown key 'update' in charts.descent (did you mean 'updates'?)"),
    (("kind: sweep", "kind: swep"), "swep", 0, "unknown chart kind 'swep': use training or sweep (did you mean 'sweep'?)"),
    (("    points: 41", "    points: many"), "many", 0, "charts.bowl.points: expected a whole number, got text"),
    (("    input: w", "    input: X"), "X\n    from", 0, "chart 'bowl': 'X' is not an input of graph 'net' holding one number"),
    (("    kind: sweep\n", ""), "  bowl:", 2, "chart 'bowl' needs a kind: training or sweep"),
    (("    to: 4", "    to: -1"), "-1\n", 0, "chart 'bowl': from and to must be finite numbers with from < to"),
    (("{{chart descent}}\n\n::: en", "{{chart decsent}}\n\n::: en"), "{{chart decsent}}", 0,
     "{{chart decsent}}: no chart is named 'decsent' (did you mean 'descent'?)"),
])
def test_a_malformed_chart_is_refused_at_its_line_and_column(tmp_path, change, needle, offset, message):
    source = DEMO.replace(*change)
    assert source != DEMO
    assert f"{tmp_path / 'bad.md'}:{where(source, needle, offset)}: {message}" in refused(tmp_path, source)


def test_a_chart_past_its_point_budget_is_refused(tmp_path):
    updates = MAX_CHART_POINTS // 2  # two methods: (updates + 1) × 2 points, just past the budget
    source = DEMO.replace("    updates: 6", f"    updates: {updates}")
    assert refused(tmp_path, source) == [
        f"{tmp_path / 'bad.md'}:{where(source, str(updates))}: chart 'descent' plots {(updates + 1) * 2} points; "
        f"at most {MAX_CHART_POINTS} (limit: points per chart)"]
    within = DEMO.replace("    updates: 6", f"    updates: {updates - 1}")
    (tmp_path / "ok.md").write_text(within, encoding="utf-8")
    assert load_lesson(tmp_path / "ok.md").charts["descent"].updates == updates - 1


def test_charts_past_the_lessons_work_budget_are_refused(tmp_path):
    """Each point is a pass through the graph: points × the graph's work counts in the lesson's budget."""
    from tutor.lessons.loader import MAX_LESSON_WORK

    data = ", ".join(str(i % 7) for i in range(3000))
    source = DEMO.replace("X: [1, 2, 3]", f"X: [{data}]")
    path = tmp_path / "big.md"
    path.write_text(source.replace("  bowl:\n", "  bowl:\n").replace("    points: 41", "    points: 2"), encoding="utf-8")
    lesson = load_lesson(path)
    work = lesson.engine_graphs["net"].cost().work
    points = MAX_LESSON_WORK // work + 1
    assert points <= MAX_CHART_POINTS, "the graph is too small to reach the work budget within the point budget"
    issues = refused(tmp_path, source.replace("    points: 41", f"    points: {points}"))
    assert any(f":{where(source, '  bowl:', 2)}: chart 'bowl' with the lesson's graphs would compute" in i
               and "(limit: work per lesson)" in i for i in issues), issues


def test_too_many_charts_are_refused(tmp_path):
    extra = "".join(f"  c{i}:\n    kind: sweep\n    input: w\n    from: 0\n    to: 1\n" for i in range(MAX_CHARTS))
    source = DEMO.replace("charts:\n", "charts:\n" + extra)
    assert any(f"the lesson has {MAX_CHARTS + 2} charts; at most {MAX_CHARTS} (limit: charts per lesson)" in i
               for i in refused(tmp_path, source))


def test_a_chart_whose_values_are_not_finite_is_refused_naming_where(tmp_path):
    source = DEMO.replace("    to: 4", "    to: 1e308")
    (issue,) = refused(tmp_path, source)
    assert issue.startswith(f"{tmp_path / 'bad.md'}:{where(source, '  bowl:', 2)}: chart 'bowl': at w = ")
    assert "gives infinity" in issue


def test_a_training_chart_needs_data_weights_and_a_learning_rate(tmp_path):
    no_lr = DEMO.replace("params: {lr: 0.1}\n", "")
    assert any("chart 'descent': a training chart needs a learning rate" in i for i in refused(tmp_path, no_lr))
    no_data = DEMO.replace("      X: [1, 2, 3]", "      X: 2")
    assert any("chart 'descent': graph 'net' cannot be trained: it has no data" in i for i in refused(tmp_path, no_data))


def test_tutor_check_reports_a_bad_chart_like_every_other_error(tmp_path):
    path = tmp_path / "bad.md"
    source = DEMO.replace("kind: sweep", "kind: swep")
    path.write_text(source, encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 1
    assert f"{path}:{where(source, 'swep')}: unknown chart kind 'swep'" in result.output


def test_a_chart_never_placed_is_an_error(tmp_path):
    source = DEMO.replace("{{chart bowl}}\n\n{{blank loss}}\n\n::: en", "{{blank loss}}\n\n::: en").replace(
        "{{chart bowl}}\n", "")
    assert refused(tmp_path, source) == [
        f"{tmp_path / 'bad.md'}:{where(source, '  bowl:', 2)}: chart 'bowl' is never placed: add {{{{chart bowl}}}} "
        "to a step"]


# ---- the app ---------------------------------------------------------------------------------------

async def open_step(pilot, lesson, session, blank: str):
    """The lesson screen at the step of ``blank``, once built."""
    from tutor.app.screens.lesson import LessonScreen

    step = next(i for i, s in enumerate(lesson.steps) if blank in s.blanks)
    await pilot.app.push_screen(LessonScreen(lesson, session, step))
    await pilot.pause()
    await pilot.pause()
    return pilot.app.screen


def region_text(app, widget) -> list[str]:
    """What the terminal shows where ``widget`` is, line by line."""
    region = widget.region
    strips = app.screen._compositor.render_strips()
    return [strip.crop(region.x, region.right).text for strip in strips[region.y:region.bottom]]


@pytest.mark.anyio
@pytest.mark.parametrize("seed", other_w0_seeds())
async def test_the_chart_plots_the_engines_losses_after_each_update(seed, wait_for, screen_text):
    """g g g s s s: the chart's two curves are the loss after each GD and each SGD update, for the
    learner's variant of w₀; the current point of each is marked; r starts both again."""
    from tutor.app.chart import ChartView
    from tutor.app.main import TutorApp
    from tutor.app.screens.charts import TrainingPanel
    from tutor.app.session import LessonSession

    app = TutorApp(resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        lesson = next(lesson for lesson in app.lessons if lesson.id == NET.id)
        screen = await open_step(pilot, lesson, LessonSession(lesson, seed=seed), "sgd-w1")
        panel = screen.query_one(TrainingPanel)
        panel.focus()
        await pilot.press("g", "g", "g", "s", "s", "s")
        await pilot.pause()
        chart = panel.query_one(ChartView)
        (gd_x, gd_y), (sgd_x, sgd_y) = chart.plotted()
        want_gd, want_sgd = expected_curves(lesson.instance(seed))
        assert gd_x == sgd_x == [0, 1, 2, 3]
        assert gd_y == pytest.approx(want_gd, rel=1e-12) and sgd_y == pytest.approx(want_sgd, rel=1e-12)
        assert chart.marks() == [(3, gd_y[-1]), (3, sgd_y[-1])]
        shown = "\n".join(region_text(app, chart))
        assert "GD" in shown and "SGD" in shown and "지금" in shown and "가중치 갱신 횟수" in shown
        await pilot.press("r")
        await pilot.pause()
        assert chart.plotted() == [([0], [want_gd[0]]), ([0], [want_sgd[0]])]


@pytest.mark.anyio
async def test_the_panel_follows_the_language_and_ascii_mode(wait_for):
    """f2: the chart's and the table's words in English, the steps taken kept; f3: the panel in ASCII
    (Hangul left as it is in Korean; nothing else outside ASCII)."""
    from tutor.app.chart import ChartView
    from tutor.app.main import TutorApp
    from tutor.app.screens.charts import TrainingPanel

    def outside_ascii(lines: list[str]) -> set[str]:
        return {ch for line in lines for ch in line if not ch.isascii() and "HANGUL" not in unicodedata.name(ch, "")}

    app = TutorApp(resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        lesson = next(lesson for lesson in app.lessons if lesson.id == NET.id)
        from tutor.app.session import LessonSession

        screen = await open_step(pilot, lesson, LessonSession(lesson), "gd-w2")
        screen.query_one(TrainingPanel).focus()
        await pilot.press("g", "s")
        assert outside_ascii(region_text(app, screen.query_one(TrainingPanel)))  # Unicode: box, braille, ◆
        await pilot.press("f2")
        await pilot.pause()
        await pilot.pause()
        panel = app.screen.query_one(TrainingPanel)
        panel.focus()
        await pilot.pause()
        assert [t.updates for t in panel.trainers.values()] == [1, 1]
        assert panel.query_one(ChartView).data.x_label == "weight updates"
        assert "weight updates" in "\n".join(region_text(app, panel))
        await pilot.press("f3")
        await pilot.pause()
        assert outside_ascii(region_text(app, panel)) == set()
        assert all(line.isascii() for line in region_text(app, panel))  # English: nothing but ASCII
        await pilot.press("f2")
        await pilot.pause()
        await pilot.pause()
        panel = app.screen.query_one(TrainingPanel)
        panel.scroll_visible(animate=False)
        await pilot.pause()
        assert outside_ascii(region_text(app, panel)) == set()


@pytest.mark.anyio
async def test_a_screen_too_small_for_the_chart_keeps_the_table_and_says_so():
    """The panel in a view of 15 rows: the table and a one-line note, no chart; in 30 rows, the chart.
    (The app itself is never under 80×24, where the chart has 13 rows: a screen of the panel alone here.)"""
    from textual.app import App
    from textual.containers import VerticalScroll
    from textual.screen import Screen

    from tutor.app.chart import ChartView
    from tutor.app.screens.charts import TrainingPanel, new_trainers
    from tutor.app.screens.lesson import LessonScreen
    from tutor.render.numbers import format_number

    class PanelScreen(Screen):
        on_resize = LessonScreen.on_resize  # the lesson screen's own fitting

        def compose(self):
            with VerticalScroll():
                yield TrainingPanel(new_trainers(NET.instance().graph("net"), NET.params["lr"]), format_number)

    class Host(App):
        CSS_PATH = Path(__file__).parent.parent / "tutor" / "app" / "tutor.tcss"
        lang, ascii = "en", False

        def on_mount(self) -> None:
            self.push_screen(PanelScreen())

    app = Host()
    async with app.run_test(size=(80, 15)) as pilot:
        await pilot.pause()
        await pilot.pause()
        panel = app.screen.query_one(TrainingPanel)
        text = "\n".join(region_text(app, panel))
        assert not panel.query_one(ChartView).display
        assert "The window is too small for the chart" in text and "GD loss" in text
        await pilot.resize_terminal(80, 30)
        await pilot.pause()
        await pilot.pause()
        assert panel.query_one(ChartView).display
        assert "too small" not in "\n".join(region_text(app, panel))


@pytest.mark.anyio
async def test_a_chart_placed_in_a_step_renders(tmp_path, wait_for):
    from tutor.app.chart import ChartView
    from tutor.app.main import TutorApp
    from tutor.app.screens.charts import StepChart

    app = TutorApp(FIXTURES, resume=False, lang="en")
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        lesson = next(lesson for lesson in app.lessons if lesson.id == "charts")
        from tutor.app.session import LessonSession

        screen = await open_step(pilot, lesson, LessonSession(lesson), "loss")
        chart = screen.query_one(StepChart)
        net = lesson.instance().graph("net")
        ((xs, ys),) = chart.query_one(ChartView).plotted()
        assert ys == [float(net.with_values({"w": x}).value("loss")) for x in xs] and len(xs) == 41
        shown = "\n".join(region_text(app, chart))
        assert "The loss as w varies: a bowl" in shown and "weight w" in shown and "loss L" in shown


@pytest.mark.anyio
async def test_a_charts_words_are_shown_literally(tmp_path, wait_for):
    """A chart's title and the labels naming its axes are lesson text: never markup, never an action."""
    from tutor.app.main import TutorApp
    from tutor.app.screens.charts import StepChart
    from tutor.app.session import LessonSession

    hostile = "[@click=app.quit]w[/] [bold]x"
    source = DEMO.replace('"w에 따른 손실: 그릇 모양"', f'"{hostile}"').replace("{ko: 가중치 w, en: weight w}", f'"{hostile}"')
    (tmp_path / "01-charts.md").write_text(source, encoding="utf-8")
    app = TutorApp(tmp_path, resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        lesson = app.lessons[0]
        screen = await open_step(pilot, lesson, LessonSession(lesson), "loss")
        shown = "\n".join(region_text(app, screen.query_one(StepChart)))
        assert shown.count(hostile) == 2 and app.is_running  # the title, and the x axis named by w's label
