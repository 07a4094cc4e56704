"""Every key of the app, grouped by where it works, in the current language."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from ..widgets import KeyBar

# A key of the answer box (Textual's Input) worth knowing: after a wrong answer the text is selected
# and typing replaces it; ctrl+u clears it by hand.
ANSWER_BOX_KEYS = [Binding("ctrl+u", "delete_left_all", "key.clear_answer")]


def keys_text(app, groups) -> Text:
    """``groups``: (title key, bindings) pairs; one line per key, its description translated."""
    out = Text()
    for title, bindings in groups:
        out.append(app.text(title) + "\n", style="bold underline")
        keys_of: dict[tuple[str, str], list[str]] = {}  # (action, description) -> keys, in order
        for binding in bindings:
            keys = keys_of.setdefault((binding.action, binding.description), [])
            keys += [app.get_key_display(Binding(key, binding.action)) for key in binding.key.split(",")]
        for (_action, description), keys in keys_of.items():
            out.append(f"  {', '.join(keys):<18}", style="bold")
            out.append(app.text(description) + "\n")
        out.append("\n")
    out.append(app.text("help.answers"), style="italic")
    return out


class HelpScreen(Screen):
    BINDINGS = [Binding("escape,f1", "app.pop_screen", "key.back")]

    def compose(self) -> ComposeResult:
        yield Static(id="help-title", classes="screen-title")
        with VerticalScroll(id="help-body"):
            yield Static(id="help-keys")
        yield KeyBar()

    def on_mount(self) -> None:
        self.describe()

    def describe(self) -> None:
        from .home import HomeScreen, LessonList
        from .charts import TrainingPanel
        from .lesson import GraphView, LessonScreen

        groups = [("help.everywhere", self.app.BINDINGS + [Binding("escape", "back", "key.back")]),
                  ("help.home", LessonList.BINDINGS + HomeScreen.BINDINGS),
                  ("help.lesson", LessonScreen.BINDINGS),
                  ("help.answer_box", ANSWER_BOX_KEYS),
                  ("help.walk", GraphView.BINDINGS),
                  ("help.train", TrainingPanel.BINDINGS)]
        self.query_one("#help-title", Static).update(self.app.text("help.title"))
        self.query_one("#help-keys", Static).update(keys_text(self.app, groups))

    lang_changed = describe  # called by TutorApp.tell_screens
