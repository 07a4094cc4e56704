"""The quiz screen of `tutor quiz`: one question at a time, without the lesson's prose: the graph with
this variant's numbers, the prompt, the answer box; feedback on the last answer; the summary at the end.

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
from .widgets import FeedbackView, KeyBar, LiteralLine, feedback_text, plain


class QuizScreen(Screen):
    BINDINGS = [
        Binding("ctrl+t", "hint", "key.hint"),
        Binding("ctrl+r", "skip", "key.reveal"),
        Binding("escape", "app.quit", "key.quit", show=False),
    ]
    AUTO_FOCUS = "BlankField Input"

    def __init__(self, session, notes=()):
        super().__init__()
        self.session = session
        self.notes = list(notes)
        self.hint_lines: list[str] = []  # the hints shown for the current question

    def compose(self) -> ComposeResult:
        yield LiteralLine(id="quiz-title", classes="screen-title")
        with VerticalScroll(id="quiz-body"):
            yield LiteralLine("\n".join(self.notes), id="quiz-notes")
            yield FeedbackView(id="quiz-last")
            yield Static(id="quiz-graph")
            yield BlankField()
            yield LiteralLine(id="quiz-summary")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_question()

    # ---- showing ------------------------------------------------------------------------------

    def show_question(self) -> None:
        session, lang = self.session, self.app.lang
        session.lang = lang
        if session.finished:
            self.show_summary()
            return
        question, instance = session.current, session.instance()
        self.query_one("#quiz-title", LiteralLine).set_text(say(
            "question", lang, number=session.number, total=len(session.questions),
            title=lesson_text(question.lesson.title, lang)))
        lines = drawing(question, instance, lang, self.app.ascii, width=None)
        self.query_one("#quiz-graph", Static).update(Text("\n").join(lines))
        prompt, *options = question_lines(question, lang)
        self.query_one(".prompt", LiteralLine).set_text(prompt)
        self.query_one(".options", Static).update(plain("\n".join(options)))
        self.query_one(".options", Static).display = bool(options)
        self.query_one(".state", LiteralLine).set_text(answer_label(question, instance, lang))
        self.hint_lines = []
        self.query_one(".hints", LiteralLine).set_text("")
        self.query_one(BlankField).feedback.show_text(Text())

    lang_changed = ascii_changed = show_question  # called by TutorApp.tell_screens

    def show_summary(self) -> None:
        lang = self.app.lang
        self.query_one("#quiz-title", LiteralLine).set_text(say("summary", lang))
        for part in ("#quiz-graph", ".blank"):
            self.query_one(part).display = False
        heading, *lines = summary_lines(self.session.summary(), lang)  # the heading is the screen's title
        self.query_one("#quiz-summary", LiteralLine).set_text("\n".join(lines))

    def tell_last(self, text: Text) -> None:
        """What happened to the question just left (its feedback, its solution), above the next one."""
        self.query_one("#quiz-last", FeedbackView).show_text(text)

    # ---- acting -------------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if self.session.finished:
            return
        lang = self.app.lang
        verdict = self.session.submit(event.value)
        if verdict.invalid:
            self.query_one(BlankField).feedback.show_verdict(verdict, lang, self.app.ascii)
            return
        event.input.value = ""
        text = feedback_text(verdict, lang, self.app.ascii)
        if not verdict.correct:
            text.append("\n")
            text.append_text(plain(self.session.last_solution()))
        self.tell_last(text)
        self.show_question()

    def action_hint(self) -> None:
        if self.session.finished:
            return
        lang = self.app.lang
        hint = self.session.hint()
        line = say("no-hints", lang) if hint is None else say("hint", lang, number=hint[0], total=hint[1], text=hint[2])
        self.hint_lines.append(line)
        self.query_one(".hints", LiteralLine).set_text("\n".join(self.hint_lines))

    def action_skip(self) -> None:
        if self.session.finished:
            return
        worked = self.session.skip()
        self.tell_last(plain(f"{say('skipped', self.app.lang)} {worked}"))
        self.query_one(BlankField).input.value = ""
        self.show_question()


class QuizApp(TutorApp):
    """The tutor app opened straight on the quiz screen (the lessons are loaded already)."""

    def __init__(self, session, lessons, notes=(), ascii: bool = False, **kwargs):
        super().__init__(store=session.store, lang=session.lang, ascii=ascii, **kwargs)
        self.session = session
        self.notes = notes
        self.pack = session.pack
        self.lessons, self.lessons_loaded = list(lessons), True

    def on_mount(self, event) -> None:
        event.prevent_default()  # not the home screen and no lesson loading: the quiz is ready
        self.push_screen(QuizScreen(self.session, self.notes))


def run_quiz_app(session, lessons, ascii: bool = False, notes=()) -> int:
    from .launch import tell_where_the_crash_log_is

    app = QuizApp(session, lessons, notes, ascii)
    app.run()
    tell_where_the_crash_log_is(app)  # the quiz screen's crashes are told as the lesson screens' are
    return app.return_code or 0
