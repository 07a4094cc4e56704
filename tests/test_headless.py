"""The core never imports Textual (and the engine never imports YAML): each module is imported in a
fresh process and ``sys.modules`` inspected. Add a module here as soon as it exists."""

import importlib.util
import subprocess
import sys

import pytest

CORE_MODULES = ["tutor.engine", "tutor.lessons", "tutor.lessons.charts", "tutor.grading", "tutor.render",
                "tutor.render.budget", "tutor.render.bars", "tutor.progress", "tutor.environment",
                "tutor.render.derivation", "tutor.quiz.command", "tutor.messages", "tutor.serve.classroom",
                "tutor.serve.commands", "tutor.progress.sqlite", "tutor.progress.outbox", "tutor.progress.postgres",
                "tutor.progress.reading", "tutor.render.mistake_names", "tutor.classreport.command",
                "tutor.classreport.figures", "tutor.classreport.output"]
# `tutor class` (the roster) pays for neither Textual nor the web server; only `tutor serve` loads them.
# psycopg is for a postgresql:// URL only: the store's interface and the SQLite backend never load it.
# PyYAML only when a front matter is read anew (tutor/lessons/front_cache.py).
FORBIDDEN = {"tutor.engine": ["textual", "plotext", "yaml"], "tutor.lessons": ["textual", "plotext", "yaml"],
             "tutor.serve.classroom": ["textual", "aiohttp", "psycopg"],
             "tutor.serve.commands": ["textual", "aiohttp", "psycopg"], "tutor.progress": ["textual", "psycopg"],
             "tutor.progress.sqlite": ["textual", "psycopg"], "tutor.progress.outbox": ["textual", "psycopg"],
             # `tutor report` over a class folder: neither Textual (only --live) nor psycopg (only a URL)
             "tutor.classreport.command": ["textual", "aiohttp", "psycopg"],
             "tutor.progress.reading": ["textual", "aiohttp", "psycopg"]}


def _exists(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


@pytest.mark.parametrize("module", CORE_MODULES)
def test_core_module_imports_no_ui(module):
    if not _exists(module):
        pytest.skip(f"{module} does not exist yet")
    forbidden = FORBIDDEN.get(module, ["textual", "plotext"])  # plotext: the app's charts only
    probe = (f"import sys, {module}\n"
             f"print(' '.join(m for m in {forbidden!r} if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [], f"{module} imports {result.stdout.strip()}"


def test_grading_an_answer_imports_neither_difflib_nor_hashlib_nor_click_nor_dataclasses_nor_shutil():
    """difflib (did-you-mean messages) and hashlib (the content hash progress keeps) cost `tutor grade`
    about 5 ms of its start (issue 12's cli_grade), click ~7 ms and the 21 dataclasses it built ~20 ms (issue
    23), shutil (argparse's help width) with its compression modules ~3 ms; grading a right and a wrong
    answer needs none of them."""
    from tutor.lessons import bundled_lessons_dir

    # found here: importlib.resources, which finds the course, imports tempfile and shutil itself
    lesson = str(next(bundled_lessons_dir().glob("*apple-backward.md")))
    probe = ("import sys\n"
             "from tutor.cli import main\n"
             f"lesson = {lesson!r}\n"
             "codes = []\n"
             "for answer in ('2.2', '3'):\n"
             "    try: main(['grade', lesson, 'd-apple-price', answer])\n"
             "    except SystemExit as exit: codes.append(exit.code)\n"
             "print(codes, [m for m in ('difflib', 'hashlib', 'click', 'dataclasses', 'shutil') if m in sys.modules])")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    last = result.stdout.strip().splitlines()[-1]  # after the verdicts the command printed
    assert last.split("]", 1)[0] == "[0, 1", result.stdout
    assert last.endswith("[]"), f"tutor grade imports {last}"
