"""The quiz screen of `tutor quiz`: one question at a time, without the lesson's prose: the graph with
this variant's numbers, the prompt, the answer box; once answered, its feedback and solution under it; the
summary at the end.

The quiz itself (grading, saving, the schedule) is ``tutor.quiz.session.QuizSession``; the text of a
question and of the summary comes from ``tutor.quiz.present``, the same as the line mode prints.
"""

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Input, Static

from tutor.quiz.messages import say
from tutor.quiz.present import answer_label, drawing, lesson_text, question_lines, summary_lines

from .main import TutorApp
from .screens.lesson import BlankField
from .served import for_browser
from .widgets import KeyBar, LiteralLine, feedback_text, plain


class QuizScreen(Screen):
    """One question at a time. After an answer (or a skip) the question stays, its feedback and
    solution under it, until Enter goes on to the next question; after the last, to the summary,
    where Enter starts a new quiz."""

    BINDINGS = for_browser([
        Binding("ctrl+t,ctrl+g", "hint", "key.hint"),  # ctrl+g: a browser keeps ctrl+t (served.py)
        Binding("ctrl+r", "skip", "key.reveal"),
        Binding("enter", "go_on", "key.go_on_quiz", key_display="enter"),
        Binding("escape", "app.quit", "key.quit", show=False),
    ])
    AUTO_FOCUS = "BlankField Input"

    def __init__(self, session, notes=(), again=None):
        super().__init__()
        self.session = session
        self.notes = list(notes)
        self.again = again  # () -> a new QuizSession, or None: the summary's Enter
        self.hint_lines: list[str] = []  # the hints shown for the current question
        self.answered = False  # the question on screen is answered: its feedback shows, Enter goes on

    def compose(self) -> ComposeResult:
        yield LiteralLine(id="quiz-title", classes="screen-title")
        with VerticalScroll(id="quiz-body"):
            yield LiteralLine("\n".join(self.notes), id="quiz-notes")
            yield Static(id="quiz-graph")
            yield BlankField()
            yield LiteralLine(id="quiz-summary")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_question()

    def check_action(self, action: str, parameters) -> bool | None:
        if action in ("hint", "skip"):
            return not (self.answered or self.session.finished)
        if action == "go_on":
            return self.answered or (self.session.finished and self.again is not None)
        return True

    # ---- showing ------------------------------------------------------------------------------

    def show_question(self) -> None:
        """The current question, or (answered) the one just answered with its feedback under it."""
        session, lang = self.session, self.app.lang
        session.lang = lang
        if session.finished and not self.answered:
            self.show_summary()
            return
        if self.answered:
            last = session.results[-1]
            question, instance, number = last.question, last.instance, len(session.results)
        else:
            question, instance, number = session.current, session.instance(), session.number
        self.query_one("#quiz-title", LiteralLine).set_text(say(
            "question", lang, number=number, total=len(session.questions),
            title=lesson_text(question.lesson.title, lang)))
        lines = drawing(question, instance, lang, self.app.ascii, width=None)
        self.query_one("#quiz-graph", Static).update(Text("\n").join(lines))
        prompt, *options = question_lines(question, lang)
        if not self.answered:  # what to type, right above the box (as `tutor quiz --plain` asks)
            options.append(answer_label(question, instance, lang))
        field = self.query_one(BlankField)
        field.query_one(".prompt", LiteralLine).set_text(prompt)
        field.line("options").update(plain("\n".join(options)))
        field.line("options").display = bool(options)
        field.line("hints").set_text("\n".join(self.hint_lines))
        field.input.disabled = self.answered
        if self.answered:
            verdict, worked = session.last_feedback(lang)
            shown = feedback_text(verdict, lang, self.app.ascii) if verdict else plain(say("skipped", lang))
            if not (verdict and verdict.correct):
                shown.append("\n")
                shown.append_text(plain(worked))
            shown.append("\n")
            shown.append(say("to-summary" if session.finished else "next-question", lang), style="dim")
            field.feedback.show_text(shown)
            self.call_after_refresh(lambda: field.feedback.scroll_visible(animate=False))
        else:
            field.feedback.show_text(Text())
            field.input.focus()
        self.refresh_bindings()

    def lang_changed(self) -> None:  # called by TutorApp.tell_screens
        if self.session.finished and not self.answered:
            self.show_summary()
        else:
            self.show_question()

    ascii_changed = lang_changed

    def show_summary(self) -> None:
        lang = self.app.lang
        self.query_one("#quiz-title", LiteralLine).set_text(say("summary", lang))
        for part in ("#quiz-graph", ".blank", "#quiz-notes"):
            self.query_one(part).display = False
        heading, *lines = summary_lines(self.session.summary(), lang)  # the heading is the screen's title
        lines += ["", say("again-screen" if self.again is not None else "again-none", lang)]
        self.query_one("#quiz-summary", LiteralLine).set_text("\n".join(lines))
        self.refresh_bindings()

    # ---- acting -------------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if self.session.finished or self.answered:
            return
        verdict = self.session.submit(event.value)
        if verdict.invalid:
            self.query_one(BlankField).feedback.show_verdict(verdict, self.app.lang, self.app.ascii)
            return
        self.answered = True
        self.show_question()

    def action_go_on(self) -> None:
        if self.answered:
            self.answered = False
            self.hint_lines = []
            self.query_one(BlankField).input.value = ""
            self.show_question()
        elif self.session.finished and self.again is not None:
            self.start_again()

    def start_again(self) -> None:
        session = self.again()
        if session is None:
            self.again = None  # nothing left to ask: the summary says so
            self.show_summary()
            return
        self.session, self.notes = session, []
        for part in ("#quiz-graph", ".blank"):
            self.query_one(part).display = True
        self.query_one("#quiz-summary", LiteralLine).set_text("")
        self.show_question()

    def action_hint(self) -> None:
        if self.session.finished or self.answered:
            return
        lang = self.app.lang
        hint = self.session.hint()
        line = (say("no-hints-screen", lang) if hint is None
                else say("hint", lang, number=hint[0], total=hint[1], text=hint[2]))
        self.hint_lines.append(line)
        self.query_one(BlankField).line("hints").set_text("\n".join(self.hint_lines))

    def action_skip(self) -> None:
        if self.session.finished or self.answered:
            return
        self.session.skip()
        self.answered = True
        self.show_question()


class QuizApp(TutorApp):
    """The tutor app opened straight on the quiz screen (the lessons are loaded already)."""

    def __init__(self, session, lessons, notes=(), ascii: bool = False, again=None, **kwargs):
        super().__init__(store=session.store, lang=session.lang, ascii=ascii, **kwargs)
        self.session = session
        self.notes = notes
        self.again = again
        self.pack = session.pack
        self.lessons, self.lessons_loaded = list(lessons), True

    def get_default_screen(self) -> Screen:
        return Screen()  # not TutorApp's lesson list: the quiz screen goes over a blank one

    def on_mount(self, event) -> None:
        event.prevent_default()  # not the home screen and no lesson loading: the quiz is ready
        self.push_screen(QuizScreen(self.session, self.notes, self.again))


def run_quiz_app(session, lessons, ascii: bool = False, notes=(), again=None) -> int:
    from .launch import tell_where_the_crash_log_is

    app = QuizApp(session, lessons, notes, ascii, again)
    app.run()
    tell_where_the_crash_log_is(app)  # the quiz screen's crashes are told as the lesson screens' are
    return app.return_code or 0
