"""``tutor quiz --plain``: the quiz as lines of text on stdin/stdout, for scripts, pipes and screen
readers. No colours, no escape codes, no Textual: every line is plain text, one answer per line.

Commands: ``:hint``, ``:skip``, ``:quit``, ``:help``. End of input or Ctrl+C ends the quiz the same
way ``:quit`` does: with the summary, every answer already saved.
"""

from .messages import say
from .present import answer_label, drawing, lesson_text, question_lines, summary_lines, verdict_line

COMMANDS = (":hint", ":skip", ":quit", ":help")


class _Quit(Exception):
    """The learner asked to stop (``:quit``, end of input, Ctrl+C)."""


def run(session, stdin, stdout, ascii: bool = False, width: int = 80, notes: tuple[str, ...] = ()) -> None:
    """Ask every question of ``session``, reading answers from ``stdin``; then print the summary.
    ``notes``: lines to print before the first question (which lessons the questions come from)."""
    lang = session.lang

    def write(line: str = "") -> None:
        print(line, file=stdout, flush=True)

    def read() -> str:
        line = stdin.readline()
        if not line:
            raise _Quit
        return line.strip()

    try:  # from the first line on: Ctrl+C right after the introduction still ends with the summary
        for note in notes:
            write(note)
        write(say("intro", lang, count=len(session.questions)))
        while not session.finished:
            _ask(session, write, read, ascii, width)
    except (_Quit, KeyboardInterrupt):
        pass
    write()
    for line in summary_lines(session.summary(), lang):
        write(line)
    write(say("again-plain", lang))


def _ask(session, write, read, ascii: bool, width: int) -> None:
    """One question, until it is answered or skipped."""
    lang, question = session.lang, session.current
    write()
    write(say("question", lang, number=session.number, total=len(session.questions),
              title=lesson_text(question.lesson.title, lang)))
    instance = session.instance()
    for line in drawing(question, instance, lang, ascii, width):
        write(line.plain.rstrip())
    for line in question_lines(question, lang):
        write(line)
    write(answer_label(question, instance, lang))
    while session.current is question:
        entry = read()
        command = entry.casefold()
        if command == ":quit":
            raise _Quit
        if command == ":help":
            write(say("help", lang))
        elif command == ":hint":
            hint = session.hint()
            write(say("no-hints", lang) if hint is None else say("hint", lang, number=hint[0], total=hint[1],
                                                                   text=hint[2]))
        elif command == ":skip":
            worked = session.skip()
            write(say("skipped", lang) + " " + worked)
        elif command.startswith(":"):
            write(say("unknown-command", lang, command=entry))
        else:
            verdict = session.submit(entry)
            write(verdict_line(verdict, ascii))
            if not verdict.invalid and not verdict.correct:
                write(session.last_solution())
