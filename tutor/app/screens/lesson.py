"""The lesson screen: one step at a time, its prose, its graphs and its blanks, feedback in place.

A step's Markdown is cut at its ``{{graph NAME}}``, ``{{chart NAME}}`` and ``{{blank ID}}`` lines; the
pieces become Markdown widgets, graph panels, charts and answer fields, in the order the author wrote them. A marker in
the middle of a line (a table cell, say) becomes the blank's letter there, and its field follows
the block. Blanks and graphs that the text of the current language does not place (English text
often leaves the markers to the Korean) come at the end of the step.

``LessonScreen(lesson, session)`` is reused by the instructor's preview (tutor/app/preview.py): a
session without a store saves nothing.
"""

import functools
import re
from dataclasses import dataclass

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Markdown, Static
from textual.widgets.markdown import MarkdownFence

from tutor.grading.hints import label
from tutor.lessons import answer_target, is_fence, text
from tutor.render.glyphs import ascii_text, glyph
from tutor.render.mathtext import markdown_math, safe_text

from ..served import CURSOR_BLINK, for_browser
from ..widgets import AnswerBox, FeedbackView, KeyBar, LiteralLine, pass_typing, plain
from .charts import StepChart, TrainingPanel, new_trainers, trained_graph
from .walk import dataset_table, walk_lines, walk_order

STEPS = Binding.Group("key.steps")  # pgup/pgdn share one entry in the key bar
NODES = Binding.Group("key.nodes")
MARKER = re.compile(r"\{\{\s*(graph|blank|chart)\s+([^\s}]+)\s*\}\}")


class PlainFence(MarkdownFence):
    """A code fence that names no language is plain text. Textual would let Pygments guess one,
    which imports ~280 lexer modules the first time and may colour a table of numbers as code.

    Highlighted code is kept (the text, its language and the theme's two switches decide it): Textual
    highlights a fence again at each style update, about ten times as a step opens, and looks its
    lexer up by name each time."""

    @classmethod
    @functools.lru_cache(maxsize=256)
    def highlight(cls, code: str, language: str, ansi: bool = False, dark: bool = False):
        return super().highlight(code, language or "text", ansi, dark)


WARM_LEXERS = 4  # languages; a pack naming hundreds would only keep a background thread busy


def warm_lexers(lessons) -> None:
    """Make the lexers of the first languages the lessons' code fences name (the app does it in the
    background once its lesson list is drawn): Pygments compiles a lexer's patterns the first time one is
    made (~60 ms for Python), which the first step with such a fence would otherwise wait for."""
    from pygments.lexers import get_lexer_by_name
    from pygments.util import ClassNotFound

    languages = []
    for lesson in lessons:
        for step in lesson.steps:
            for line in f"{step.ko}\n{step.en}".splitlines():
                words = line.strip().lstrip("`~").split() if is_fence(line) else []
                if words and words[0] not in languages and len(languages) < WARM_LEXERS:
                    languages.append(words[0])
    for language in languages:
        try:
            get_lexer_by_name(language)
        except ClassNotFound:
            pass


@functools.cache
def markdown_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("gfm-like")


class StepMarkdown(Markdown):
    """A piece of a step's prose, its blocks built with the widget (``compose``): Textual's ``Markdown``
    parses its text again once mounted, in a thread, and mounts its blocks a frame later, a second
    layout of the step. ``_build_from_source`` is Textual's own (8.x) way from text to blocks."""

    BLOCKS = {**Markdown.BLOCKS, "fence": PlainFence, "code_block": PlainFence}

    def __init__(self, markdown: str):
        super().__init__(markdown, open_links=False, parser_factory=markdown_parser)

    def compose(self) -> ComposeResult:
        source, self._initial_markdown = self._initial_markdown or "", None
        self._markdown = source
        yield from self._build_from_source(source)

    def _on_mount(self, event) -> None:
        event.prevent_default()  # Markdown's own would parse the text again, in a thread, and mount it again


