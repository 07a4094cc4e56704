"""The `tutor` command. Each command imports what it needs when it runs, so `tutor grade` never
pays for Textual and `tutor --help` pays for nothing."""

import sys

import click


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="backprop-tutor", prog_name="tutor")
def cli() -> None:
    """backprop-tutor: learn backpropagation by filling in the blanks (밑바닥부터 시작하는 딥러닝 1, 5장)."""
    import os

    if os.environ.get("TUTOR_LEARNER") is not None:  # set by a class server per login; say at once if it is unusable
        from tutor.progress.target import learner_name

        try:
            learner_name()
        except ValueError as error:
            raise click.UsageError(str(error)) from None


def lessons_option(command):
    """``--lessons DIR`` / ``TUTOR_LESSONS``, the same on every command that reads lessons; the folder
    is resolved by ``tutor.authoring.pack.lessons_dir`` (None: the bundled course). ``--follow-links``
    sets ``TUTOR_FOLLOW_LINKS`` for the lesson reader (``tutor.lessons.loader.leaves_the_pack``)."""
    def follow_links(_context, _parameter, given: bool) -> None:
        if given:
            import os

            os.environ["TUTOR_FOLLOW_LINKS"] = "1"

    command = click.option("--follow-links", is_flag=True, expose_value=False, callback=follow_links,
                           help="Read lesson files that are links to files outside the lessons folder.")(command)
    return click.option("--lessons", "lessons_dir", type=click.Path(exists=True, file_okay=False),
                        envvar="TUTOR_LESSONS", help="A folder of lessons (default: the bundled course).")(command)


def lang_option(command):
    """``--lang ko|en``, the same on every command: TUTOR_LANG, else the locale's language (Korean
    when it is neither), as the app chooses it."""
    def resolve(_ctx, _param, value):
        from tutor.environment import default_lang

        return value or default_lang()

    return click.option("--lang", type=click.Choice(["ko", "en"]), callback=resolve,
                        help="Language of what the command says (default: TUTOR_LANG, else the locale).")(command)


def db_option(command):
    """``--db`` / ``TUTOR_DB``: an SQLite file, or a ``postgresql://`` URL (kept as text: never taken
    for a path, never echoed back by click with its password)."""
    return click.option("--db", metavar="PATH|URL", envvar="TUTOR_DB", show_envvar=True,
                        help="The progress database: an SQLite file, or a postgresql:// URL.")(command)


def lesson_file(given: str, lessons_dir: str | None) -> str:
    """A command's PATH: a lesson file, or the id of a lesson in the lessons folder."""
    from pathlib import Path

    if Path(given).is_file():  # the common case, without importing the pack reader
        return str(Path(given))  # as find_lesson returns it
    from tutor.authoring.pack import find_lesson

    try:
        return str(find_lesson(given, lessons_dir))
    except ValueError as e:
        raise click.BadParameter(str(e), param_hint="'PATH'") from None


@cli.command()
@click.argument("paths", nargs=-1, metavar="[PATH]...")
@click.option("--strict", is_flag=True, help="Also lint: graph width, hints, mistakes, both languages, step "
                                             "length, answers given away in the text.")
@lessons_option
def check(paths: tuple[str, ...], strict: bool, lessons_dir: str | None) -> None:
    """Validate lessons (files or folders; default: the lessons folder). Exit 1 on any error (or lint)."""
    from tutor.authoring.pack import lessons_dir as resolve_lessons_dir
    from tutor.authoring.strict import check as check_lessons

    lines, valid = check_lessons(list(paths) or [str(resolve_lessons_dir(lessons_dir))], strict)
    for line in lines:
        click.echo(line)
    sys.exit(0 if valid else 1)


@cli.command()
@click.argument("path")
@click.option("--json", "as_json", is_flag=True, help='Print {"lesson": id, "answers": {problem: value}, "shown": {problem: text}}.')
@click.option("--format", "fmt", type=click.Choice(["table", "json", "md"]),
              help="table (default), json (= --json), or md: a printable answer sheet in Markdown.")
