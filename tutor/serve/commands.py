"""`tutor class add/list/remove/links` and `tutor serve`. Each returns an exit code; tutor/cli.py
only passes the options through.

Links go to stdout, one ``NAME<TAB>LINK`` line per learner (``> links.tsv`` keeps them); everything
said about them goes to stderr.
"""

from __future__ import annotations

import sys
from pathlib import Path
from urllib.parse import urlsplit

from tutor.progress.classfolder import record

from .classroom import ClassError, Classroom, NoClass
from .messages import say
from .roster import BadName, check_name, shown


def _open(class_dir: str, lang: str, create: bool = False, db: str | None = None) -> Classroom | None:
    try:
        return Classroom.open(class_dir, create=create, db=db)
    except ClassError as error:
        print(say(error.key, lang, **error.values), file=sys.stderr)
    except NoClass:
        print(say("class.missing", lang, folder=class_dir), file=sys.stderr)
    except (FileExistsError, NotADirectoryError):
        print(say("class.not_folder", lang, folder=class_dir), file=sys.stderr)
    return None


def _open_for_links(class_dir: str, url: str | None, lang: str, create: bool = False,
                    db: str | None = None) -> Classroom | None:
    """The class, with the address its links point at: ``url`` (then remembered), else its own."""
    classroom = _open(class_dir, lang, create, db)
    if classroom is None:
        return None
    if url is not None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            print(say("class.bad_url", lang, url=url), file=sys.stderr)
            classroom.close()
            return None
        classroom.roster.set_setting("url", url.rstrip("/"))
    elif classroom.roster.setting("url") is None:
        print(say("class.default_url", lang, url=classroom.url), file=sys.stderr)
    return classroom


def _print_links(classroom: Classroom, tokens: dict[str, str]) -> None:
    for name, token in tokens.items():
        print(f"{name}\t{classroom.join_link(token)}")


def _bad_name(error: BadName, lang: str) -> int:
    reason = say(error.key, lang, **error.values)
    print(say("name.bad", lang, name=shown(error.name), reason=reason), file=sys.stderr)
    return 1


def run_add(class_dir: str, names: tuple[str, ...], url: str | None, lang: str, db: str | None = None) -> int:
    try:
        for name in names:  # before anything is made: a bad name leaves no empty class behind
            check_name(name)
    except BadName as error:
        return _bad_name(error, lang)
    classroom = _open_for_links(class_dir, url, lang, create=True, db=db)
    if classroom is None:
        return 2
    with classroom:
        try:
            tokens = classroom.roster.add(list(names))
        except BadName as error:  # taken
            return _bad_name(error, lang)
        print(say("class.added", lang, count=len(tokens)), file=sys.stderr)
        _print_links(classroom, tokens)
    return 0


def run_links(class_dir: str, names: tuple[str, ...], url: str | None, lang: str, db: str | None = None) -> int:
    classroom = _open_for_links(class_dir, url, lang, db=db)
    if classroom is None:
        return 2
    with classroom:
        try:
            tokens = classroom.roster.reissue(list(names) or None)
        except KeyError as error:
            print(say("class.unknown", lang, name=shown(error.args[0])), file=sys.stderr)
            return 1
        if not tokens:
            print(say("class.empty", lang), file=sys.stderr)
            return 0
        print(say("class.reissued", lang, count=len(tokens)), file=sys.stderr)
        _print_links(classroom, tokens)
    return 0


def run_list(class_dir: str, lang: str, db: str | None = None) -> int:
    classroom = _open(class_dir, lang, db=db)
    if classroom is None:
        return 2
    with classroom:
        learners = classroom.roster.learners()
    if not learners:
        print(say("class.empty", lang), file=sys.stderr)
        return 0
    print(say("class.header", lang))
    for learner in learners:
        print(f"{learner.name}\t{learner.added_at}\t{learner.last_join or say('class.never', lang)}")
    print(say("class.count", lang, count=len(learners)), file=sys.stderr)
    return 0


def run_remove(class_dir: str, name: str, lang: str, db: str | None = None) -> int:
    classroom = _open(class_dir, lang, db=db)
    if classroom is None:
        return 2
    with classroom:
        if not classroom.roster.remove(name):
            print(say("class.unknown", lang, name=shown(name)), file=sys.stderr)
            return 1
        kept = classroom.store_shown if classroom.store_url else classroom.learner_folder(name)
        print(say("class.removed", lang, name=shown(name), folder=kept), file=sys.stderr)
    return 0


def run_serve(class_dir: str, options: dict, lang: str, db: str | None = None) -> int:
    missing = [module for module in ("aiohttp", "textual_serve") if not _importable(module)]
    if missing:
        print(say("serve.no_extra", lang, missing=", ".join(missing)), file=sys.stderr)
        return 2
    classroom = _open(class_dir, lang, db=db)
    if classroom is None:
        return 2
    from .server import Limits, ServeError, serve

    options = options | {"limits": Limits(**options["limits"])}
    if options.get("lessons_dir"):  # the apps get it in their environment: make it absolute
        options["lessons_dir"] = str(Path(options["lessons_dir"]).absolute())
    record(classroom.folder, "lessons", options.get("lessons_dir"))  # tutor report reads the same lessons
    with classroom:
        try:
            serve(classroom, lang=lang, **options)
        except ServeError as error:
            print(str(error), file=sys.stderr)
            return 2
    return 0


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None
