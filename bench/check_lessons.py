"""`tutor check` over 200 lessons (issue 3: under 2 s on this machine, process start included).

The lessons are the bundled course copied until there are 200 (ids renamed, so the folder is valid).
The peer is PyYAML's C loader reading the same front matter and nothing else: the ratio says what
the safe reading, the schema, the engine and the 20 variants per lesson cost on top of parsing.
The command runs with its bytecode cached, as an installed package runs (see cli_grade.py), but with no
front matter cache (tutor/lessons/front_cache.py): the figure is a first reading of every lesson. A
second check of the same folder finds each unchanged front matter there and skips PyYAML.
"""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from unittest import mock

import yaml

from tutor.lessons import bundled_lessons_dir
from tutor.authoring.strict import check

from .cli_grade import installed_env
from .harness import Result, compare, figure, skipped

COUNT = 200


def make_course(folder: Path) -> list[Path]:
    sources = sorted(bundled_lessons_dir().glob("*.md"))
    paths = []
    for k in range(COUNT):
        source = sources[k % len(sources)]
        text = source.read_text(encoding="utf-8")
        text = re.sub(r"^id: (\S+)", rf"id: \g<1>-{k}", text, count=1, flags=re.M)
        text = re.sub(r"^requires:.*\n", "", text, count=1, flags=re.M)
        paths.append(folder / f"{k:03d}-{source.name}")
        paths[-1].write_text(text, encoding="utf-8")
    return paths


def _yaml_only(paths: list[Path]) -> None:
    for path in paths:
        yaml.load(path.read_text(encoding="utf-8").split("\n---\n")[0][4:], Loader=yaml.CSafeLoader)


def _cli(folder: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", "from tutor.cli import main; main()", "check", str(folder)],
                          capture_output=True, text=True, env=env)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"the generated course does not pass check: {done.stdout[-500:]}")
    return elapsed


@figure
def check_200_lessons(quick: bool) -> list[Result]:
    if not list(bundled_lessons_dir().glob("*.md")):
        return [skipped("check_200_lessons", "s", "the bundled course is empty", "< 2")]
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        paths = make_course(folder)
        with mock.patch.dict(os.environ, TUTOR_CACHE_DIR=""):  # empty: no front matter cache
            inside, peer = compare(lambda: check([str(folder)]), lambda: _yaml_only(paths),
                                   repeat=3 if quick else 5, min_round=0)
        with tempfile.TemporaryDirectory() as cache:
            env = {**installed_env(cache), "TUTOR_CACHE_DIR": ""}
            _cli(folder, env)  # writes the bytecode
            command = statistics.median(_cli(folder, env) for _ in range(3 if quick else 5))
    return [
        Result("check_200_lessons", command, "s", peer, None, "< 2",
               "`tutor check DIR` in a new process (imports included); peer: yaml.load of the front matter only"),
        Result("check_200_lessons_vs_yaml_load", inside, "s", peer, inside / peer, "",
               "in-process check (safe reader, schema, graphs, answers at the file's values and 20 variants)"),
    ]
