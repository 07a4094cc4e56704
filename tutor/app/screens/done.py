"""Between two lessons: how the lesson just left went (first-try answers, hints, solutions seen), and
the way on: Enter opens the next lesson, Esc goes to the lesson list. After the course's last
lesson it says whether the course is finished, or which lessons still have blanks."""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from ..widgets import KeyBar, plain


class LessonDoneScreen(ModalScreen):
    """Dismissed with the lesson to open next, or None for the lesson list."""

    # A modal screen hides the app's own keys: the language, ASCII and quit are said again here.
    BINDINGS = [
        Binding("enter", "go_on", "key.go_on", key_display="enter"),
        Binding("escape", "to_list", "key.lesson_list"),
        Binding("f2", "app.toggle_lang", "key.lang"),
        Binding("f3", "app.toggle_ascii", "key.ascii", show=False),
        Binding("ctrl+q", "app.quit", "key.quit", show=False),
    ]

    def __init__(self, lesson, outcome):
        super().__init__()
        self.lesson = lesson
        self.outcome = outcome

    def compose(self) -> ComposeResult:
        with Vertical(id="done-box"):
            yield Static(id="done-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.describe()

    @property
    def next_lesson(self):
        """The lesson after this one in the course; after the last, the first one with blanks left."""
        app = self.app
        ids = [lesson.id for lesson in app.lessons]
        after = ids.index(self.lesson.id) + 1 if self.lesson.id in ids else len(ids)
        if after < len(ids):
            return app.lessons[after]
        return next((lesson for lesson in app.lessons if not app.is_complete(lesson)), None)

    def describe(self) -> None:
        from tutor.lessons import text

        app, outcome, lang = self.app, self.outcome, self.app.lang
        numbers = {lesson.id: f"{n:02d}" for n, lesson in enumerate(app.lessons, 1)}
        out = Text()
        title = f"{numbers.get(self.lesson.id, '')} {text(self.lesson.title, lang)}".strip()
        finished = outcome.solved == outcome.total
        out.append_text(plain(app.text("done.title" if finished else "done.left_title", title=title), style="bold"))
        out.append("\n\n")
        if outcome.total:
            out.append(app.text("done.figures", solved=outcome.solved, total=outcome.total,
                                first=outcome.first_try, hints=outcome.hints, revealed=outcome.revealed) + "\n")
        nxt = self.next_lesson
        ids = [lesson.id for lesson in app.lessons]
        last = self.lesson.id in ids and ids.index(self.lesson.id) == len(ids) - 1
        if last and all(app.is_complete(lesson) for lesson in app.lessons):
            out.append("\n" + app.text("done.course", count=len(app.lessons)) + "\n", style="bold green")
        elif last and nxt is not None:
            left = [numbers[lesson.id] for lesson in app.lessons if not app.is_complete(lesson)]
            out.append("\n" + app.text("done.course_left", numbers=", ".join(left)) + "\n")
        if nxt is not None:
            out.append("\n")
            out.append_text(plain(app.text("done.next", title=f"{numbers[nxt.id]} {text(nxt.title, lang)}")))
        else:
            out.append("\n" + app.text("done.to_list"))
        self.query_one("#done-text", Static).update(out)

    lang_changed = describe  # called by TutorApp.tell_screens

    def action_go_on(self) -> None:
        self.dismiss(self.next_lesson)

    def action_to_list(self) -> None:
        self.dismiss(None)