@dataclass
class Piece:
    kind: str  # "markdown", "graph", "chart" or "blank"
    value: str  # markdown text, graph or chart name, or problem id


def split_step(markdown: str, blanks: list[str], graphs: list[str], letters: dict[str, str]) -> list[Piece]:
    """The step's pieces in order. Markers alone on a line become pieces; inline markers become
    ``[a]`` in the text with the field after their paragraph (or code fence); unplaced blanks and graphs
    go last. Prose between two pieces stays one piece, one widget: a code fence cut at its blank lines
    showed its later lines as prose."""
    pieces: list[Piece] = []
    chunk: list[str] = []
    trailing: list[Piece] = []  # fields of inline markers, placed after the current block
    placed: set[tuple[str, str]] = set()

    def flush() -> None:
        if "\n".join(chunk).strip():
            pieces.append(Piece("markdown", "\n".join(chunk)))
        chunk.clear()
        pieces.extend(trailing)
        trailing.clear()

    def inline(match: re.Match) -> str:
        kind, name = match.groups()
        placed.add((kind, name))
        trailing.append(Piece(kind, name))
        return f"[{letters.get(name, '?')}]" if kind == "blank" else ""  # a graph or chart follows the block

    in_fence = False  # inside a code fence a blank line ends nothing
    for line in markdown.splitlines():
        if is_fence(line):
            in_fence = not in_fence
        alone = None if in_fence else MARKER.fullmatch(line.strip())
        if alone:
            flush()
            placed.add(alone.groups())
            pieces.append(Piece(*alone.groups()))
        elif not line.strip() and not in_fence and trailing:  # the paragraph with an inline blank ends here
            flush()
            chunk.append(line)
        else:
            chunk.append(MARKER.sub(inline, line))
    flush()
    pieces += [Piece("graph", g) for g in graphs if ("graph", g) not in placed]
    pieces += [Piece("blank", b) for b in blanks if ("blank", b) not in placed]
    return pieces


