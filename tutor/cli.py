"""The `tutor` command, on the standard library's argparse. Each command imports what it needs when it
runs, so `tutor grade` never pays for Textual and `tutor --help` pays for nothing. (It was click, whose
imports cost every command ~7 ms more; `tutor grade` should cost little more than `import numpy`, issue 23.)"""

import argparse
import os
import sys


class UsageError(Exception):
    """A command's argument is wrong in a way only the command can tell: exit 2 with its usage."""


# ---- arguments shared by several commands ----------------------------------------------------------

def folder(text: str) -> str:
    """``--lessons DIR``: a folder that exists."""
    if not os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"'{text}' is not a folder" if os.path.exists(text)
                                         else f"folder '{text}' does not exist")
    return text


def not_a_file(text: str) -> str:
    """``--class DIR``: a folder, or nothing yet (`tutor class add` makes it)."""
    if os.path.exists(text) and not os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"'{text}' is a file, not a folder")
    return text


def whole_number(low: int, high: int | None = None):
    def read(text: str) -> int:
        try:
            number = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None
        if number < low or (high is not None and number > high):
            raise argparse.ArgumentTypeError(f"{number} is not in {low}..{high}" if high is not None
                                             else f"{number} is less than {low}")
        return number
    return read


def above_zero(text: str) -> float:
    try:
        number = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not number > 0:
        raise argparse.ArgumentTypeError(f"{text} is not above 0")
    return number


def env_flag(name: str) -> bool:
    """A flag its environment variable turns on: TUTOR_ASCII=1 (or true, yes, on)."""
    return os.environ.get(name, "").strip().lower() in ("1", "true", "t", "yes", "y", "on")


def add_lessons(parser, help="A folder of lessons (default: the bundled course).", follow_links=True) -> None:
    """``--lessons DIR`` / ``TUTOR_LESSONS``, resolved by ``tutor.authoring.pack.lessons_dir`` (None: the
    bundled course). ``--follow-links`` sets ``TUTOR_FOLLOW_LINKS`` for the lesson reader
    (``tutor.lessons.loader.leaves_the_pack``)."""
    # A default given as text goes through `type` too: a TUTOR_LESSONS that is no folder is refused.
    parser.add_argument("--lessons", dest="lessons_dir", metavar="DIR", type=folder,
                        default=os.environ.get("TUTOR_LESSONS") or None, help=f"{help} [env: TUTOR_LESSONS]")
    if follow_links:
        parser.add_argument("--follow-links", action="store_true",
                            help="Read lesson files that are links to files outside the lessons folder.")


def add_lang(parser) -> None:
    """``--lang ko|en``: else TUTOR_LANG, else the locale's language (Korean when it is neither), as the
    app chooses it (resolved in ``main``)."""
    parser.add_argument("--lang", choices=["ko", "en"],
                        help="Language of what the command says (default: TUTOR_LANG, else the locale).")


def add_db(parser) -> None:
    """``--db`` / ``TUTOR_DB``: an SQLite file, or a ``postgresql://`` URL (kept as text: never taken for
    a path, never echoed back with its password)."""
    parser.add_argument("--db", metavar="PATH|URL", default=os.environ.get("TUTOR_DB") or None,
                        help="The progress database: an SQLite file, or a postgresql:// URL. [env: TUTOR_DB]")


def add_ascii(parser, help="Draw graphs with ASCII only.") -> None:
    parser.add_argument("--ascii", dest="ascii_only", action="store_true", default=env_flag("TUTOR_ASCII"),
                        help=f"{help} [env: TUTOR_ASCII]")


def add_class(parser, required: bool = True, help="The class folder (roster and progress).") -> None:
    """``--class DIR`` (TUTOR_CLASS); on the roster commands also ``--db URL`` and ``--lang``."""
    given = os.environ.get("TUTOR_CLASS") or None
    parser.add_argument("--class", dest="class_dir", metavar="DIR", type=not_a_file, default=given,
                        required=required and given is None, help=f"{help} [env: TUTOR_CLASS]")
    if required:
        parser.add_argument("--db", metavar="URL", help="Keep the class in this PostgreSQL database (postgresql://…; "
                            "given once, the class folder remembers it without its password).")
        add_lang(parser)