@click.option("--seed", type=int, help="The variant with this seed (default: the values in the file).")
@lang_option
@lessons_option
def answers(path: str, as_json: bool, fmt: str | None, seed: int | None, lang: str, lessons_dir: str | None) -> None:
    """The answer key of a lesson (PATH: a file, or a lesson id in the lessons folder), computed by the engine."""
    import json

    from tutor.authoring.sheet import answer_key, answer_sheet, answer_table
    from tutor.lessons import LessonError, load_lesson

    path = lesson_file(path, lessons_dir)
    fmt = "json" if as_json else fmt or "table"
    try:
        lesson = load_lesson(path)
        key = answer_key(lesson, seed)
        if fmt == "md":
            click.echo(answer_sheet(lesson, seed, lang), nl=False)
            return
    except LessonError as e:
        click.echo(str(e), err=True)
        sys.exit(1)
    except ValueError as e:  # a seed whose variant the engine cannot compute
        click.echo(f"{path}: {e}", err=True)
        sys.exit(1)
    click.echo(json.dumps(key, ensure_ascii=False) if fmt == "json" else "\n".join(answer_table(lesson, key, lang)))


@cli.command(context_settings={"ignore_unknown_options": True})  # an ANSWER may start with '-': -0.3, -y
@click.argument("path")
@click.argument("problem")
@click.argument("answer")
@click.option("--json", "as_json", is_flag=True, help='Print {"correct", "expected", "shown", "mistake", "message"}.')
@click.option("--seed", type=int, help="The variant with this seed (default: the values in the file).")
@lang_option
@lessons_option
def grade(path: str, problem: str, answer: str, as_json: bool, seed: int | None, lang: str,
          lessons_dir: str | None) -> None:
    """Grade one ANSWER to PROBLEM of a lesson. Exit 0 correct, 1 incorrect, 2 bad input."""
    from tutor.grading import grade as grade_answer
    from tutor.lessons import LessonError, load_lesson

    path = lesson_file(path, lessons_dir)

    try:
        lesson = load_lesson(path)
        if problem not in {p.id for p in lesson.problems}:
            raise KeyError(problem)
        verdict = grade_answer(lesson.instance(seed), problem, answer, lang)
    except LessonError as e:
        click.echo(str(e), err=True)
        sys.exit(2)
    except KeyError:
        from tutor.messages import say

        ids = ", ".join(p.id for p in lesson.problems) or say("none", lang)
        click.echo(say("no-problem", lang, path=path, problem=problem, ids=ids), err=True)
        sys.exit(2)
    except ValueError as e:  # the lesson's answer cannot be computed for this variant
        click.echo(f"{path}: {problem}: {e}", err=True)
        sys.exit(2)
    if as_json:
        import json

        from tutor.grading.grade import shown_answer

        click.echo(json.dumps({"correct": verdict.correct, "expected": verdict.expected,
                               "shown": shown_answer(lesson.instance(seed), problem),
                               "mistake": verdict.mistake, "message": verdict.message}, ensure_ascii=False))
    else:
        click.echo(verdict.message, err=verdict.invalid)
    sys.exit(2 if verdict.invalid else 0 if verdict.correct else 1)


@cli.command()
@click.argument("lesson_id", metavar="ID")
@lang_option
def new(lesson_id: str, lang: str) -> None:
    """Write ID.md: a lesson to start from, every feature of the format shown in comments."""
    from tutor.lessons.commands import new_lesson

    try:
        path = new_lesson(lesson_id)
    except ValueError as e:
        click.echo(str(e), err=True)
        sys.exit(1)
    from tutor.messages import say

    click.echo(say("wrote-lesson", lang, path=path))