class GraphView(Widget, can_focus=False):
    """A graph drawn by ``tutor.render.graph``; it takes the focus only to play the backward
    walk-through, so Tab never lands on it (its keys would show with no walk to use them on)."""

    WALK_KEYS = {"p", "n", "space"}

    BINDINGS = [
        Binding("left,backspace,p", "walk(-1)", "key.walk_prev", group=NODES),
        Binding("right,space,n", "walk(1)", "key.walk_next", group=NODES),
        Binding("escape", "end_walk", "key.walk_exit"),
    ]

    # init=False: at mount the watcher would ask for a layout and a walk line nobody has asked for yet
    # (an empty line mounted under every graph, and a second layout of every step that has one).
    walk_index: reactive[int | None] = reactive(None, init=False)

    def __init__(self, graph, name: str, labels: dict, values: str = "forward", upstream: str | None = None,
                 **kwargs):
        super().__init__(**kwargs)
        self.graph = graph
        # "both" when a blank of the step asks for a gradient here; forward only otherwise, so the
        # drawing does not give away the gradients of later steps (the walk-through shows them all).
        self.values = values
        self.graph_name = name
        self.labels = labels
        self.hidden: dict = {}
        self.upstream = upstream  # drawn as an arrow from the right, not walked to
        self.order = walk_order(graph, upstream)
        self.drawn: tuple[tuple, list[Text]] | None = None  # (what the lines show, the lines)
        self.offered: int | None = None  # the width its panel offers the drawing (get_content_width)

    def render(self) -> Text:
        return Text("\n", no_wrap=True, overflow="ignore").join(self.drawing())  # never wrapped: its panel scrolls

    def get_content_width(self, container, viewport) -> int:
        # Drawn at the width its panel offers (less this view's padding); a drawing that cannot fit it is
        # wider, and the panel scrolls. That width, not the view's own, is what the drawing is made for.
        self.offered = max(container.width - 2, 1)
        return max((line.cell_len for line in self.drawing()), default=1)

    def get_content_height(self, container, viewport, width: int) -> int:
        return len(self.drawing()) or 1  # the first drawing is the right one

    def drawing(self, width: int | None = None) -> list[Text]:
        """The graph's lines, drawn again only when something they show changes: the walk, the answers
        hidden, the language of the labels, ASCII or Unicode, the width. Layout asks for the width and the
        height and then for the lines, so each opening of a step drew every graph two to four times. The
        graph and its values never change in a view: a new lesson, step or variant builds new views."""
        width = width or self.offered or self.size.width
        shown = (self.walk_index, tuple(self.hidden.items()), self.app.lang, self.app.ascii, max(width, 40))
        if self.drawn is None or self.drawn[0] != shown:
            from tutor.render.graph import render_graph

            highlight = None if self.walk_index is None else self.order[self.walk_index]
            walking = self.walk_index is not None  # the walk shows every gradient but unsolved blanks' answers
            self.drawn = shown, render_graph(self.graph, values="both" if walking else self.values,
                                             hidden=self.hidden, highlight=highlight, ascii=self.app.ascii,
                                             width=shown[-1], labels=self.localized_labels(), upstream=self.upstream)
        return self.drawn[1]

    def localized_labels(self) -> dict[str, str]:
        words = ascii_text if self.app.ascii else str  # e⁻ˣ, −x: in ASCII mode as the prose writes them
        return {node: words(safe_text(text(label, self.app.lang))) for node, label in self.labels.items()}

    def set_hidden(self, hidden: dict) -> None:
        self.hidden = hidden
        self.refresh(layout=True)

    def start_walk(self) -> None:
        self.can_focus = True
        self.walk_index = 0
        self.focus()

    def action_walk(self, delta: int) -> None:
        if self.walk_index is None:
            self.walk_index = 0
        else:
            self.walk_index = max(0, min(len(self.order) - 1, self.walk_index + delta))

    def action_end_walk(self) -> None:
        self.walk_index = None
        self.screen.focus_blank()
        if self.has_focus:  # no open blank took it (a reading step, all solved): Enter goes on again
            self.screen.set_focus(None)

    def on_key(self, event) -> None:
        if self.walk_index is not None:
            pass_typing(self, event, self.WALK_KEYS)

    def watch_walk_index(self, index: int | None) -> None:
        self.refresh(layout=True)
        self.post_message(self.Walked(self, index))

    def on_blur(self) -> None:
        self.can_focus = False
        if self.walk_index is not None:
            self.walk_index = None

    class Walked(Message):
        """The walk-through moved (``index`` None: it ended)."""

        def __init__(self, view: "GraphView", index: int | None):
            super().__init__()
            self.view = view
            self.index = index


class DatasetTable(Static):
    """The dataset of one graph as a table, blanks marked in their cells."""

    def __init__(self, graph_name: str, **kwargs):
        super().__init__(**kwargs)
        self.graph_name = graph_name

    def describe(self) -> None:
        screen, session = self.screen, self.screen.session
        backward = [target[1] for p in session.lesson.problems if p.graph == self.graph_name
                    and (target := answer_target(p)) is not None and target[0] == "backward"]
        labels = {node: text(label, self.app.lang) for node, label in session.lesson.graphs[self.graph_name].labels.items()}
        table = dataset_table(session.instance.graph(self.graph_name),
                              session.hidden_markers(self.graph_name, screen.letters), backward, labels, self.app.ascii)
        self.update(table)
        self.display = table.row_count > 0  # a graph without a dataset: no empty table


def options_grid(problem, lang: str):
    """A choice's options, each on its own line(s), numbered as the learner answers them (the ids are
    the author's, and may name the answer); a long option wraps at word boundaries under its own text."""
    from rich.table import Table

    grid = Table.grid(padding=(0, 1))
    grid.add_column(no_wrap=True)
    grid.add_column(overflow="fold")
    for n, option in enumerate(problem.options, 1):
        grid.add_row(f"{n})", plain(text(option.text, lang)))
    return grid