def add_url(parser) -> None:
    parser.add_argument("--url", metavar="URL", help="Where learners reach `tutor serve`, for the links "
                                                     "(remembered; default: the last one given).")


def lesson_file(given: str, lessons_dir: str | None) -> str:
    """A command's PATH: a lesson file, or the id of a lesson in the lessons folder."""
    from pathlib import Path

    if Path(given).is_file():  # the common case, without importing the pack reader
        return str(Path(given))  # as find_lesson returns it
    from tutor.authoring.pack import find_lesson

    try:
        return str(find_lesson(given, lessons_dir))
    except ValueError as e:
        raise UsageError(f"argument PATH: {e}") from None


def fail(message: str, code: int):
    print(message, file=sys.stderr)
    sys.exit(code)


# ---- the commands ----------------------------------------------------------------------------------

def check(args) -> None:
    """Validate lessons (files or folders; default: the lessons folder). Exit 1 on any error (or lint)."""
    from tutor.authoring.pack import lessons_dir as resolve_lessons_dir
    from tutor.authoring.strict import check as check_lessons

    lines, valid = check_lessons(list(args.paths) or [str(resolve_lessons_dir(args.lessons_dir))], args.strict)
    for line in lines:
        print(line)
    sys.exit(0 if valid else 1)


def answers(args) -> None:
    """The answer key of a lesson (PATH: a file, or a lesson id in the lessons folder), computed by the engine."""
    import json

    from tutor.authoring.sheet import answer_key, answer_sheet, answer_table
    from tutor.lessons import LessonError, load_lesson

    path = lesson_file(args.path, args.lessons_dir)
    fmt = "json" if args.as_json else args.fmt or "table"
    try:
        lesson = load_lesson(path)
        key = answer_key(lesson, args.seed)
        if fmt == "md":
            sys.stdout.write(answer_sheet(lesson, args.seed, args.lang))
            return
    except LessonError as e:
        fail(str(e), 1)
    except ValueError as e:  # a seed whose variant the engine cannot compute
        fail(f"{path}: {e}", 1)
    print(json.dumps(key, ensure_ascii=False) if fmt == "json" else "\n".join(answer_table(lesson, key, args.lang)))


def grade(args) -> None:
    """Grade one ANSWER to PROBLEM of a lesson. Exit 0 correct, 1 incorrect, 2 bad input."""
    from tutor.grading import grade as grade_answer
    from tutor.lessons import LessonError, load_lesson

    path = lesson_file(args.path, args.lessons_dir)
    lang = args.lang
    try:
        lesson = load_lesson(path)
        if args.problem not in {p.id for p in lesson.problems}:
            raise KeyError(args.problem)
        verdict = grade_answer(lesson.instance(args.seed), args.problem, args.answer, lang)
    except LessonError as e:
        fail(str(e), 2)
    except KeyError:
        from tutor.messages import say

        ids = ", ".join(p.id for p in lesson.problems) or say("none", lang)
        fail(say("no-problem", lang, path=path, problem=args.problem, ids=ids), 2)
    except ValueError as e:  # the lesson's answer cannot be computed for this variant
        fail(f"{path}: {args.problem}: {e}", 2)
    if args.as_json:
        import json

        from tutor.grading.grade import shown_answer

        print(json.dumps({"correct": verdict.correct, "expected": verdict.expected,
                          "shown": shown_answer(lesson.instance(args.seed), args.problem),
                          "mistake": verdict.mistake, "message": verdict.message}, ensure_ascii=False))
    else:
        print(verdict.message, file=sys.stderr if verdict.invalid else sys.stdout)
    sys.exit(2 if verdict.invalid else 0 if verdict.correct else 1)


def new(args) -> None:
    """Write ID.md: a lesson to start from, every feature of the format shown in comments."""
    from tutor.lessons.commands import NewLessonError, new_lesson
    from tutor.messages import say

    try:
        path = new_lesson(args.lesson_id)
    except NewLessonError as e:
        fail(say(e.key, args.lang, **e.values), 1)
    print(say("wrote-lesson", args.lang, path=path))


