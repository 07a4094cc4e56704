"""The lesson list: every lesson in order with its progress, the next one to do focused."""

from tutor.render.glyphs import glyph
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tutor.render.bars import bar

from ..widgets import KeyBar, LiteralLine, plain

BAR_WIDTH = 12


def lesson_row(number: int, lesson, solved: int, missing: list[str], is_next: bool, lang: str,
               t, ascii: bool) -> Text:
    """One line of the list: number, title, bar, solved/total, and the numbers of the lessons
    to finish first (``missing``)."""
    from tutor.lessons import text  # loaded with the lessons, after the first frame

    total = len(lesson.problems)
    done = total > 0 and solved >= total
    mark = glyph("next", ascii) if is_next else (glyph("done", ascii) if done else " ")
    row = Text(f"{mark} {number:02d} ", style="bold" if is_next else "")
    row.append_text(plain(text(lesson.title, lang)))
    row.append("\n     ")
    row.append(bar(solved / total if total else 0, BAR_WIDTH, ascii), style="green" if done else "cyan")
    row.append(f" {solved}/{total}")
    if is_next:
        row.append(f"  {glyph('back', ascii)} {t('home.next')}", style="bold yellow")
    elif done:
        row.append(f"  {t('home.done')}", style="green")
    if missing:
        row.append("  ")
        row.append_text(plain(t("home.requires", numbers=", ".join(missing)), style="dim"))
    return row


def broken_row(error, t, ascii: bool = False) -> Text:
    row = Text(f"{glyph('incorrect', ascii)} {t('home.broken')}\n", style="bold red")
    row.append_text(plain(str(error), style="red"))
    return row


class LessonList(OptionList):
    """The lesson list, whose Enter is shown in the key bar: OptionList's own Enter binding is
    hidden, and as the focused widget's it shadows any Enter of the screen."""

    BINDINGS = [Binding("enter", "select", "key.open", key_display="enter")]  # as "esc" is spelled, not ⏎


class HomeScreen(Screen):
    BINDINGS = [
        Binding("p", "app.progress", "key.progress"),
    ]
    AUTO_FOCUS = "#lessons"

    def compose(self) -> ComposeResult:
        yield Static(id="home-title", classes="screen-title")
        yield Static(id="home-overall")
        yield KeyBar()  # the lesson list goes above it once there are lessons (lesson_list)

    def on_mount(self) -> None:
        self.describe()

    def on_screen_resume(self) -> None:
        if self.app.lessons_loaded:
            self.describe(to_next=True)  # progress changed in the lesson screen: the cursor goes to ▶

    def describe(self, to_next: bool = False) -> None:
        app = self.app
        self.describe_title()
        warning = app.store.warning_in(app.lang) if app.store else None
        self.show_line("home-warning", warning or "", after="home-overall")  # e.g. progress cannot be saved
        if app.lessons_loaded:
            self.fill_list(to_next)
        else:
            self.query_one("#home-overall", Static).update(app.text("home.loading"))

    def lang_changed(self) -> None:  # called by TutorApp.tell_screens
        self.describe()

    ascii_changed = store_opened = lang_changed

    def describe_title(self) -> None:
        """The pack's own title and description (course.yaml) when it has a title, else the app's."""
        course = self.app.course
        if course is not None and course.title:
            from tutor.lessons import text

            self.query_one("#home-title", Static).update(plain(text(course.title, self.app.lang)))
            self.show_line("home-description", text(course.description, self.app.lang), after="home-title")
        else:
            self.query_one("#home-title", Static).update(self.app.text("home.title"))

    def show_line(self, line_id: str, text: str, after: str) -> None:
        """``text`` in the line ``line_id`` under the widget ``after``. The line is mounted when it first
        has text: the course's description and the store's warning are seldom there, and never at the
        first frame (the store opens after it), which is drawn a little sooner without them."""
        if found := self.query(f"#{line_id}"):
            found.first(LiteralLine).set_text(text)
        elif text:
            self.mount(LiteralLine(text, id=line_id), after=self.query_one(f"#{after}"))

    def show_lessons(self, resume: bool) -> None:
        """List the lessons; with ``resume``, go straight back into the lesson the learner was
        working on, unless they finished it (then the list, with the next lesson focused)."""
        self.describe()
        if not resume or self.app.store is None:
            return
        last = self.app.store.last_position(self.app.pack)
        lesson = next((lesson for lesson in self.app.lessons if last and lesson.id == last[0]), None)
        if lesson is not None and not self.app.is_complete(lesson):
            self.open_lesson(lesson)

    def fill_list(self, to_next: bool = False):
        """Rebuild the list; returns the next lesson to do, or None. The cursor stays where it was,
        or (at first, and with ``to_next``) goes to the next lesson."""
        app = self.app
        options = self.lesson_list()
        highlighted = None if to_next else options.highlighted
        solved = {lesson.id: len(app.solved_ids(lesson)) for lesson in app.lessons}
        complete = {lesson.id for lesson in app.lessons if solved[lesson.id] >= len(lesson.problems)}
        next_lesson = next((lesson for lesson in app.lessons if lesson.id not in complete), None)
        options.clear_options()
        numbers = {lesson.id: f"{number:02d}" for number, lesson in enumerate(app.lessons, 1)}
        for number, lesson in enumerate(app.lessons, 1):
            missing = [] if lesson.id in complete else [numbers.get(r, r) for r in lesson.requires if r not in complete]
            options.add_option(Option(lesson_row(number, lesson, solved[lesson.id], missing,
                                                 lesson is next_lesson, app.lang, app.text, app.ascii),
                                      id=f"lesson-{number - 1}"))
        for error in app.broken:
            options.add_option(Option(broken_row(error, app.text, app.ascii), disabled=True))
        if not app.lessons and not app.broken:
            options.add_option(Option(plain(app.text("home.empty", folder=str(app.lessons_dir))), disabled=True))
        if highlighted is None and next_lesson is not None:
            highlighted = app.lessons.index(next_lesson)
        options.highlighted = highlighted
        total = sum(len(lesson.problems) for lesson in app.lessons)
        done = sum(solved.values())
        percent = round(100 * done / total) if total else 0
        self.query_one("#home-overall", Static).update(
            Text(app.text("home.overall", solved=done, total=total, percent=percent)) + Text("  ") +
            Text(bar(done / total if total else 0, 20, app.ascii), style="green"))
        return next_lesson

    def lesson_list(self) -> LessonList:
        """The list, mounted when the lessons are first listed: until then there is nothing to list, and
        an OptionList (its CSS, its scrollbars) would hold up the first frame by a few milliseconds."""
        if found := self.query(LessonList):
            return found.first()
        lessons = LessonList(id="lessons")
        self.mount(lessons, before=self.query_one(KeyBar))
        lessons.focus()
        return lessons

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id.startswith("lesson-"):
            self.open_lesson(self.app.lessons[int(event.option.id.removeprefix("lesson-"))])

    def open_lesson(self, lesson) -> None:
        from .lesson import LessonScreen

        self.app.push_screen(LessonScreen(lesson))