@cli.command()
@click.argument("path")
@click.option("--graph", "graph_name", metavar="NAME", help="Only this graph of the lesson.")
@click.option("--backward", is_flag=True, help="Backward values too, below each edge.")
@click.option("--ascii", "ascii_only", is_flag=True, envvar="TUTOR_ASCII", help="Draw with ASCII only.")
@lang_option
@lessons_option
def show(path: str, graph_name: str | None, backward: bool, ascii_only: bool, lang: str,
         lessons_dir: str | None) -> None:
    """Print a lesson's computational graph(s): forward values, and backward ones with --backward."""
    import os

    from tutor.lessons import LessonError, load_lesson
    from tutor.render.show import lesson_drawings

    path = lesson_file(path, lessons_dir)

    try:
        lines = lesson_drawings(load_lesson(path), graph_name, backward, ascii_only, lang)
    except LessonError as e:  # a lesson's error, or a drawing over its budget
        click.echo(str(e), err=True)
        sys.exit(1)
    except KeyError as e:
        click.echo(f"{path}: {e.args[0]}", err=True)
        sys.exit(1)
    if sys.stdout.isatty() and "NO_COLOR" not in os.environ:
        from rich.console import Console

        console = Console(highlight=False)
        for line in lines:
            console.print(line, soft_wrap=True)
    else:
        for line in lines:
            click.echo(line.plain)


@cli.command()
@click.argument("path")
@click.option("--watch", is_flag=True, help="Reload the lesson when the file is saved; show its errors over it.")
@lang_option
@click.option("--ascii", "ascii_only", is_flag=True, envvar="TUTOR_ASCII", help="Draw graphs with ASCII only.")
@lessons_option
def preview(path: str, watch: bool, lang: str | None, ascii_only: bool, lessons_dir: str | None) -> None:
    """Open one lesson (PATH: a file, or a lesson id in the lessons folder) as a learner sees it, with the
    answer key on F5; nothing is saved. Exit 1 when the lesson has errors."""
    from tutor.environment import no_terminal_reason
    from tutor.lessons import LessonError, load_lesson

    path = lesson_file(path, lessons_dir)
    try:
        load_lesson(path, check_variants=True)  # errors go to the terminal before the app takes it over
    except LessonError as e:
        click.echo(str(e), err=True)
        sys.exit(1)
    reason = no_terminal_reason(lang=lang)
    if reason:
        from tutor.messages import say

        click.echo(say("preview-no-tty", lang, reason=reason, path=path), err=True)
        sys.exit(2)
    from tutor.app.preview import PreviewApp

    app = PreviewApp(path, watch=watch, lang=lang, ascii=ascii_only)
    app.run()
    sys.exit(app.return_code or 0)


@cli.command()
@lessons_option
@lang_option
@db_option
@click.option("--ascii", "ascii_only", is_flag=True, envvar="TUTOR_ASCII", help="Draw graphs with ASCII only.")
def start(lessons_dir: str | None, lang: str | None, db: str | None, ascii_only: bool) -> None:
    """Open the tutor app: lessons in order, graphs, blanks, feedback, progress that is kept."""
    from tutor.environment import no_terminal_reason
    from tutor.messages import say

    reason = no_terminal_reason(lang=lang)
    if reason:
        click.echo(say("start-no-tty", lang, reason=reason), err=True)
        sys.exit(2)
    from tutor.app.launch import run

    sys.exit(run(lessons_dir, lang, db, ascii_only))


@cli.command()
@lessons_option
@click.option("--lesson", "lesson_ids", multiple=True, metavar="ID", help="Only this lesson (repeat for more).")
@click.option("--all", "everything", is_flag=True, help="Every lesson, not only the ones you have started.")
@click.option("--count", type=click.IntRange(min=1), default=10, show_default=True, help="How many questions.")
@click.option("--seed", type=int, help="Replay a quiz: the same seed asks the same questions with the same numbers.")
@click.option("--plain", is_flag=True, help="Line mode on stdin/stdout (scripts, pipes, screen readers).")
@click.option("--ascii", "ascii_only", is_flag=True, envvar="TUTOR_ASCII", help="Draw graphs with ASCII only.")
@lang_option
@db_option
def quiz(lessons_dir: str | None, lesson_ids: tuple[str, ...], everything: bool, count: int, seed: int | None,
         plain: bool, ascii_only: bool, lang: str, db: str | None) -> None:
    """Review with fresh numbers: problems from your lessons, due ones first (a Leitner schedule)."""
    from tutor.quiz.command import run_quiz

    sys.exit(run_quiz(lessons_dir, lesson_ids, everything, count, seed, plain, ascii_only, lang, db))


