"""The progress report inside the app: the figures of `tutor progress`, one row per lesson."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import DataTable, Static

from ..widgets import KeyBar, plain


def progress_rows(lessons, summaries, lang: str) -> list[tuple[str, int, int, int, float | None, str]]:
    """(title, solved, total, attempts, first-try share, last activity) per lesson, in lesson order."""
    from tutor.lessons import text

    by_id = {s.lesson: s for s in summaries}
    rows = []
    for lesson in lessons:
        s = by_id.get(lesson.id)
        rows.append((text(lesson.title, lang), s.solved if s else 0, len(lesson.problems),
                     s.attempts if s else 0, s.first_try_accuracy if s else None,
                     (s.last_activity or "")[:16].replace("T", " ") if s else ""))
    return rows


class ProgressScreen(Screen):
    BINDINGS = [Binding("escape,p", "app.pop_screen", "key.back")]
    AUTO_FOCUS = "#progress-table"

    def compose(self) -> ComposeResult:
        yield Static(id="progress-title", classes="screen-title")
        yield DataTable(id="progress-table", cursor_type="row", zebra_stripes=True)
        yield KeyBar()

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self.describe)

    def describe(self, _lang: str | None = None) -> None:
        app = self.app
        self.query_one("#progress-title", Static).update(app.text("progress.title"))
        table = self.query_one(DataTable)
        table.clear(columns=True)
        for key in ("progress.lesson", "progress.solved", "progress.attempts", "progress.first_try", "progress.last"):
            table.add_column(app.text(key))
        summaries = app.store.lesson_summary(app.pack) if app.store is not None else []
        rows = progress_rows(app.lessons, summaries, app.lang)
        for title, solved, total, attempts, first_try, last in rows:
            share = "" if first_try is None else f"{first_try:.0%}"
            table.add_row(plain(title), Text(f"{solved}/{total}"), Text(str(attempts)), Text(share), Text(last))
        solved = sum(r[1] for r in rows)
        total = sum(r[2] for r in rows)
        table.add_row(Text(app.text("progress.total"), style="bold"), Text(f"{solved}/{total}", style="bold"),
                      Text(str(sum(r[3] for r in rows)), style="bold"), Text(""), Text(""))