def show(args) -> None:
    """Print a lesson's computational graph(s): forward values, and backward ones with --backward."""
    from tutor.lessons import LessonError, load_lesson
    from tutor.render.show import lesson_drawings

    path = lesson_file(args.path, args.lessons_dir)
    try:
        lines = lesson_drawings(load_lesson(path), args.graph_name, args.backward, args.ascii_only, args.lang)
    except LessonError as e:  # a lesson's error, or a drawing over its budget
        fail(str(e), 1)
    except KeyError as e:
        fail(f"{path}: {e.args[0]}", 1)
    if sys.stdout.isatty() and "NO_COLOR" not in os.environ:
        from rich.console import Console

        console = Console(highlight=False)
        for line in lines:
            console.print(line, soft_wrap=True)
    else:
        for line in lines:
            print(line.plain)


def preview(args) -> None:
    """Open one lesson (PATH: a file, or a lesson id in the lessons folder) as a learner sees it, with the
    answer key on F5; nothing is saved. Exit 1 when the lesson has errors."""
    from tutor.environment import no_terminal_reason
    from tutor.lessons import LessonError, load_lesson

    path = lesson_file(args.path, args.lessons_dir)
    try:
        load_lesson(path, check_variants=True)  # errors go to the terminal before the app takes it over
    except LessonError as e:
        fail(str(e), 1)
    reason = no_terminal_reason(lang=args.lang)
    if reason:
        from tutor.messages import say

        fail(say("preview-no-tty", args.lang, reason=reason, path=path), 2)
    from tutor.app.preview import PreviewApp

    app = PreviewApp(path, watch=args.watch, lang=args.lang, ascii=args.ascii_only)
    app.run()
    sys.exit(app.return_code or 0)


def start(args) -> None:
    """Open the tutor app: lessons in order, graphs, blanks, feedback, progress that is kept."""
    from tutor.environment import no_terminal_reason
    from tutor.messages import say

    reason = no_terminal_reason(lang=args.lang)
    if reason:
        fail(say("start-no-tty", args.lang, reason=reason), 2)
    from tutor.app.launch import run

    sys.exit(run(args.lessons_dir, args.lang, args.db, args.ascii_only))


def quiz(args) -> None:
    """Review with fresh numbers: problems from your lessons, due ones first (a Leitner schedule)."""
    from tutor.quiz.command import run_quiz

    sys.exit(run_quiz(args.lessons_dir, tuple(args.lesson_ids), args.everything, args.count, args.seed, args.plain,
                      args.ascii_only, args.lang, args.db))


def progress(args) -> None:
    """Your progress: per lesson solved/total and first-try accuracy (with bars on a terminal), last activity."""
    from tutor.progress.commands import run_progress

    sys.exit(run_progress(args.db, args.lessons_dir, args.fmt or "table", args.lang, args.ascii_only))


def reset(args) -> None:
    """Delete progress after asking; a backup is written first."""
    from tutor.progress.commands import run_reset

    sys.exit(run_reset(args.db, args.lesson, args.yes, args.lessons_dir, args.lang))


def paths(args) -> None:
    """Where progress, backups and crash logs are kept."""
    from tutor.progress.commands import run_paths

    sys.exit(run_paths(args.db, args.lang))


def class_add(args) -> None:
    """Add learners (making the class folder if needed) and print their join links."""
    from tutor.serve.commands import run_add

    sys.exit(run_add(args.class_dir, tuple(args.names), args.url, args.lang, args.db))


def class_list(args) -> None:
    """The roster: each learner, when added, when last joined."""
    from tutor.serve.commands import run_list

    sys.exit(run_list(args.class_dir, args.lang, args.db))


def class_remove(args) -> None:
    """Take a learner off the roster (their link and sessions stop working; their progress is kept)."""
    from tutor.serve.commands import run_remove

    sys.exit(run_remove(args.class_dir, args.name, args.lang, args.db))


def class_links(args) -> None:
    """Print new join links (for everyone, or the NAMEs); the old links of those learners stop working."""
    from tutor.serve.commands import run_links

    sys.exit(run_links(args.class_dir, tuple(args.names), args.url, args.lang, args.db))


def report(args) -> None:
    """What a class did: per blank its first-try share and the mistakes learners made, per learner a
    gradebook, and who is stuck now. Reads only; never changes anyone's progress."""
    from pathlib import Path

    from tutor.classreport.command import ReportRequest, run_report

    request = ReportRequest(Path(args.class_dir).expanduser() if args.class_dir else None, args.db, args.lessons_dir,
                            args.lesson, args.pseudonyms, args.stuck_minutes, args.lang)
    sys.exit(run_report(request, args.fmt, args.section, args.live, args.ascii_only))