@cli.command()
@click.option("--json", "fmt", flag_value="json", help="Lessons and every attempt as JSON.")
@click.option("--csv", "fmt", flag_value="csv", help="One row per attempt (for instructors).")
@db_option
@click.option("--ascii", "ascii_only", is_flag=True, envvar="TUTOR_ASCII", help="Draw the bars with ASCII only.")
@lessons_option
@lang_option
def progress(fmt: str | None, db: str | None, ascii_only: bool, lessons_dir: str | None, lang: str) -> None:
    """Your progress: per lesson solved/total and first-try accuracy (with bars on a terminal), last activity."""
    from tutor.progress.commands import run_progress

    sys.exit(run_progress(db, lessons_dir, fmt or "table", lang, ascii_only))


@cli.command()
@click.option("--lesson", metavar="ID", help="Only this lesson (default: everything).")
@click.option("--yes", is_flag=True, help="Do not ask.")
@db_option
@click.option("--lessons", "lessons_dir", type=click.Path(exists=True, file_okay=False), envvar="TUTOR_LESSONS",
              help="Only the progress of this lessons folder (default: of every folder).")
@lang_option
def reset(lesson: str | None, yes: bool, db: str | None, lessons_dir: str | None, lang: str) -> None:
    """Delete progress after asking; a backup is written first."""
    from tutor.progress.commands import run_reset

    sys.exit(run_reset(db, lesson, yes, lessons_dir, lang))


@cli.command()
@db_option
@lang_option
def paths(db: str | None, lang: str) -> None:
    """Where progress, backups and crash logs are kept."""
    from tutor.progress.commands import run_paths

    sys.exit(run_paths(db, lang))


# ---- a class: `tutor class …` and `tutor serve` (tutor/serve; `tutor serve` needs the `class` extra) ----

def class_options(command):
    """``--class DIR`` (TUTOR_CLASS), ``--db URL`` and ``--lang``, on every classroom command."""
    command = click.option("--db", metavar="URL", help="Keep the class in this PostgreSQL database (postgresql://…; "
                           "given once, the class folder remembers it without its password).")(lang_option(command))
    return click.option("--class", "class_dir", required=True, envvar="TUTOR_CLASS", metavar="DIR",
                        type=click.Path(file_okay=False), help="The class folder (roster and progress).")(command)


url_option = click.option("--url", metavar="URL", help="Where learners reach `tutor serve`, for the links "
                                                       "(remembered; default: the last one given).")


@cli.group(name="class")
def class_group() -> None:
    """A class's roster for `tutor serve`: learners and their join links."""


@class_group.command(name="add")
@click.argument("names", nargs=-1, required=True, metavar="NAME...")
@url_option
@class_options
def class_add(names: tuple[str, ...], url: str | None, class_dir: str, db: str | None, lang: str) -> None:
    """Add learners (making the class folder if needed) and print their join links."""
    from tutor.serve.commands import run_add

    sys.exit(run_add(class_dir, names, url, lang, db))


@class_group.command(name="list")
@class_options
def class_list(class_dir: str, db: str | None, lang: str) -> None:
    """The roster: each learner, when added, when last joined."""
    from tutor.serve.commands import run_list

    sys.exit(run_list(class_dir, lang, db))


@class_group.command(name="remove")
@click.argument("name")
@class_options
def class_remove(name: str, class_dir: str, db: str | None, lang: str) -> None:
    """Take a learner off the roster (their link and sessions stop working; their progress is kept)."""
    from tutor.serve.commands import run_remove

    sys.exit(run_remove(class_dir, name, lang, db))