class BlankField(Vertical):
    """One blank: its prompt, the answer box, feedback, hints and the solution. The quiz screen
    reuses it without a ``problem``: it asks question after question in the same field and fills
    the lines itself.

    The lines under the prompt other than the answer box are made the first time something is shown
    in them (``line``): most blanks open with none, and a step opens faster with each widget fewer
    (a blank was ten widgets, three fifths of a step's). The box stands alone under the prompt, its mark
    its left edge (tutor.tcss): a row holding a › before it was two widgets more, an eighth of a step's
    opening."""

    LINES = {"options": lambda: Static(classes="options"), "feedback": FeedbackView,
             "hints": lambda: LiteralLine(classes="hints"), "solution": lambda: LiteralLine(classes="solution"),
             "state": lambda: LiteralLine(classes="state")}
    ORDER = ("options", "answer", "state", "feedback", "hints", "solution")  # as they stand under the prompt

    def __init__(self, problem=None, letter: str = "", **kwargs):
        super().__init__(classes="blank", **kwargs)
        self.problem = problem
        self.letter = letter
        self.lines: dict = {}  # name -> its widget, once made

    def compose(self) -> ComposeResult:
        yield LiteralLine(classes="prompt")
        answer = self.lines["answer"] = AnswerBox(classes="answer")  # one line: tutor.tcss (compact=True styles it twice)
        answer.cursor_blink = CURSOR_BLINK
        yield answer

    def line(self, name: str) -> Widget:
        """The line ``name`` ("options", "state" under the answer box, "feedback", "hints", "solution"),
        mounted in its place the first time it is asked for."""
        if name not in self.lines:
            widget = self.lines[name] = self.LINES[name]()
            later = self.ORDER[self.ORDER.index(name) + 1:]
            self.mount(widget, before=next((self.lines[n] for n in later if n in self.lines), None))
        return self.lines[name]

    @property
    def input(self) -> Input:
        return self.query_one(Input)

    @property
    def feedback(self) -> FeedbackView:
        return self.line("feedback")

    def describe(self, session, lang: str, t) -> None:
        """Fill every line from the problem and the session's state of this blank."""
        problem, state = self.problem, session.blanks[self.problem.id]
        prompt = f"({self.letter}) {text(problem.prompt, lang)}"
        self.query_one(".prompt", LiteralLine).set_text(ascii_text(prompt) if self.app.ascii else prompt)
        if problem.options:
            self.line("options").update(options_grid(problem, lang))
        self.input.placeholder = t("lesson.placeholder")
        if state.solved:
            status = t("lesson.solved")
        elif state.revealed:
            status = t("lesson.revealed")
        else:
            from ..session import REVEAL_AFTER_TRIES

            key = "lesson.tries_reveal" if state.tries >= REVEAL_AFTER_TRIES else "lesson.tries"
            status = t(key, n=state.tries) if state.tries else ""
        if status or "state" in self.lines:
            self.line("state").set_text(status)
        self.set_class(state.solved, "-solved")
        # A solved box shows its answer and takes no more typing; disabled, Tab also passes it by. Opened
        # again later, it shows the answer as the tutor writes it (the store keeps no typed text).
        if state.solved:
            self.input.value = state.answer or session.shown_answer(problem.id)
        self.input.disabled = state.solved
        if (verdict := session.verdict(problem.id, lang)) is not None:
            self.feedback.show_verdict(verdict, lang, self.app.ascii)

    def show_hints(self, shown: int, texts: list[str], t, state) -> None:
        """The hints shown so far; after the last one, what is left to do (not once it is solved)."""
        from ..session import REVEAL_AFTER_TRIES

        lines = [t("lesson.hint", n=i + 1, total=len(texts)) + h for i, h in enumerate(texts[:shown])]
        if shown >= len(texts) and not state.solved:
            can_reveal = state.revealed or state.tries >= REVEAL_AFTER_TRIES
            lines.append(t("lesson.last_hint" if can_reveal else "lesson.last_hint_locked"))
        self.line("hints").set_text("\n".join(lines))

    def show_solution(self, solution_text: str) -> None:
        self.line("solution").set_text(solution_text)

    def show_notice(self, notice: str) -> None:
        self.feedback.show_text(plain(notice))


