"""The budget of a lesson, attacked (issue 22; SECURITY.md, "The budget of a lesson").

Lessons are generated at each limit and just past it (``bench/hostile_lessons.py`` finds each size by
asking the program itself). Past a limit, `tutor check` refuses the lesson naming that limit. At a limit,
the lesson passes `tutor check` and every command, and the app opening every step, answer in a child
process under CPU and memory limits (``limited.py``): a limit set too loose fails here instead of
stalling the machine. What the commands cost is printed (``pytest -s``) and kept in ``hostile_open``'s
bench figure, not asserted.
"""

import json
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bench.hostile_lessons import KINDS
from limited import run_limited
from tutor.authoring.strict import check

SIZES = {kind: spec.at() for kind, spec in KINDS.items()}  # each found once


@settings(max_examples=40, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(kind=st.sampled_from(sorted(KINDS)), past=st.integers(0, 3))
def test_at_a_limit_check_passes_and_just_past_it_check_refuses_naming_the_limit(tmp_path_factory, kind, past):
    path = tmp_path_factory.mktemp(kind) / f"{kind}.md"
    path.write_text(KINDS[kind].build(SIZES[kind] + past), encoding="utf-8")
    lines, valid = check([str(path)])
    if past == 0:
        assert valid, lines
    else:
        assert not valid and f"(limit: {KINDS[kind].limit_name})" in lines[0], lines
        assert lines[0].startswith(f"{path}:") and lines[0].split(":")[1].isdigit()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_at_a_limit_every_command_and_the_app_answer_within_the_budget(tmp_path, kind):
    (tmp_path / f"{kind}.md").write_text(KINDS[kind].build(SIZES[kind]), encoding="utf-8")
    finished = run_limited([sys.executable, "-m", "bench._every_command", str(tmp_path)], cpu_seconds=30,
                           env={"TUTOR_DATA_DIR": str(tmp_path / "data"), "TUTOR_LANG": "en"})
    assert finished.returncode == 0, finished
    results = json.loads(finished.stdout.splitlines()[-1])
    print(f"\n{kind} at {SIZES[kind]}: {finished.cpu_seconds:.2f} s CPU, {finished.max_rss_mb:.0f} MB peak; "
          + ", ".join(f"{r['command']} {r['seconds']:.2f} s" for r in results))
    for result in results:
        assert not result["crashed"] and "Traceback" not in result["output"], result
    exits = {r["command"]: r["exit"] for r in results}
    assert exits["check"] == 0 and exits["answers"] == 0 and exits["show"] == 0 and exits["quiz"] == 0, results
    assert exits["grade"] in (0, 1), results  # right or wrong, never unreadable or broken
