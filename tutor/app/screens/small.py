"""Shown instead of a broken layout while the terminal is smaller than 80×24."""

from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import ModalScreen
from textual.widgets import Static

MIN_WIDTH, MIN_HEIGHT = 80, 24


class TooSmallScreen(ModalScreen):
    # A modal screen hides the app's own keys (ctrl+q gets through: it has priority); f2 should
    # work here too, for the learner who cannot read the notice's language.
    BINDINGS = [Binding("f2", "app.toggle_lang", "key.lang")]

    def compose(self) -> ComposeResult:
        yield Static(id="too-small")

    def on_mount(self) -> None:
        self.describe()

    def on_resize(self) -> None:
        self.describe()

    def describe(self) -> None:
        width, height = self.app.size
        self.query_one("#too-small", Static).update(self.app.text("small.message", width=width, height=height))

    lang_changed = describe  # called by TutorApp.tell_screens