def serve(args) -> None:
    """The tutor in a browser for a class: each learner joins by their link (see `tutor class`)."""
    from tutor.serve.commands import run_serve

    options = {"host": args.host, "port": args.port, "public_url": args.public_url, "lessons_dir": args.lessons_dir,
               "limits": {"max_sessions": args.max_sessions, "max_tabs": args.max_tabs,
                          "idle_seconds": args.idle_minutes * 60}}
    sys.exit(run_serve(args.class_dir, options, args.lang, args.db))


# ---- the parser ------------------------------------------------------------------------------------

class Version(argparse.Action):
    """``--version``, read from the installed package only when asked."""

    def __init__(self, option_strings, dest, **kwargs):
        super().__init__(option_strings, dest, nargs=0, help="Show the version and exit.")

    def __call__(self, parser, namespace, values, option_string=None):
        from importlib.metadata import version

        print(f"tutor, version {version('backprop-tutor')}")
        parser.exit()


def help_width() -> int:
    """The width help is wrapped to, found as ``shutil.get_terminal_size`` finds it (COLUMNS, the terminal,
    80). argparse makes a help formatter for every argument it is given, and each asks shutil, which
    imports three compression modules: ~3 ms of every `tutor grade`, which prints no help."""
    try:
        columns = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns
        except (AttributeError, ValueError, OSError):
            columns = 80
    return max(columns, 40) - 2  # as argparse leaves two columns


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """A command's description as written (its paragraphs), wrapped to ``help_width``."""

    def __init__(self, prog: str):
        super().__init__(prog, width=help_width())


def command(commands, run, name: str):
    """A subcommand running ``run``: its docstring is the help (the first sentence in the list)."""
    doc = run.__doc__
    parser = commands.add_parser(name, help=" ".join(doc.split()).split(". ")[0].rstrip("."),
                                 description=doc, formatter_class=HelpFormatter,
                                 allow_abbrev=False)
    parser.set_defaults(run=run, parser=parser)
    return parser


def check_arguments(p) -> None:
    p.add_argument("paths", nargs="*", metavar="PATH")
    p.add_argument("--strict", action="store_true", help="Also lint: graph width, hints, mistakes, both languages, "
                                                         "step length, answers given away in the text.")
    add_lessons(p)


def answers_arguments(p) -> None:
    p.add_argument("path", metavar="PATH")
    p.add_argument("--json", dest="as_json", action="store_true",
                   help='Print {"lesson": id, "answers": {problem: value}, "shown": {problem: text}}.')
    p.add_argument("--format", dest="fmt", choices=["table", "json", "md"],
                   help="table (default), json (= --json), or md: a printable answer sheet in Markdown.")
    p.add_argument("--seed", metavar="N", type=int, help="The variant with this seed (default: the values in the file).")
    add_lang(p)
    add_lessons(p)


def grade_arguments(p) -> None:
    p.usage = "%(prog)s [options] PATH PROBLEM ANSWER"
    p.add_argument("path", metavar="PATH")
    p.add_argument("problem", metavar="PROBLEM")
    # nargs="?": an ANSWER that starts with '-' (-y, -3/4) is left over by argparse and taken in `parse`
    p.add_argument("answer", metavar="ANSWER", nargs="?")
    p.add_argument("--json", dest="as_json", action="store_true",
                   help='Print {"correct", "expected", "shown", "mistake", "message"}.')
    p.add_argument("--seed", metavar="N", type=int, help="The variant with this seed (default: the values in the file).")
    add_lang(p)
    add_lessons(p)


def new_arguments(p) -> None:
    p.add_argument("lesson_id", metavar="ID")
    add_lang(p)


def show_arguments(p) -> None:
    p.add_argument("path", metavar="PATH")
    p.add_argument("--graph", dest="graph_name", metavar="NAME", help="Only this graph of the lesson.")
    p.add_argument("--backward", action="store_true", help="Backward values too, below each edge.")
    add_ascii(p, "Draw with ASCII only.")
    add_lang(p)
    add_lessons(p)


