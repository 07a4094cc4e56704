"""The Textual app of `tutor start`: global keys, language and drawing switches, lesson loading."""

import time
from pathlib import Path
from typing import Callable

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.reactive import reactive
from textual.screen import Screen

from tutor.environment import LANGS

from .collector import TICK, IdleCollector
from .i18n import t
from .screens.home import HomeScreen
from .screens.small import MIN_HEIGHT, MIN_WIDTH, TooSmallScreen

SAVING_RETRY_SECONDS = 5  # while answers wait to be saved, try again this often
SAVING_WARNING_SECONDS = 20


class TutorApp(App):
    """``lessons_dir`` (None: the bundled course) is read in a worker after the first frame;
    ``store`` is a ``tutor.progress.Store`` or None (nothing saved). ``open_store``, given instead of
    ``store`` (`tutor start`), opens one after the first frame: the store's modules and its database
    cost the first frame nothing."""

    CSS_PATH = Path(__file__).with_name("tutor.tcss")  # absolute: a subclass elsewhere finds it too
    TITLE = "backprop-tutor"
    ENABLE_COMMAND_PALETTE = False  # ctrl+p stays free; every action has its own key
    BINDINGS = [
        Binding("ctrl+q", "quit", "key.quit", priority=True),
        Binding("f1", "help", "key.help"),
        Binding("f2", "toggle_lang", "key.lang"),
        Binding("f3", "toggle_ascii", "key.ascii", show=False),
        Binding("f4", "progress", "key.progress", show=False),
    ]

    lang: reactive[str] = reactive("ko")
    ascii: reactive[bool] = reactive(False)

    def __init__(self, lessons_dir: Path | str | None = None, store=None, lang: str = "ko", ascii: bool = False,
                 resume: bool = True, started: float | None = None, open_store: Callable[[], object] | None = None):
        super().__init__()
        self.lessons_dir = None if lessons_dir is None else Path(lessons_dir)
        self.store = None
        self.open_store = open_store
        self.store_error: Exception | None = None  # a StoreError from open_store: the app ended on it
        self.pack = ""  # the store's name for the lesson folder, known once it is resolved
        self.resume = resume
        self.started = time.perf_counter() if started is None else started
        self.lessons: list = []
        self.broken: list = []  # broken lessons, and a broken course.yaml
        self.course = None  # the pack's course.yaml (tutor.authoring.pack.Course), once it is read
        self.lessons_loaded = False
        self.collector = IdleCollector()  # full garbage collections while the learner reads (collector.py)
        self.crash_log: Path | None = None  # written by _handle_exception (SECURITY.md, "Crashes")
        self._saving_retry = None  # the timer that retries waiting writes, while some wait
        if store is not None:
            self.use_store(store)
        self.set_reactive(TutorApp.lang, lang)
        self.set_reactive(TutorApp.ascii, ascii)

    def get_default_screen(self) -> Screen:
        """The lesson list is the first screen itself, not pushed over Textual's blank one: a screen
        less to build and style before the first frame."""
        return HomeScreen()

    def on_mount(self) -> None:
        self.use_glyphs()

    def on_unmount(self) -> None:
        self.collector.stop()

    def on_ready(self) -> None:
        self.log.info(f"tutor: first frame after {(time.perf_counter() - self.started) * 1000:.0f} ms")
        if any(isinstance(screen, HomeScreen) for screen in self.screen_stack):
            self.load_lessons()  # only now: importing numpy in a thread would hold up the first frame
        if self.open_store is not None:
            self.start_store()  # while the lessons load; before they are shown (lessons_ready runs after this)
        if self.store is not None and self.store.needs_retry:
            self.saving_changed("waiting")

    def start_store(self) -> None:
        """Open the store with ``open_store``; the home screen then says what the store must tell. A
        store that cannot be had at all (a postgresql:// URL without psycopg) ends the app with code 2
        and ``store_error``, which `tutor start` prints."""
        from tutor.progress import StoreError

        try:
            self.use_store(self.open_store())
        except StoreError as error:
            self.store_error = error
            self.exit(return_code=2)
            return
        self.tell_screens("store_opened")

    def use_store(self, store) -> None:
        self.store = store
        store.listen(self.saving_changed)

    @work(thread=True, exclusive=True, group="load")
    def load_lessons(self) -> None:
        from tutor.authoring.pack import lessons_dir, load_pack  # numpy and YAML load here, after the first frame

        pack = load_pack(lessons_dir(self.lessons_dir and str(self.lessons_dir)))  # as `tutor quiz` reads it
        from . import chart  # noqa: F401 -- plotext (~40 ms) here, not when the first chart opens
        self.call_from_thread(self.lessons_ready, pack)

    def lessons_ready(self, pack) -> None:
        """``pack``: a ``tutor.authoring.pack.Pack`` (its lessons in the course's order)."""
        self.lessons_dir, self.pack, self.course = pack.folder, pack.id, pack.course
        self.lessons, self.broken, self.lessons_loaded = pack.lessons, pack.broken, True
        self.log.info(f"tutor: {len(pack.lessons)} lessons after {(time.perf_counter() - self.started) * 1000:.0f} ms")
        self.collector.start()
        self.set_interval(TICK, self.collector.tick)
        for screen in self.screen_stack:
            if isinstance(screen, HomeScreen):
                screen.show_lessons(resume=self.resume)
        self.call_after_refresh(self.make_lexers)  # once the list is drawn: nothing waits on it then

    @work(thread=True, group="lexers")
    def make_lexers(self) -> None:
        from .screens.lesson import warm_lexers  # and the lesson screen's modules with it, in the background

        warm_lexers(self.lessons)

    # ---- progress ---------------------------------------------------------------------------

    def solved_ids(self, lesson) -> set[str]:
        if self.store is None:
            return set()
        states = self.store.problem_states(self.pack, lesson.id)
        return {pid for pid, state in states.items() if state.solved}

    def is_complete(self, lesson) -> bool:
        return {p.id for p in lesson.problems} <= self.solved_ids(lesson)

    def saving_changed(self, event: str) -> None:
        """The store's news (``Store.listen``), told at once on whatever screen is up: a write that
        could not be made ("waiting", "kept": the answer is kept and retried) or saving working again
        ("saved"). While writes wait, they are retried every few seconds."""
        self.clear_notifications()
        if event == "saved":
            self.notify(self.store.saved_again_in(self.lang), severity="information", markup=False)
            if self._saving_retry is not None:
                self._saving_retry.stop()
                self._saving_retry = None
            return
        self.notify(self.store.warning_in(self.lang) or "", severity="warning", timeout=SAVING_WARNING_SECONDS,
                    markup=False)
        if self._saving_retry is None:
            self._saving_retry = self.set_interval(SAVING_RETRY_SECONDS, self.store.retry)

    # ---- actions ------------------------------------------------------------------------------

    def open_after_summary(self, lesson) -> None:
        """After a lesson's summary (screens/done.py): open ``lesson``, or stay on the lesson list."""
        home = next((screen for screen in self.screen_stack if isinstance(screen, HomeScreen)), None)
        if lesson is not None and home is not None:
            home.open_lesson(lesson)

    def action_help(self) -> None:
        from .screens.help import HelpScreen  # here: the first frame shows no help

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_progress(self) -> None:
        from .screens.progress import ProgressScreen

        if not isinstance(self.screen, ProgressScreen):
            self.push_screen(ProgressScreen())

    def watch_lang(self) -> None:
        self.tell_screens("lang_changed")

    def watch_ascii(self) -> None:
        self.use_glyphs()
        self.tell_screens("ascii_changed")

    def use_glyphs(self) -> None:
        """Borders (tutor.tcss) and scrollbars in the glyphs of the mode: ASCII's draw no block characters."""
        from textual.scrollbar import ScrollBar, ScrollBarRender

        from .widgets import AsciiScrollBarRender

        self.set_class(self.ascii, "-ascii")
        ScrollBar.renderer = AsciiScrollBarRender if self.ascii else ScrollBarRender

    def tell_screens(self, hook: str) -> None:
        """Call ``hook`` on each screen of the stack and each of their widgets that has it. Screens
        do not ``self.watch(app, "lang", ...)``: Textual drops such a watcher only when the value
        next changes, so every closed screen stayed alive until then."""
        for screen in self.screen_stack:
            for node in (screen, *screen.query("*")):
                if (changed := getattr(node, hook, None)) is not None:
                    node.call_next(changed)

    def action_toggle_lang(self) -> None:
        self.lang = LANGS[(LANGS.index(self.lang) + 1) % len(LANGS)]

    def action_toggle_ascii(self) -> None:
        self.ascii = not self.ascii

    def on_resize(self, event) -> None:
        too_small = event.size.width < MIN_WIDTH or event.size.height < MIN_HEIGHT
        showing = isinstance(self.screen, TooSmallScreen)
        if too_small and not showing:
            self.push_screen(TooSmallScreen())
        elif not too_small and showing:
            self.pop_screen()

    def text(self, key: str, **values) -> str:
        return t(key, self.lang, self.ascii, **values)

    # ---- crashes (added for issue 11; SECURITY.md, "Crashes") ---------------------------------

    def _handle_exception(self, error: Exception) -> None:
        """Textual's one funnel for an exception in any handler; it then restores the terminal and
        exits with code 1. Keep the traceback in the data directory first. Submitted answers need
        nothing here: the store commits each one before ``submit`` returns."""
        from tutor.render.mathtext import safe_text

        self.crash_log = write_crash_log(error)
        # The traceback Textual prints quotes the message, which may quote lesson text (C1 controls).
        error.args = tuple(safe_text(a) if isinstance(a, str) else a for a in error.args)
        super()._handle_exception(error)


def write_crash_log(error: BaseException) -> Path | None:
    """The traceback as ``<data dir>/crash-logs/crash-<UTC time>.log`` (escape codes removed: a
    message may quote lesson text); None when it cannot be written."""
    import traceback
    from datetime import datetime, timezone

    from tutor.progress import paths, redact
    from tutor.render.mathtext import safe_text

    try:
        folder = paths().crash_logs
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"crash-{datetime.now(timezone.utc):%Y%m%dT%H%M%S%fZ}.log"
        path.write_text(redact(safe_text("".join(traceback.format_exception(error)))), encoding="utf-8")
        return path
    except OSError:
        return None
