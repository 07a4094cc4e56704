"""The charts of a lesson step: the training panel (GD and SGD stepped by hand, their losses and weights
in a table and on one chart) and an author's ``{{chart NAME}}`` (tutor.lessons.charts).

A chart needs room. When the step's view leaves it fewer than ``CHART_ROWS[0]`` rows beside the rest of
its panel, or the panel is narrower than ``CHART_MIN_WIDTH``, the chart is left out with a one-line note
(the training table stays); it comes back when the window grows. The plotting module (plotext) is
imported only here, when a chart is first built.
"""

import re

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical
from textual.widgets import Static

from tutor.grading.compare import band_of
from tutor.lessons import text
from tutor.lessons.charts import MAX_CHART_POINTS, Series, TrainingChart, Trainer, series
from tutor.render.glyphs import ascii_text, glyph
from tutor.render.mathtext import safe_text

from ..i18n import t
from ..widgets import pass_typing, plain

CHART_ROWS = (8, 13)  # the fewest and the most rows a chart takes, its legend and axis name included (13: as
# the app's smallest screen, 80×24, gives it beside the training table, so the first layout is the last)
CHART_MIN_WIDTH = 40
TABLE_ROWS = 5  # the start, then the latest updates (a gap between them marked …)
USES_LR = re.compile(r"\blr\b")
PANEL_UPDATES = MAX_CHART_POINTS // 2 - 1  # per method in the training panel, as an author's chart is bounded


def view_rows(widget) -> int:
    """The rows of the scrolling view that ``widget`` sits in (the step's body), else of its screen."""
    view = next((a for a in widget.ancestors if isinstance(a, ScrollableContainer)), None)
    return (view.scrollable_content_region if view is not None else widget.screen.size).height


class ChartBox(Vertical):
    """A chart (tutor/app/chart.py), or in its place a one-line note while the view is too small for it."""

    def __init__(self, data, **kwargs):
        super().__init__(**kwargs)
        self.data = data

    def compose(self) -> ComposeResult:
        from ..chart import ChartView  # plotext: only once a step shows a chart

        yield ChartView(self.data, classes="chart")
        yield Static(classes="chart-note")

    @property
    def chart(self):
        return self.query_one(".chart")

    def show(self, data) -> None:
        self.data = data
        if self.is_mounted:
            self.chart.show(data)

    def fit(self, rows: int) -> None:
        """Give the chart ``rows`` rows (at most ``CHART_ROWS[1]``), or the note when there are too few.
        Only what changes is set: each change costs the screen a layout."""
        fits = rows >= CHART_ROWS[0] and self.size.width >= CHART_MIN_WIDTH
        chart, note = self.chart, self.query_one(".chart-note", Static)
        if fits != chart.display:
            chart.display, note.display = fits, not fits
        if not fits:
            note.update(plain(t("chart.too_small", self.app.lang), style="dim italic"))
        elif chart.size.height != min(rows, CHART_ROWS[1]):
            chart.styles.height = min(rows, CHART_ROWS[1])


# ---- the training panel -------------------------------------------------------------------------

def training_table(trainers: dict[str, Trainer], lang: str, shown, secret: bool = False,
                   ascii: bool = False) -> Table:
    """One row per number of updates (the start, then the latest ones): each method's loss and weights
    after that many updates, and the sample each SGD update used. ``shown`` writes a number (the
    blanks' digits); with ``secret`` every number after the start is ``[?]``: those numbers are the
    answers of the step's blanks."""
    table = Table(box=None, padding=(0, 1), pad_edge=False, header_style="bold")
    table.add_column(t("train.updates", lang), justify="right")
    for method, trainer in trainers.items():
        if trainer.stochastic:
            table.add_column(f"{method} {t('train.sample', lang)}", justify="right")
        table.add_column(f"{method} {t('train.loss', lang)}", justify="right")
        for weight in trainer.weights:
            table.add_column(plain(f"{method} {weight}"), justify="right")
    rows = table_rows(sorted(trainer.updates for trainer in trainers.values()))
    for n in rows:
        if n is None:
            table.add_row(glyph("ellipsis", ascii))
            continue
        cells = [str(n)]
        for trainer in trainers.values():
            update = trainer.history[n] if n <= trainer.updates else None
            numbers = [] if update is None else [update.loss, *update.weights.values()]
            if trainer.stochastic:
                cells.append("" if update is None or update.sample is None else str(update.sample + 1))
            cells += ["[?]" if secret and n else shown(x) for x in numbers] or [""] * (1 + len(trainer.weights))
        table.add_row(*cells)
    return table


def table_rows(latest: list[int]) -> list[int | None]:
    """The numbers of updates the table shows, at most ``TABLE_ROWS`` rows, None a gap (…): the start, each
    method's latest update (GD stepped once and SGD five times: GD's one row was left out), and the
    updates just before the last, as many as fit."""
    last = latest[-1]
    if last < TABLE_ROWS:
        return list(range(last + 1))
    kept = {0, *latest}
    for n in range(last, 0, -1):  # the most recent first, while the rows and their gaps fit
        more = sorted(kept | {n})
        if len(more) + sum(b - a > 1 for a, b in zip(more, more[1:])) > TABLE_ROWS:
            break
        kept.add(n)
    rows: list[int | None] = []
    for n in sorted(kept):
        if rows and n - rows[-1] > 1:
            rows.append(None)
        rows.append(n)
    return rows