def preview_arguments(p) -> None:
    p.add_argument("path", metavar="PATH")
    p.add_argument("--watch", action="store_true", help="Reload the lesson when the file is saved; show its errors over it.")
    add_lang(p)
    add_ascii(p)
    add_lessons(p)


def start_arguments(p) -> None:
    add_lessons(p)
    add_lang(p)
    add_db(p)
    add_ascii(p)


def quiz_arguments(p) -> None:
    add_lessons(p)
    p.add_argument("--lesson", dest="lesson_ids", action="append", default=[], metavar="ID",
                   help="Only this lesson (repeat for more).")
    p.add_argument("--all", dest="everything", action="store_true", help="Every lesson, not only the ones you have started.")
    p.add_argument("--count", metavar="N", type=whole_number(1), default=10, help="How many questions. [default: 10]")
    p.add_argument("--seed", metavar="N", type=int, help="Replay a quiz: the same seed asks the same questions with the same numbers.")
    p.add_argument("--plain", action="store_true", help="Line mode on stdin/stdout (scripts, pipes, screen readers).")
    add_ascii(p)
    add_lang(p)
    add_db(p)


def progress_arguments(p) -> None:
    p.add_argument("--json", dest="fmt", action="store_const", const="json", help="Lessons and every attempt as JSON.")
    p.add_argument("--csv", dest="fmt", action="store_const", const="csv", help="One row per attempt (for instructors).")
    add_db(p)
    add_ascii(p, "Draw the bars with ASCII only.")
    add_lessons(p)
    add_lang(p)


def reset_arguments(p) -> None:
    p.add_argument("--lesson", metavar="ID", help="Only this lesson (default: everything).")
    p.add_argument("--yes", action="store_true", help="Do not ask.")
    add_db(p)
    add_lessons(p, "Only the progress of this lessons folder (default: of every folder).", follow_links=False)
    add_lang(p)


def paths_arguments(p) -> None:
    add_db(p)
    add_lang(p)


def names_arguments(p) -> None:  # class add
    p.add_argument("names", nargs="+", metavar="NAME")
    add_url(p)
    add_class(p)


def name_arguments(p) -> None:  # class remove
    p.add_argument("name", metavar="NAME")
    add_class(p)


def some_names_arguments(p) -> None:  # class links
    p.add_argument("names", nargs="*", metavar="NAME")
    add_url(p)
    add_class(p)


def report_arguments(p) -> None:
    add_class(p, required=False, help="The class folder (its learners' files, or the database its class.toml names).")
    p.add_argument("--db", metavar="PATH|URL", help="Read this database instead: a postgresql:// URL or an SQLite file.")
    p.add_argument("--lesson", metavar="ID", help="Only this lesson.")
    p.add_argument("--format", dest="fmt", choices=["table", "csv", "json"], default="table", help="[default: table]")
    p.add_argument("--section", choices=["problems", "learners", "stuck"], default="problems",
                   help="Which table --format csv prints (json and table have them all). [default: problems]")
    p.add_argument("--pseudonyms", action="store_true", help="Stable pseudonyms instead of learners' names.")
    p.add_argument("--stuck-minutes", metavar="MINUTES", type=above_zero, default=15.0, help="How far back 'stuck now' looks. [default: 15]")
    p.add_argument("--live", action="store_true", help="An instructor screen that reads the class again every few seconds.")
    add_ascii(p, "Draw the bars with ASCII only.")
    add_lessons(p)
    add_lang(p)


def serve_arguments(p) -> None:
    p.add_argument("--host", default="127.0.0.1", help="Address to listen on (0.0.0.0: every network of this machine; "
                   "put a TLS proxy in front beyond a network you trust). [default: 127.0.0.1]")
    p.add_argument("--port", type=whole_number(0, 65535), default=8000, help="Port (0: any free one). [default: 8000]")
    p.add_argument("--public-url", metavar="URL", help="The address learners use when a proxy is in front, "
                   "e.g. https://tutor.example.org.")
    p.add_argument("--max-sessions", metavar="N", type=whole_number(1), default=100,
                   help="App processes at once; beyond, a page asks to come back later. [default: 100]")
    p.add_argument("--max-tabs", metavar="N", type=whole_number(1), default=3, help="Tabs per learner. [default: 3]")
    p.add_argument("--idle-minutes", metavar="MINUTES", type=above_zero, default=30.0,
                   help="Close a session after this long without input (progress is saved). [default: 30]")
    add_lessons(p)
    add_class(p)


