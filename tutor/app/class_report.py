"""`tutor report --live`: the class report on a screen that reads the class again every few seconds,
for an instructor watching a class at work. The figures are `tutor report`'s own (tutor.classreport);
this is only the widget around them."""

from __future__ import annotations

from datetime import datetime, timezone

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Static

from tutor.classreport.command import ReportRequest, load_course
from tutor.classreport.output import report_renderable

REFRESH_SECONDS = 5.0
UPDATED = ("{time} UTC에 읽음 · {seconds:g}초마다 다시 읽습니다", "Read at {time} UTC · read again every {seconds:g} s")


class ClassReportApp(App):
    """The report in a scrolling view; reading happens in a worker thread, so a slow database never
    freezes the screen."""

    CSS_PATH = "tutor.tcss"
    TITLE = "tutor report --live"
    ENABLE_COMMAND_PALETTE = False  # its own keys are all the report has; ^p palette in the key bar said otherwise
    BINDINGS = [Binding("q,ctrl+q", "quit", "quit / 끝내기"), Binding("f2", "language", "한국어/English"),
                Binding("r", "read_now", "read now / 지금 읽기")]

    def __init__(self, request: ReportRequest, ascii: bool = False, refresh_seconds: float = REFRESH_SECONDS):
        super().__init__()
        self.request, self.ascii, self.refresh_seconds = request, ascii, refresh_seconds
        self.lessons, self.pack = load_course(request.lessons_dir)
        self.report = None

    def compose(self) -> ComposeResult:
        yield Static(id="report-updated")
        with VerticalScroll(id="report-view"):
            yield Static(id="report-body")
        yield Footer()

    def on_mount(self) -> None:
        self.action_read_now()
        self.set_interval(self.refresh_seconds, self.action_read_now)

    def action_read_now(self) -> None:
        self.run_worker(self._read, thread=True, exclusive=True, group="read")

    def _read(self) -> None:
        report = self.request.report(lessons=self.lessons, pack=self.pack)
        self.call_from_thread(self._show, report, datetime.now(timezone.utc))

    def _show(self, report, moment: datetime) -> None:
        self.report, self.read_at = report, moment
        self._draw()

    def _draw(self) -> None:
        if self.report is None:
            return
        lang = self.request.lang
        korean, english = UPDATED
        self.query_one("#report-updated", Static).update(
            (english if lang == "en" else korean).format(time=self.read_at.strftime("%H:%M:%S"),
                                                         seconds=self.refresh_seconds))
        self.query_one("#report-body", Static).update(
            report_renderable(self.report, lang, self.request.stuck_minutes, self.ascii))

    def action_language(self) -> None:
        lang = "en" if self.request.lang == "ko" else "ko"
        from dataclasses import replace

        self.request = replace(self.request, lang=lang)
        self.action_read_now()  # mistake names and titles are in the report's language: read it again


def run_live_report(request: ReportRequest, ascii: bool) -> int:
    import sys

    from tutor.environment import no_terminal_reason
    from tutor.messages import say

    reason = no_terminal_reason(lang=request.lang)
    if reason:
        print(say("report-live-no-tty", request.lang, reason=reason), file=sys.stderr)
        return 2
    ClassReportApp(request, ascii).run()
    return 0