class TrainingPanel(Vertical, can_focus=True):
    """GD and SGD on a lesson's graph, stepped by the learner: both start from the graph's weights (the
    learner's variant), and each one's loss after every update is in the table and on the chart. Letter
    keys work while it has the focus, not an answer box."""

    BINDINGS = [
        Binding("g", "train(False)", "key.train_gd"),
        Binding("s", "train(True)", "key.train_sgd"),
        Binding("r", "restart", "key.train_reset"),
    ]
    OTHER_ROWS = 2 + 1 + TABLE_ROWS + 1  # border, table header and rows, keys line

    def __init__(self, trainers: dict[str, Trainer], shown, **kwargs):
        super().__init__(**kwargs)
        self.trainers = trainers  # {"GD": ..., "SGD": ...}; kept by the lesson screen across redraws
        self.shown = shown  # how a loss or weight is written (the blanks' digits)
        self.secret = True  # until the lesson screen says the step's blanks are done
        self.note = ""

    def compose(self) -> ComposeResult:
        table = Static(classes="train-table")
        table.styles.height = 1 + TABLE_ROWS  # as tall from the start: the chart below does not move
        yield table
        yield ChartBox(self.chart_data())
        yield Static(classes="train-keys")

    def on_mount(self) -> None:
        self.describe()
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        self.query_one(ChartBox).fit(view_rows(self) - self.OTHER_ROWS)

    def chart_data(self):
        from ..chart import ChartData

        lang = self.app.lang
        curves = [trainer_series(method, trainer) for method, trainer in self.trainers.items()]
        return ChartData(curves, t("chart.updates", lang), t("train.loss", lang), now_label=t("chart.now", lang),
                         hide_values=self.secret, whole_x=True)

    def describe(self) -> None:
        lang, ascii = self.app.lang, self.app.ascii
        words = ascii_text if ascii else str
        start = next(iter(self.trainers.values()))
        self.border_title = words(t("train.title", lang, lr=self.shown(start.lr)))
        self.query_one(".train-table", Static).update(training_table(self.trainers, lang, self.shown, self.secret, ascii))
        self.query_one(ChartBox).show(self.chart_data())
        keys = Text(words(t("train.keys", lang, sep=glyph("separator", ascii))), style="dim")
        if self.note:
            keys = Text(words(self.note), style="bold") + "\n" + keys
        self.query_one(".train-keys", Static).update(keys)

    def set_secret(self, secret: bool) -> None:
        if secret != self.secret:
            self.secret = secret
            self.describe()

    def on_key(self, event) -> None:
        pass_typing(self, event, {"g", "s", "r"})

    def action_train(self, stochastic: bool) -> None:
        trainer = self.trainers["SGD" if stochastic else "GD"]
        if trainer.updates >= PANEL_UPDATES:
            self.note = t("train.limit", self.app.lang, n=PANEL_UPDATES)
        else:
            trainer.step()
        self.describe()

    def action_restart(self) -> None:
        for trainer in self.trainers.values():
            trainer.reset()
        self.note = ""
        self.describe()

    lang_changed = ascii_changed = describe  # called by TutorApp.tell_screens


def trained_graph(lesson, step, instance):
    """(graph, how its numbers are written) for the training panel of ``step``, or None. A step that asks
    for a weight update (an answer using lr) trains the lesson's first graph that can be trained, in the
    learner's variant; its numbers have the digits of the narrowest band among those blanks, so each
    reads as its answer."""
    updates = [lesson.problem(pid) for pid in step.blanks if USES_LR.search(lesson.problem(pid).answer)]
    if not updates or "lr" not in lesson.params:
        return None
    band = min((band_of(lesson, problem) for problem in updates), key=lambda band: band.rel)
    graph = next((g for g in map(instance.graph, lesson.graphs) if not Trainer.untrainable(g)), None)
    return None if graph is None else (graph, band.shown)


def trainer_series(method: str, trainer: Trainer) -> Series:
    return Series(method, list(range(trainer.updates + 1)), trainer.losses)


def new_trainers(graph, lr: float) -> dict[str, Trainer]:
    return {"GD": Trainer(graph, lr), "SGD": Trainer(graph, lr, stochastic=True)}


# ---- an author's chart ------------------------------------------------------------------------------

class StepChart(Vertical):
    """``{{chart NAME}}``: the chart's title and its series, computed by the engine for the learner's
    variant of the lesson."""

    OTHER_ROWS = 1  # the title

    def __init__(self, spec, graph, labels: dict, **kwargs):
        super().__init__(**kwargs)
        self.spec = spec
        self.series = series(spec, graph)
        self.labels = labels  # node -> localized label, as the graph's drawing names its nodes

    def compose(self) -> ComposeResult:
        yield Static(classes="chart-title")
        yield ChartBox(self.chart_data())

    def on_mount(self) -> None:
        self.describe()
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        self.query_one(ChartBox).fit(view_rows(self) - self.OTHER_ROWS)

    def name_of(self, node: str) -> str:
        return safe_text(text(self.labels[node], self.app.lang)) if node in self.labels else node

    def chart_data(self):
        from ..chart import ChartData

        lang = self.app.lang
        if isinstance(self.spec, TrainingChart):
            return ChartData(self.series, t("chart.updates", lang), t("train.loss", lang), whole_x=True)
        named = [Series(self.name_of(s.name), s.xs, s.ys) for s in self.series]
        return ChartData(named, self.name_of(self.spec.input), self.name_of(self.series[0].name))

    def describe(self) -> None:
        title = text(self.spec.title, self.app.lang)
        title_line = self.query_one(".chart-title", Static)
        title_line.update(plain(ascii_text(title) if self.app.ascii else title, style="bold"))
        title_line.display = bool(title)
        self.query_one(ChartBox).show(self.chart_data())

    lang_changed = ascii_changed = describe  # called by TutorApp.tell_screens