def roster(args) -> None:
    """A class's roster for `tutor serve`: learners and their join links."""
    args.parser.print_help()  # `tutor class` alone: its commands
    sys.exit(2)


# name -> (what runs, its arguments: a function that adds them, or a table of subcommands)
ROSTER = {"add": (class_add, names_arguments), "list": (class_list, add_class), "remove": (class_remove, name_arguments),
          "links": (class_links, some_names_arguments)}
COMMANDS = {"check": (check, check_arguments), "answers": (answers, answers_arguments), "grade": (grade, grade_arguments),
            "new": (new, new_arguments), "show": (show, show_arguments), "preview": (preview, preview_arguments),
            "start": (start, start_arguments), "quiz": (quiz, quiz_arguments),
            "progress": (progress, progress_arguments), "reset": (reset, reset_arguments),
            "paths": (paths, paths_arguments),
            # a class: `tutor class …` and `tutor serve` (tutor/serve; `tutor serve` needs the `class` extra)
            "class": (roster, ROSTER), "report": (report, report_arguments), "serve": (serve, serve_arguments)}


def add_commands(parent, table: dict, argv: list[str]) -> None:
    """The subcommands of ``table`` under ``parent``. When ``argv`` names one, only that one is built:
    argparse works for every parser and argument it is given (gettext looks up each of its words'
    translation, the help formatter measures the terminal), ~35 million instructions for all of them, a
    twentieth of what `tutor grade` costs."""
    commands = parent.add_subparsers(title="commands", metavar="COMMAND")
    wanted = argv[0] if argv and argv[0] in table else None
    for name, (run, arguments) in table.items():
        if wanted in (None, name):
            parser = command(commands, run, name)
            if isinstance(arguments, dict):
                add_commands(parser, arguments, argv[1:])
            else:
                arguments(parser)


def build_parser(argv: list[str]) -> argparse.ArgumentParser:
    tutor = argparse.ArgumentParser(
        prog="tutor", allow_abbrev=False, formatter_class=HelpFormatter,
        description="backprop-tutor: learn backpropagation by filling in the blanks "
                    "(밑바닥부터 시작하는 딥러닝 1, 5장).")
    tutor.add_argument("--version", action=Version)
    add_commands(tutor, COMMANDS, argv)
    return tutor


def parse(argv: list[str]) -> argparse.Namespace:
    tutor = build_parser(argv)
    args, left_over = tutor.parse_known_args(argv)
    if "run" not in args:  # `tutor` alone: what it can do
        tutor.print_help()
        sys.exit(2)
    if args.run is grade and args.answer is None and len(left_over) == 1:
        args.answer, left_over = left_over[0], []  # an answer such as -y or -3/4
    if left_over:
        args.parser.error(f"unrecognized arguments: {' '.join(left_over)}")
    if args.run is grade and args.answer is None:
        args.parser.error("the following arguments are required: ANSWER")
    if getattr(args, "follow_links", False):
        os.environ["TUTOR_FOLLOW_LINKS"] = "1"
    if "lang" in args:
        from tutor.environment import default_lang

        args.lang = args.lang or default_lang()
    if os.environ.get("TUTOR_LEARNER") is not None:  # set by a class server per login; say at once if it is unusable
        from tutor.progress.target import learner_name

        try:
            learner_name()
        except ValueError as error:
            tutor.error(str(error))
    return args


def main(argv: list[str] | None = None) -> None:
    args = parse(sys.argv[1:] if argv is None else argv)
    try:
        try:
            args.run(args)
        finally:  # here, not at exit (a command may end by sys.exit): a reader that went away is caught below
            sys.stdout.flush()
    except UsageError as error:
        args.parser.error(str(error))
    except BrokenPipeError:
        from tutor.environment import reader_went_away

        reader_went_away()
        sys.exit(1)
    except KeyboardInterrupt:  # ctrl+c in a long `tutor check`: stopped as asked, no traceback
        sys.exit(130)
    except Exception as error:
        from tutor.progress import StoreError  # here: only when something went wrong

        if not isinstance(error, StoreError):
            raise
        fail(f"tutor: {error}", 2)  # e.g. a postgresql:// URL without psycopg installed
    sys.exit(0)