class LessonScreen(Screen):
    BINDINGS = for_browser([
        Binding("escape", "app.pop_screen", "key.back"),
        Binding("enter", "submit", "key.submit", show=False),
        Binding("tab", "app.focus_next", "key.next_blank", show=False),
        # priority: the scrolling step body would take PgDn/PgUp otherwise
        Binding("pageup", "step(-1)", "key.prev_step", priority=True, group=STEPS),
        Binding("pagedown", "step(1)", "key.next_step", priority=True, group=STEPS),
        Binding("ctrl+n", "step(1)", "key.next_step", show=False),  # for keyboards without PgDn/PgUp
        Binding("ctrl+p", "step(-1)", "key.prev_step", show=False),
        Binding("ctrl+t,ctrl+g", "hint", "key.hint"),  # ctrl+g: a browser keeps ctrl+t (served.py)
        Binding("ctrl+r", "reveal", "key.reveal"),
        Binding("ctrl+b", "walk", "key.walk"),
        # an answer box has no use for up/down: they scroll the step
        Binding("up", "scroll_body(-1)", "key.scroll", show=False),
        Binding("down", "scroll_body(1)", "key.scroll", show=False),
    ])
    AUTO_FOCUS = "BlankField Input"  # the Markdown widget would take the focus otherwise

    def __init__(self, lesson, session=None, step: int | None = None):
        super().__init__()
        from ..session import LessonSession

        self.lesson = lesson
        self.session = session or LessonSession(lesson, self.app.store, self.app.pack)
        self.step_index = self.session.resume_step() if step is None else step
        self.letters: dict[str, str] = {}
        self.resumed = False  # shown once already (_on_screen_resume)
        self.trainers: dict[int, dict] = {}  # step -> its training panel's GD and SGD, kept across redraws (f2)
        self.leaving = False  # the learner was told of blanks left: the next pgdn goes on all the same

    def compose(self) -> ComposeResult:
        yield LiteralLine(id="lesson-title", classes="screen-title")
        # The first step comes with the screen, so that its first layout is its last: built after the
        # screen was mounted, it cost one or two more layouts of the whole screen.
        body = VerticalScroll(*self.step_widgets(), id="step-body")
        body.can_focus = False  # tab goes from blank to blank; up/down scroll the step
        yield body
        yield LiteralLine(id="lesson-status")
        yield KeyBar()

    def on_mount(self) -> None:
        self.session.open_position()
        self.describe_step()

    def _on_screen_resume(self, event) -> None:
        # Textual (8.x) applies the stylesheet to every widget of a screen each time it is shown, for what
        # may have changed while it was covered. Shown for the first time, its widgets were styled as they
        # mounted, a moment before: a third of the styling a step's opening did, for nothing.
        if not self.resumed:
            self.resumed, event.refresh_styles = True, False
        super()._on_screen_resume(event)

    # ---- building a step ----------------------------------------------------------------------

    @property
    def step(self):
        return self.lesson.steps[self.step_index]

    async def show_step(self, focus: str | None = None) -> None:
        """Build the current step again (another step, language or glyphs); ``focus`` names the blank
        to focus (default: the first unsolved)."""
        body = self.query_one("#step-body", VerticalScroll)
        await body.remove_children()
        await body.mount_all(self.step_widgets())
        self.describe_step(focus)

    def step_widgets(self) -> list[Widget]:
        """The current step's widgets, in the order the author wrote its pieces."""
        step = self.step
        self.letters = step.letters()
        widgets: list[Widget] = []
        markdown = step.en if self.app.lang == "en" else step.ko
        for piece in split_step(markdown, step.blanks, step.graphs, self.letters):
            if piece.kind == "markdown":
                widgets.append(StepMarkdown(markdown_math(safe_text(piece.value), self.app.ascii)))
            elif piece.kind == "graph":
                graph = self.session.instance.graph(piece.value)
                labels = self.lesson.graphs[piece.value].labels
                values = "both" if self.session.asks_gradient(piece.value, step.blanks) else "forward"
                upstream = self.lesson.graphs[piece.value].upstream
                widgets.append(Vertical(GraphView(graph, piece.value, labels, values, upstream, classes="graph"),
                                        classes="graph-panel"))  # the walk's text goes under the view (walk_text)
            elif piece.kind == "chart":
                spec = self.lesson.charts[piece.value]
                widgets.append(StepChart(spec, self.session.instance.graph(spec.graph),
                                         self.lesson.graphs[spec.graph].labels, classes="step-chart"))
            else:
                widgets.append(BlankField(self.lesson.problem(piece.value), self.letters.get(piece.value, "?")))
        return self.with_tables(widgets) + self.training_panels()

    def describe_step(self, focus: str | None = None) -> None:
        """Fill the mounted step from the session: answers, hints, solutions, hidden numbers, the title
        and the status line."""
        lang, t = self.app.lang, self.app.text
        for field in self.query(BlankField):
            self.describe_field(field)
        self.refresh_graphs()
        self.query_one("#lesson-title", LiteralLine).set_text(
            f"{text(self.lesson.title, lang)} {glyph('separator', self.app.ascii)} {t('lesson.step', n=self.step_index + 1, total=len(self.lesson.steps))}")
        self.set_status(self.way_forward())
        self.leaving = False
        self.query_one("#step-body", VerticalScroll).scroll_home(animate=False)
        self.focus_blank(focus)

    def describe_field(self, field: BlankField) -> None:
        """A blank's lines from the session: its answer, state and verdict, its hints, its solution."""
        lang, t = self.app.lang, self.app.text
        field.describe(self.session, lang, t)
        state = self.session.blanks[field.problem.id]
        if state.hints_shown:  # after the last one, what is left to do, until it is solved
            field.show_hints(*self.session.shown_hints(field.problem.id, lang), t, state)
        if state.revealed:
            field.show_solution(self.session.solution(field.problem.id, lang))

    def way_forward(self) -> str:
        """The status line of a step whose blanks are all solved: what Enter and pgdn do now."""
        if not self.session.step_done(self.step_index):
            return ""
        if self.step_index < len(self.lesson.steps) - 1:
            key = "lesson.step_done" if self.step.blanks else "lesson.go_on"
        elif self.has_next_lesson():
            key = "lesson.lesson_done" if self.session.first_unsolved() is None else "lesson.last_step_next"
        else:
            return self.app.text("lesson.all_done") if self.session.first_unsolved() is None else ""
        return self.app.text(key)

    def has_next_lesson(self) -> bool:
        """Whether this lesson is one of the app's course (the preview shows a lone lesson)."""
        return any(lesson.id == self.lesson.id for lesson in self.app.lessons)

    def with_tables(self, widgets: list[Widget]) -> list[Widget]:
        """Put the dataset table before the first vector blank of each graph (the y = 2x lesson's
        table of train_X, train_y, pred_y, with the blanks' markers in its cells)."""
        out, tabled = [], set()
        for widget in widgets:
            if isinstance(widget, BlankField) and widget.problem.type == "vector" and widget.problem.graph not in tabled:
                tabled.add(widget.problem.graph)
                out.append(DatasetTable(widget.problem.graph, classes="dataset"))
            out.append(widget)
        return out

    def training_panels(self) -> list[Widget]:
        trained = trained_graph(self.lesson, self.step, self.session.instance)
        if trained is None:
            return []
        graph, shown = trained
        trainers = self.trainers.setdefault(self.step_index, new_trainers(graph, self.lesson.params["lr"]))
        return [TrainingPanel(trainers, shown)]

    def refresh_graphs(self) -> None:
        for view in self.query(GraphView):
            view.set_hidden(self.session.hidden_markers(view.graph_name, self.letters))
        for table in self.query(DatasetTable):
            table.describe()
        for panel in self.query(TrainingPanel):
            panel.set_secret(self.step_has_open_numbers())

    def step_has_open_numbers(self) -> bool:
        """Whether a blank of this step that asks for a number is neither solved nor revealed. The
        training panel then hides every number after the start: its w and loss after each GD or
        SGD step are exactly what those blanks ask (w after one update, the next losses and w's), and
        a per-blank rule would have to know which update each blank is; a choice blank asks nothing
        the panel shows."""
        blanks = self.session.blanks
        return any(self.lesson.problem(pid).type != "choice" and not (blanks[pid].solved or blanks[pid].revealed)
                   for pid in self.step.blanks)

    def focus_blank(self, pid: str | None = None) -> None:
        fields = list(self.query(BlankField))
        if not fields:
            return
        chosen = next((f for f in fields if f.problem.id == pid), None) or next(
            (f for f in fields if not self.session.blanks[f.problem.id].solved), fields[-1])
        chosen.input.focus()

    def set_status(self, message: str) -> None:
        self.query_one("#lesson-status", LiteralLine).set_text(message)

    async def ascii_changed(self) -> None:
        # Math in the prose and the marks are written anew in the other glyphs.
        await self.lang_changed()

    def on_resize(self, event) -> None:
        if event.size == self._compositor.size:
            # The Resize a screen is sent once its first layout gave it its size: laid out at this size
            # already, Textual's handler would lay it out again, and every screen under it too.
            event.prevent_default()
        for panel in self.query("TrainingPanel, StepChart"):
            panel.call_after_refresh(panel.fit)  # the view's new size is known after the next layout

    async def lang_changed(self) -> None:
        on_panel = isinstance(self.focused, TrainingPanel)  # stepping GD/SGD: stay at the panel
        focused = self.focused_field()
        await self.show_step(focused.problem.id if focused else None)
        if on_panel and (panels := self.query(TrainingPanel)):
            self.call_after_refresh(panels.first().focus)

    def field_with_focus(self) -> BlankField | None:
        """The blank whose answer box has the focus, if one has."""
        node = self.focused
        while node is not None and not isinstance(node, BlankField):
            node = node.parent
        return node

    def focused_field(self) -> BlankField | None:
        """The blank the learner is at: the focused one, else the first unsolved of the step."""
        if (field := self.field_with_focus()) is not None:
            return field
        fields = list(self.query(BlankField))
        return next((f for f in fields if not self.session.blanks[f.problem.id].solved), None) or (
            fields[0] if fields else None)

    # ---- answering --------------------------------------------------------------------------

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        field = next(a for a in event.input.ancestors if isinstance(a, BlankField))
        self.submit(field, event.value)

    async def action_submit(self) -> None:
        # Only the blank that has the focus: Enter on the graph or the training panel submitted the
        # first unsolved blank empty. With every blank of the step solved, Enter goes on.
        field = self.field_with_focus()
        if field is not None:
            self.submit(field, field.input.value)
        elif self.session.step_done(self.step_index) and not isinstance(self.focused, (GraphView, TrainingPanel)):
            await self.action_step(1)

    def submit(self, field: BlankField, answer: str) -> None:
        lang = self.app.lang
        pid = field.problem.id
        was_solved = self.session.blanks[pid].solved
        verdict = self.session.submit(pid, answer, lang)
        self.describe_field(field)
        if verdict.correct and not was_solved:
            self.refresh_graphs()
            nxt = next((f for f in self.query(BlankField) if not self.session.blanks[f.problem.id].solved), None)
            if nxt is not None:
                nxt.input.focus()
                nxt.scroll_visible(animate=False)
            self.set_status(self.way_forward())
        elif not verdict.correct:  # wrong or unreadable ("220,0"): typing replaces it; the arrow keys keep it to edit
            field.input.select_all()
        self.bring_into_view(field.feedback)

    def bring_into_view(self, part: Widget) -> None:
        """Scroll the step so that ``part`` of a blank (its feedback, hints, solution) is on screen,
        once its new text is laid out."""
        self.call_after_refresh(lambda: part.scroll_visible(animate=False))

    def type_into_blank(self, character: str) -> None:
        """A key typed while the walk or the training panel had the focus: into the answer box of
        the blank the learner is at, which takes the focus."""
        field = self.focused_field()
        if field is None or field.input.disabled:
            self.set_status(self.app.text("lesson.nothing_to_type"))
            return
        self.focus_blank(field.problem.id)
        box = field.input
        box.replace(character, *box.selection) if not box.selection.is_empty else box.insert_text_at_cursor(character)

    def action_hint(self) -> None:
        field = self.focused_field()
        if field is None:
            self.set_status(self.app.text("lesson.no_blank"))
            return
        pid = field.problem.id
        shown, texts = self.session.next_hint(pid, self.app.lang)
        field.show_hints(shown, texts, self.app.text, self.session.blanks[pid])
        self.bring_into_view(field.line("hints"))

    def action_reveal(self) -> None:
        field = self.focused_field()
        if field is None:
            self.set_status(self.app.text("lesson.no_blank"))
            return
        pid = field.problem.id
        if not self.session.can_reveal(pid):
            field.show_notice(self.app.text("lesson.reveal_locked", n=self.session.blanks[pid].tries))
            self.bring_into_view(field.feedback)
            return
        self.session.reveal(pid, self.app.lang)
        self.describe_field(field)
        self.refresh_graphs()
        self.bring_into_view(field.line("solution"))

    # ---- moving ---------------------------------------------------------------------------------

    async def action_step(self, delta: int) -> None:
        target = self.step_index + delta
        if target < 0:
            self.set_status(self.app.text("lesson.first_step"))
        elif target < len(self.lesson.steps):
            self.step_index = target
            await self.show_step()
        elif not self.has_next_lesson():
            self.set_status(self.app.text("lesson.last_step"))
        elif self.session.first_unsolved() is None or self.leaving:
            self.finish_lesson()
        else:  # blanks left: say so once; the next pgdn goes on all the same
            left = [pid for pid, state in self.session.blanks.items() if not state.solved]
            steps = sorted({self.session.step_of(pid) + 1 for pid in left})
            self.set_status(self.app.text("lesson.blanks_left", n=len(left), steps=", ".join(map(str, steps))))
            self.leaving = True

    def finish_lesson(self) -> None:
        """Leave for the next lesson: a short summary of this one first (or of the course)."""
        from .done import LessonDoneScreen

        app, lesson = self.app, self.lesson
        self.session.open_position()
        app.pop_screen()
        app.push_screen(LessonDoneScreen(lesson, self.session.summary()), callback=app.open_after_summary)

    def action_scroll_body(self, direction: int) -> None:
        body = self.query_one("#step-body", VerticalScroll)
        body.scroll_relative(y=direction * 3, animate=False)

    def action_walk(self) -> None:
        views = list(self.query(GraphView))
        if not views:
            self.set_status(self.app.text("walk.no_graph"))
            return
        views[0].start_walk()

    def walk_text(self, view: GraphView) -> Static:
        """The line(s) under ``view`` that tell the walk-through's node, mounted at the first walk."""
        found = view.parent.query_children(".walk")
        if found:
            return found.first()
        text = Static(classes="walk")
        view.parent.mount(text)
        return text

    def on_graph_view_walked(self, event: GraphView.Walked) -> None:
        panel = self.walk_text(event.view)
        if event.index is None:
            panel.update("")
            return
        view, lang = event.view, self.app.lang
        node = view.order[event.index]
        labels = view.localized_labels()
        shown = Text()
        shown.append(self.app.text("walk.title", n=event.index + 1, total=len(view.order)), style="bold reverse")
        shown.append_text(plain(f" {label(view.graph, node, labels)}\n", style="bold"))
        panel.update(shown + walk_lines(view.graph, node, lang, self.app.ascii, labels, view.hidden))
        panel.scroll_visible()
