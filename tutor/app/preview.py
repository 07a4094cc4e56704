"""`tutor preview PATH [--watch]`: one lesson in the app, as a learner sees it, for its author.

Nothing is saved (the session has no store). F5 shows or hides the answer key in every blank. With
``--watch`` the file is watched (watchfiles, in a worker thread) and the lesson reloads when it is
saved, on the same step; when the saved file has errors they are shown over the lesson as
``file:line:col: message`` lines, and saving a fixed file takes them away. The lesson is read as
`tutor check` reads it, every answer computed for the variants too: an author sees a variant that
breaks an answer while writing, not when a learner draws it.
"""

import threading
from pathlib import Path

from textual import events, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen

from tutor.lessons import LessonError, load_lesson

from .main import TutorApp
from .screens.lesson import BlankField, LessonScreen
from .session import LessonSession
from .widgets import LiteralLine

WATCH_DEBOUNCE_MS = 150  # an editor's save is often several writes (or a write and a rename)


class PreviewScreen(LessonScreen):
    """The app's lesson screen without a store, with an answer-key toggle, ``reload`` and an error overlay."""

    DEFAULT_CSS = """
    #preview-errors {
        dock: top;
        height: auto;
        max-height: 60%;
        margin: 1 2;
        padding: 1 2;
        background: $error-darken-2;
        border: heavy $error;
        color: $text;
    }
    """
    BINDINGS = [
        Binding("escape", "app.quit", "key.close"),  # the only screen: nothing to go back to
        Binding("f5", "toggle_answer_key", "key.answer_key"),
    ]

    def __init__(self, lesson, step: int = 0):
        super().__init__(lesson, LessonSession(lesson, store=None), step)
        self.answer_key = False

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield LiteralLine(id="preview-errors")

    @property
    def errors(self) -> LiteralLine:
        return self.query_one("#preview-errors", LiteralLine)

    def describe_step(self, focus: str | None = None) -> None:
        super().describe_step(focus)
        self.title_with_mode()
        self.show_answer_key()

    def title_with_mode(self) -> None:
        title = self.query_one("#lesson-title", LiteralLine)
        title.set_text(f"{title.content} · {self.app.text('preview.title')}")

    def action_toggle_answer_key(self) -> None:
        self.answer_key = not self.answer_key
        self.show_answer_key()

    def show_answer_key(self) -> None:
        """Every blank of the step with its worked solution (the grader's); with the key off,
        only the solutions revealed the way a learner reveals them (ctrl+r) stay."""
        lang = self.app.lang
        for field in self.query(BlankField):
            pid = field.problem.id
            if self.answer_key:
                field.show_solution(self.session.solution(pid, lang))  # it opens with "Answer:" itself
            else:
                field.show_solution(self.session.solution(pid, lang) if self.session.blanks[pid].revealed else "")

    async def reload(self) -> bool:
        """Read the file again. Valid: show it on the same step (or the last one) and clear the errors.
        Broken: keep the last good lesson on screen and show the errors over it."""
        try:
            lesson = load_lesson(self.lesson.path, check_variants=True)
        except LessonError as e:
            self.errors.set_text(self.app.text("preview.errors") + "\n\n" + str(e))
            return False
        self.errors.set_text("")
        self.lesson, self.session = lesson, LessonSession(lesson, store=None)
        self.step_index = min(self.step_index, len(lesson.steps) - 1)
        await self.show_step()
        self.set_status(self.app.text("preview.reloaded", path=lesson.path.name))
        return True


class PreviewApp(TutorApp):
    """The tutor app on one lesson file, with nothing saved; ``watch`` reloads it when it is saved."""

    def __init__(self, path: Path | str, watch: bool = False, lang: str = "ko", ascii: bool = False):
        self.path = Path(path).resolve()
        super().__init__(self.path.parent, store=None, lang=lang, ascii=ascii)
        self.watching = watch
        self.stop_watching = threading.Event()

    def get_default_screen(self) -> Screen:
        return Screen()  # not TutorApp's lesson list: the preview goes over a blank screen

    def on_mount(self, event: events.Mount) -> None:
        event.prevent_default()  # not TutorApp's: no home screen, no folder of lessons to read
        self.push_screen(PreviewScreen(load_lesson(self.path, check_variants=True)))
        if self.watching:
            self.watch_file()

    def on_unmount(self) -> None:
        self.stop_watching.set()

    @work(thread=True, exclusive=True, group="watch")
    def watch_file(self) -> None:
        from watchfiles import watch

        # The folder is watched, not the file: editors often save by writing a new file and renaming it.
        saved = lambda _change, changed: Path(changed).resolve() == self.path  # noqa: E731
        for _changes in watch(self.path.parent, watch_filter=saved, debounce=WATCH_DEBOUNCE_MS,
                              stop_event=self.stop_watching, recursive=False):
            self.call_from_thread(self.reload)

    async def reload(self) -> None:
        screen = next((s for s in self.screen_stack if isinstance(s, PreviewScreen)), None)
        if screen is not None:
            await screen.reload()