@class_group.command(name="links")
@click.argument("names", nargs=-1, metavar="[NAME]...")
@url_option
@class_options
def class_links(names: tuple[str, ...], url: str | None, class_dir: str, db: str | None, lang: str) -> None:
    """Print new join links (for everyone, or the NAMEs); the old links of those learners stop working."""
    from tutor.serve.commands import run_links

    sys.exit(run_links(class_dir, names, url, lang, db))


@cli.command()
@click.option("--class", "class_dir", envvar="TUTOR_CLASS", metavar="DIR", type=click.Path(file_okay=False),
              help="The class folder (its learners' files, or the database its class.toml names).")
@click.option("--db", metavar="PATH|URL", help="Read this database instead: a postgresql:// URL or an SQLite file.")
@click.option("--lesson", metavar="ID", help="Only this lesson.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "json"]), default="table", show_default=True)
@click.option("--section", type=click.Choice(["problems", "learners", "stuck"]), default="problems", show_default=True,
              help="Which table --format csv prints (json and table have them all).")
@click.option("--pseudonyms", is_flag=True, help="Stable pseudonyms instead of learners' names.")
@click.option("--stuck-minutes", type=click.FloatRange(min=0, min_open=True), default=15, show_default=True,
              help="How far back 'stuck now' looks.")
@click.option("--live", is_flag=True, help="An instructor screen that reads the class again every few seconds.")
@click.option("--ascii", "ascii_only", is_flag=True, envvar="TUTOR_ASCII", help="Draw the bars with ASCII only.")
@lessons_option
@lang_option
def report(class_dir: str | None, db: str | None, lesson: str | None, fmt: str, section: str, pseudonyms: bool,
           stuck_minutes: float, live: bool, ascii_only: bool, lessons_dir: str | None, lang: str) -> None:
    """What a class did: per blank its first-try share and the mistakes learners made, per learner a
    gradebook, and who is stuck now. Reads only; never changes anyone's progress."""
    from pathlib import Path

    from tutor.classreport.command import ReportRequest, run_report

    request = ReportRequest(Path(class_dir).expanduser() if class_dir else None, db, lessons_dir, lesson, pseudonyms,
                            stuck_minutes, lang)
    sys.exit(run_report(request, fmt, section, live, ascii_only))


@cli.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (0.0.0.0: every "
              "network of this machine; put a TLS proxy in front beyond a network you trust).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port (0: any free one).")
@click.option("--public-url", metavar="URL", help="The address learners use when a proxy is in front, "
              "e.g. https://tutor.example.org.")
@click.option("--max-sessions", type=click.IntRange(min=1), default=100, show_default=True,
              help="App processes at once; beyond, a page asks to come back later.")
@click.option("--max-tabs", type=click.IntRange(min=1), default=3, show_default=True, help="Tabs per learner.")
@click.option("--idle-minutes", type=click.FloatRange(min=0, min_open=True), default=30, show_default=True,
              help="Close a session after this long without input (progress is saved).")
@lessons_option
@class_options
def serve(host: str, port: int, public_url: str | None, max_sessions: int, max_tabs: int, idle_minutes: float,
          lessons_dir: str | None, class_dir: str, db: str | None, lang: str) -> None:
    """The tutor in a browser for a class: each learner joins by their link (see `tutor class`)."""
    from tutor.serve.commands import run_serve

    options = {"host": host, "port": port, "public_url": public_url, "lessons_dir": lessons_dir,
               "limits": {"max_sessions": max_sessions, "max_tabs": max_tabs, "idle_seconds": idle_minutes * 60}}
    sys.exit(run_serve(class_dir, options, lang, db))


def main() -> None:
    try:
        sys.exit(cli.main(standalone_mode=True))
    except Exception as error:
        from tutor.progress import StoreError  # here: only when something went wrong

        if not isinstance(error, StoreError):
            raise
        click.echo(f"tutor: {error}", err=True)  # e.g. a postgresql:// URL without psycopg installed
        sys.exit(2)
