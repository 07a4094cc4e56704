"""`tutor class add/list/remove/links` and `tutor serve`. Each returns an exit code; the click
wrappers in tutor/cli.py only pass the options through.

Links go to stdout, one ``NAME<TAB>LINK`` line per learner (``> links.tsv`` keeps them); everything
said about them goes to stderr.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit

import click

from .classroom import ClassError, Classroom, NoClass
from .messages import say
from .roster import BadName, check_name, shown


def _open(class_dir: str, lang: str, create: bool = False, db: str | None = None) -> Classroom | None:
    try:
        return Classroom.open(class_dir, create=create, db=db)
    except ClassError as error:
        click.echo(say(error.key, lang, **error.values), err=True)
    except NoClass:
        click.echo(say("class.missing", lang, folder=class_dir), err=True)
    except (FileExistsError, NotADirectoryError):
        click.echo(say("class.not_folder", lang, folder=class_dir), err=True)
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
            click.echo(say("class.bad_url", lang, url=url), err=True)
            classroom.close()
            return None
        classroom.roster.set_setting("url", url.rstrip("/"))
    elif classroom.roster.setting("url") is None:
        click.echo(say("class.default_url", lang, url=classroom.url), err=True)
    return classroom


def _print_links(classroom: Classroom, tokens: dict[str, str]) -> None:
    for name, token in tokens.items():
        click.echo(f"{name}\t{classroom.join_link(token)}")


def _bad_name(error: BadName, lang: str) -> int:
    reason = say(error.key, lang, **error.values)
    click.echo(say("name.bad", lang, name=shown(error.name), reason=reason), err=True)
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
        click.echo(say("class.added", lang, count=len(tokens)), err=True)
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
            click.echo(say("class.unknown", lang, name=shown(error.args[0])), err=True)
            return 1
        if not tokens:
            click.echo(say("class.empty", lang), err=True)
            return 0
        click.echo(say("class.reissued", lang, count=len(tokens)), err=True)
        _print_links(classroom, tokens)
    return 0


def run_list(class_dir: str, lang: str, db: str | None = None) -> int:
    classroom = _open(class_dir, lang, db=db)
    if classroom is None:
        return 2
    with classroom:
        learners = classroom.roster.learners()
    if not learners:
        click.echo(say("class.empty", lang), err=True)
        return 0
    click.echo(say("class.header", lang))
    for learner in learners:
        click.echo(f"{learner.name}\t{learner.added_at}\t{learner.last_join or say('class.never', lang)}")
    click.echo(say("class.count", lang, count=len(learners)), err=True)
    return 0


def run_remove(class_dir: str, name: str, lang: str, db: str | None = None) -> int:
    classroom = _open(class_dir, lang, db=db)
    if classroom is None:
        return 2
    with classroom:
        if not classroom.roster.remove(name):
            click.echo(say("class.unknown", lang, name=shown(name)), err=True)
            return 1
        kept = classroom.store_shown if classroom.store_url else classroom.learner_folder(name)
        click.echo(say("class.removed", lang, name=shown(name), folder=kept), err=True)
    return 0


def run_serve(class_dir: str, options: dict, lang: str, db: str | None = None) -> int:
    missing = [module for module in ("aiohttp", "textual_serve") if not _importable(module)]
    if missing:
        click.echo(say("serve.no_extra", lang, missing=", ".join(missing)), err=True)
        return 2
    classroom = _open(class_dir, lang, db=db)
    if classroom is None:
        return 2
    from .server import Limits, ServeError, serve

    options = options | {"limits": Limits(**options["limits"])}
    if options.get("lessons_dir"):  # the apps get it in their environment: make it absolute
        options["lessons_dir"] = str(Path(options["lessons_dir"]).absolute())
    with classroom:
        try:
            serve(classroom, lang=lang, **options)
        except ServeError as error:
            click.echo(str(error), err=True)
            return 2
    return 0


def _importable(module: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(module) is not None
