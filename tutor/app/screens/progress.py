"""The progress report inside the app: the rows of `tutor progress` (tutor.progress.report), so the
app and the command always show the same figures."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ..widgets import KeyBar, plain


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
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key in ("progress.lesson", "progress.solved", "progress.attempts", "progress.first_try", "progress.last"):
            table.add_column(app.text(key))
        summaries = app.store.lesson_summary(app.pack) if app.store is not None else []
        rows = [row for row in lesson_rows(summaries, app.pack, app.lessons) if not row.missing]
        titles = {lesson.id: text(lesson.title, app.lang) for lesson in app.lessons}
        for row in rows:
            done = " ✓" if row.completed else ""
            share = "" if row.first_try_accuracy is None else f"{row.first_try_accuracy:.0%}"
            last = (row.last_activity or "")[:16].replace("T", " ")
            table.add_row(plain(titles.get(row.lesson, row.lesson) + done), Text(f"{row.solved}/{row.total}"),
                          Text(str(row.attempts)), Text(share), Text(last))
        solved, total = sum(r.solved for r in rows), sum(r.total or 0 for r in rows)
        table.add_row(Text(app.text("progress.total"), style="bold"), Text(f"{solved}/{total}", style="bold"),
                      Text(str(sum(r.attempts for r in rows)), style="bold"), Text(""), Text(""))

    lang_changed = describe  # called by TutorApp.tell_screens
