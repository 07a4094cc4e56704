"""The progress report inside the app: the rows of `tutor progress` (tutor.progress.report), so the
app and the command always show the same figures."""

from tutor.render.glyphs import glyph
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from tutor.render.bars import bar

from ..widgets import KeyBar, plain


BAR_WIDTH = 8


def with_bar(share: float | None, figure: str, style: str, ascii: bool) -> Text:
    """A bar of ``share`` before its figure (``██████░░ 3/4``); no bar where there is no figure yet."""
    return Text.assemble((bar(share, BAR_WIDTH, ascii), style), " " + figure) if figure else Text("")


COLUMNS = ("progress.lesson", "progress.solved", "progress.attempts", "progress.first_try", "progress.last")
SCROLLBAR = 2  # the table's vertical scrollbar, when there are more lessons than lines


class ProgressScreen(Screen):
    BINDINGS = [Binding("escape,p", "app.pop_screen", "key.back")]
    AUTO_FOCUS = "#progress-table"

    def compose(self) -> ComposeResult:
        yield Static(id="progress-title", classes="screen-title")
        yield DataTable(id="progress-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.describe()

    def describe(self) -> None:
        from tutor.lessons import text
        from tutor.progress.report import lesson_rows

        app = self.app
        self.query_one("#progress-title", Static).update(app.text("progress.title"))
        summaries = app.store.lesson_summary(app.pack) if app.store is not None else []
        rows = [row for row in lesson_rows(summaries, app.pack, app.lessons) if not row.missing]
        titles = {lesson.id: text(lesson.title, app.lang) for lesson in app.lessons}
        lines, marks = [], []
        for row in rows:
            done = " " + glyph("done", app.ascii) if row.completed else ""  # kept when the title is cut to fit
            marks.append(done)
            share = "" if row.first_try_accuracy is None else f"{row.first_try_accuracy:.0%}"
            last = (row.last_activity or "")[:16].replace("T", " ")
            lines.append([plain(titles.get(row.lesson, row.lesson) + done),
                          with_bar(row.solved / row.total if row.total else 0, f"{row.solved}/{row.total}",
                                   "green" if row.completed else "cyan", app.ascii),
                          Text(str(row.attempts)),
                          with_bar(row.first_try_accuracy, share, "yellow", app.ascii), Text(last)])
        solved, total = sum(r.solved for r in rows), sum(r.total or 0 for r in rows)
        lines.append([Text(app.text("progress.total"), style="bold"), Text(f"{solved}/{total}", style="bold"),
                      Text(str(sum(r.attempts for r in rows)), style="bold"), Text(""), Text("")])
        headers = [Text(app.text(key)) for key in COLUMNS]
        # Each column as wide as its widest cell, given to the table: after clear() the table sized
        # its columns by the headers alone. Long lesson titles are cut ("…") to fit the screen.
        widths = [max(cell.cell_len for cell in column) for column in zip(headers, *lines)]
        widths[0] = max(headers[0].cell_len, min(widths[0], self.app.size.width - sum(w + 2 for w in widths[1:]) - 2 - SCROLLBAR))
        for line, mark in zip(lines, marks + [""]):
            if line[0].cell_len > widths[0]:  # cut the title, not its ✓
                line[0] = line[0][:len(line[0]) - len(mark)]
                line[0].truncate(widths[0] - len(mark), overflow="ellipsis")
                line[0].append(mark)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for header, width in zip(headers, widths):
            table.add_column(header, width=width)
        table.add_rows(lines)

    def on_resize(self) -> None:
        self.describe()

    lang_changed = ascii_changed = describe  # called by TutorApp.tell_screens
