"""Widgets of the tutor app. Each is a thin Textual widget over a pure function that builds a
rich ``Text``, so the quiz and preview screens can reuse the functions and tests can call them
without an app.

Lesson text never goes through Rich/Textual markup here: it is passed as ``Text`` (plain), after
``safe_text`` has removed control, escape and bidi characters.
"""

from rich.text import Text
from textual.app import RenderResult
from textual.scrollbar import ScrollBarRender
from textual.widget import Widget
from textual.widgets import Input, Static

from tutor.render.glyphs import glyph
from tutor.render.mathtext import safe_text

from .i18n import t


def plain(text: str, style: str = "") -> Text:
    """Untrusted text as a literal ``Text``: markup is not read, control characters are gone."""
    return Text(safe_text(text), style=style)


def pass_typing(widget: Widget, event, keys: set[str]) -> None:
    """A printable key that is none of ``widget``'s own ``keys`` goes to the answer box the learner is
    at (the walk or the training panel had the focus): nothing typed is silently dropped."""
    if event.is_printable and event.key not in keys and event.character:
        event.stop()
        widget.screen.type_into_blank(event.character)


# ---- feedback ---------------------------------------------------------------------------------

def feedback_text(verdict, lang: str, ascii: bool = False) -> Text:
    """What a learner reads after submitting: a mark, then the grader's own words (the diagnosed
    mistake, the accepted band, carried-forward acceptance are all in ``verdict.message``)."""
    if verdict.invalid:
        mark, style, fallback = glyph("invalid", ascii), "bold yellow", "feedback.invalid"
    elif verdict.correct:
        mark, style, fallback = glyph("correct", ascii), "bold green", "feedback.correct"
    else:
        mark, style, fallback = glyph("incorrect", ascii), "bold red", "feedback.incorrect"
    out = Text()
    out.append(mark + " ", style=style)
    out.append_text(plain(verdict.message or t(fallback, lang, ascii), style="italic" if verdict.carried else ""))
    return out


class FeedbackView(Static):
    """The feedback line(s) under an answer box. Empty until there is a verdict."""

    DEFAULT_CSS = """
    FeedbackView { height: auto; }
    FeedbackView.-empty { display: none; }
    """

    def __init__(self, **kwargs):
        super().__init__("", classes="-empty", **kwargs)

    def show_verdict(self, verdict, lang: str, ascii: bool = False) -> None:
        self.update(feedback_text(verdict, lang, ascii))
        self.set_class(False, "-empty")
        self.set_class(bool(verdict.correct), "-correct")

    def show_text(self, text: Text) -> None:
        self.update(text)
        self.set_class(not text.plain, "-empty")


# ---- scrollbars -------------------------------------------------------------------------------

class AsciiScrollBarRender(ScrollBarRender):
    """A scrollbar without block characters (▄ at its thumb's ends): its thumb is only coloured cells.
    Textual's documented hook, ``ScrollBar.renderer``, takes it in ASCII mode."""

    VERTICAL_BARS = [" "] * 8
    HORIZONTAL_BARS = [" "] * 8


# ---- the key bar ------------------------------------------------------------------------------

FIRST_KEYS = ("key.quit", "key.help")  # always visible, however narrow the terminal
LAST_KEYS = ("key.lang",)


def key_bar_text(bindings, key_display, lang: str, width: int | None = None) -> Text:
    """``^q Quit  f1 Help ...`` from (binding, enabled) pairs, descriptions translated. Bindings of
    one ``Binding.Group`` share an entry (``pgup/pgdn Step``); quit and help come first, the language
    last. Within ``width``, the entries before the last that do not fit are left out whole, from the end
    (a key cut off from its word, ``f2``, said nothing)."""
    entries: dict[str, tuple[list[str], bool]] = {}  # description -> (keys, enabled)
    seen_actions = set()
    for binding, enabled in bindings:
        if not binding.show or binding.action in seen_actions:
            continue
        seen_actions.add(binding.action)
        description = binding.group.description if binding.group else binding.description
        keys, _ = entries.setdefault(description, ([], enabled))
        keys.append(key_display(binding))

    def rank(description: str) -> int:
        return 0 if description in FIRST_KEYS else 2 if description in LAST_KEYS else 1

    def entry(description: str) -> Text:
        keys, enabled = entries[description]
        text = Text()
        text.append("/".join(keys), style="bold reverse" if enabled else "dim reverse")
        text.append(" " + t(description, lang), style="" if enabled else "dim")
        return text

    shown = [entry(description) for description in sorted(entries, key=rank)]
    first = sum(rank(description) == 0 for description in entries)  # shown however narrow the bar
    last = sum(rank(description) == 2 for description in entries)  # and these
    while width is not None and len(shown) > first + last and sum(e.cell_len + 2 for e in shown) - 2 > width:
        del shown[len(shown) - last - 1]
    return Text("  ", no_wrap=True, overflow="ellipsis").join(shown)


class KeyBar(Widget):
    """A footer that shows the keys active right now (it follows focus), in the app's language.
    Textual's ``Footer`` cannot translate binding descriptions when the language changes."""

    DEFAULT_CSS = """
    KeyBar { dock: bottom; height: 1; background: $panel; }
    """

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, lambda _screen: self.refresh())

    def lang_changed(self) -> None:
        self.refresh()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def render(self) -> RenderResult:
        pairs = [(b.binding, b.enabled) for b in self.screen.active_bindings.values()]
        return key_bar_text(pairs, self.app.get_key_display, self.app.lang, self.size.width)


class LiteralLine(Static):
    """A line of untrusted text (a title, a prompt): shown literally, never as markup; hidden while
    it is empty."""

    def __init__(self, text: str = "", **kwargs):
        super().__init__(plain(text), **kwargs)
        self.display = bool(text)

    def set_text(self, text: str) -> None:
        self.update(plain(text))
        self.display = bool(text)


class AnswerBox(Input, inherit_bindings=False):
    """The answer box, taking its editing keys (backspace, the arrows, ctrl+u, Enter...) in the order they
    come. Textual runs a widget's key bindings once the key has gone up to the app and come back, after the
    characters typed behind it were already put in: keys that arrive together (over a slow link to
    `tutor serve`, or from tmux) came out of order, and ctrl+u 9 Enter sent an empty answer.

    Only an input's own keys: the scrolling ones it inherits (up, down) would scroll the one-line box, and
    up/down scroll the step (the lesson screen's keys)."""

    BINDINGS = Input.BINDINGS

    async def _on_key(self, event) -> None:
        bindings = self._bindings.key_to_bindings.get(event.key)
        if bindings and not event.is_printable:
            event.stop()
            event.prevent_default()
            await self.run_action(bindings[0].action)
            return
        await super()._on_key(event)

