"""Where a command runs: the learner's language, and whether there is a terminal for the app. Plain
functions with no imports beyond the standard library, so every command (and `tutor quiz --plain`,
which never loads Textual) can ask before it loads anything heavy."""

import os
import sys

APP_NAME = "backprop-tutor"  # its folders' name in the user's data and cache folders
LANGS = ("ko", "en")
# The driver textual-serve (`tutor serve`) runs the app with: it speaks to the browser through stdin and
# stdout, which are pipes by design.
WEB_DRIVER = "textual.drivers.web_driver:WebDriver"


def default_lang(environ=os.environ) -> str:
    """TUTOR_LANG, else the locale's language when it is one we speak, else Korean."""
    chosen = environ.get("TUTOR_LANG", "").strip().lower()
    if chosen in LANGS:
        return chosen
    for variable in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(variable)
        if value:
            return "en" if value.lower().startswith("en") else "ko"
    return "ko"


def served(environ=os.environ) -> bool:
    """True when the app runs in a browser tab through `tutor serve`."""
    return environ.get("TEXTUAL_DRIVER") == WEB_DRIVER


def no_terminal_reason(stdin=None, stdout=None, environ=os.environ, lang: str = "en") -> str | None:
    """Why the app cannot run here (in ``lang``), or None when it can."""
    from tutor.messages import say

    if served(environ):
        return None
    stdin, stdout = stdin or sys.stdin, stdout or sys.stdout
    if not (stdin and stdin.isatty()):
        return say("no-tty-stdin", lang)
    if not (stdout and stdout.isatty()):
        return say("no-tty-stdout", lang)
    if environ.get("TERM", "") in ("", "dumb"):
        return say("no-tty-term", lang, term=environ["TERM"]) if environ.get("TERM") else say("no-tty-term-unset", lang)
    return None


def reader_went_away() -> None:
    """Standard output's reader closed it (`tutor check | head -1`): point stdout at /dev/null, so that
    neither the rest of the output nor the interpreter's final flush raises BrokenPipeError again."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
