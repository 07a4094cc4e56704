"""Charts in the lesson screen: series of numbers (``tutor.lessons.charts.Series``, computed by the
engine) plotted by plotext through textual-plotext. Lesson 10's (y = 2x) training panel plots the loss of GD and
SGD as the learner steps them; an author's ``{{chart NAME}}`` plots what its spec computes.

Only the app imports this module, and only when a step shows a chart: plotext takes ~40 ms to import,
so the worker that reads the lessons imports it ahead, after the first frame (main.py).

plotext counts every character as one cell, so the words around a plot (the legend, the axes' names,
in Korean too) are written by Rich above and below it, never inside. In ASCII mode (f3) the series are
drawn with ASCII markers and the frame's box-drawing characters become their ASCII twins
(``tutor.render.glyphs``); tick labels are numbers written by ``format_number``.
"""

import math
from dataclasses import dataclass

from rich.text import Text
from textual_plotext import PlotextPlot

from tutor.render.glyphs import ascii_drawing, ascii_text, glyph
from tutor.render.numbers import format_number

COLORS = ("cyan", "magenta", "green", "yellow", "blue", "red")  # plotext's and Rich's names alike
ASCII_MARKERS = "*+ox%="
NOW_MARKER = ("◆", "@")  # the current point of each series (Unicode, ASCII)
FRAME_ROWS = 2  # the legend line above the plot and the x axis' name below it


@dataclass
class ChartData:
    """What a chart shows. ``now``: mark each series' last point (where training is); ``hide_values``:
    the y axis without numbers (while they are the answers of open blanks; the curves' shapes stay)."""
    series: list  # tutor.lessons.charts.Series
    x_label: str
    y_label: str
    now_label: str = ""  # the legend's word for the current point; "" marks none
    hide_values: bool = False
    whole_x: bool = False  # x counts something (weight updates): whole-number ticks


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """About ``count`` round numbers (1, 2 or 5 times a power of ten apart) from at or below ``low`` to at
    or above ``high``."""
    if not high > low:  # one value: a range around it
        low, high = low - 1, low + 1
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.floor(low / step)
    last = math.ceil(high / step)
    return [round(i * step, 12) for i in range(first, last + 1)]


def plot_series(plt, data: ChartData, ascii: bool) -> None:
    """Put ``data`` on the plotext figure ``plt`` (cleared first): a line per series, the current points,
    the axes' range and ticks."""
    plt.clear_figure()
    xs = [x for s in data.series for x in s.xs]
    ys = [y for s in data.series for y in s.ys]
    for i, s in enumerate(data.series):
        marker = ASCII_MARKERS[i % len(ASCII_MARKERS)] if ascii else "braille"
        plt.plot(s.xs, s.ys, marker=marker, color=COLORS[i % len(COLORS)])
    if data.now_label:
        for i, s in enumerate(data.series):
            plt.scatter(s.xs[-1:], s.ys[-1:], marker=NOW_MARKER[ascii], color=COLORS[i % len(COLORS)])
    if data.whole_x:
        right = max(3, max(xs))  # a start alone still gets an axis of a few updates
        x_ticks = nice_ticks(0, right, 6)
        x_ticks = [t for t in x_ticks if t == int(t)]
    else:
        x_ticks = nice_ticks(min(xs), max(xs), 6)
    y_ticks = nice_ticks(min(0.0, min(ys)) if data.whole_x else min(ys), max(ys), 6)
    plt.xlim(x_ticks[0], x_ticks[-1])
    plt.ylim(y_ticks[0], y_ticks[-1])
    plt.xticks(x_ticks, [format_number(t) for t in x_ticks])
    plt.yticks(*(([], []) if data.hide_values else (y_ticks, [format_number(t) for t in y_ticks])))


def chart_text(plt, data: ChartData, ascii: bool) -> Text:
    """The legend, the plot built by plotext (at the size set on ``plt``), and the x axis' name."""
    words = ascii_text if ascii else str
    legend = Text(words(data.y_label), style="bold")
    for i, s in enumerate(data.series if len(data.series) > 1 else []):  # one curve: the y axis' name says it
        sample = ASCII_MARKERS[i % len(ASCII_MARKERS)] * 2 if ascii else glyph("line", False) * 2
        legend.append("   ")
        legend.append(sample, style=COLORS[i % len(COLORS)])
        legend.append(" " + words(s.name))
    if data.now_label:
        legend.append("   " + NOW_MARKER[ascii] + " " + words(data.now_label))
    built = plt.build()
    plot = Text.from_ansi(ascii_drawing(built) if ascii else built, no_wrap=True)
    plot.rstrip()
    x_label = Text(words(data.x_label) + " " + glyph("to", ascii), style="bold")
    width = max(line.cell_len for line in plot.split())
    x_label.pad_left(max(width - x_label.cell_len, 0))  # under the x axis' right end
    return Text("\n").join([legend, plot, x_label])


class ChartView(PlotextPlot):
    """A chart of ``ChartData``; ``show`` replaces what it plots. Its height is set by the app's CSS."""

    def __init__(self, data: ChartData, **kwargs):
        super().__init__(**kwargs)
        self.theme = "pro"  # plotext's theme without colours of its own: the panel's background and text
        self.data = data
        self.plotted_ascii: bool | None = None  # data is on the plot, as plotted for this mode
        self.drawn: tuple | None = None  # ((data, ascii, theme, width, height), the Text drawn for them)

    def show(self, data: ChartData) -> None:
        self.data = data
        self.plotted_ascii = None  # plotted again at the next frame
        self.refresh()

    def plotted(self) -> list[tuple[list[float], list[float]]]:
        """(xs, ys) of each series as plotext holds them to draw, in the order of ``data.series``."""
        return self._signals()[:len(self.data.series)]

    def marks(self) -> list[tuple[float, float]]:
        """The points plotext marks as current, one per series (none without ``data.now_label``)."""
        return [(xs[0], ys[0]) for xs, ys in self._signals()[len(self.data.series):]]

    def _signals(self) -> list[tuple[list[float], list[float]]]:
        self._plot_if_needed()
        monitor = self.plt._active.monitor
        return [(list(x), list(y)) for x, y in zip(monitor.x, monitor.y)]

    def _plot_if_needed(self) -> None:
        if self.plotted_ascii != self.app.ascii:
            plot_series(self.plt, self.data, self.app.ascii)
            self.plotted_ascii = self.app.ascii

    def render(self) -> Text:
        self._plot_if_needed()
        width, height = self.size.width, max(self.size.height - FRAME_ROWS, 1)
        drawn = (self.data, self.app.ascii, self.app.theme, width, height)
        if self.drawn is None or self.drawn[0] != drawn:  # a refresh that changed nothing is not drawn again
            self.plt.plotsize(width, height)
            self.plt._set_size(width, height)  # as PlotextPlot.render does (textual-plotext issue 5)
            self.plt.theme(self._get_plotext_theme_name(self.app.theme))
            self.drawn = (drawn, chart_text(self.plt, self.data, self.app.ascii))
        return self.drawn[1]

    def ascii_changed(self) -> None:  # called by TutorApp.tell_screens
        self.refresh()
