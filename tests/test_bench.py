"""`python -m bench`: the table and the JSON it writes, with tiny figures (no timing is asserted)."""

import json

import pytest


@pytest.fixture
def bench_main(monkeypatch):
    """bench.__main__ with three tiny figures registered; its BLAS settings kept out of this process's environment."""
    for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.setenv(variable, "1")
    from bench import __main__ as bench_main
    from bench.harness import FIGURES, Result, compare, skipped

    def tiny(quick):
        mine, peer = compare(lambda: sum(range(10)), lambda: sum(range(100)), repeat=2, min_round=0.001)
        return Result("tiny", mine * 1e6, "µs per sum; ratio = mine / peer", peer * 1e6, mine / peer, target="≤ 1000")

    def missing(quick):
        return skipped("missing", "ms", "its optional peer is not installed")

    def broken(quick):
        raise RuntimeError("no such lesson")

    for function in (tiny, missing, broken):
        monkeypatch.setitem(FIGURES, function.__name__, function)  # as @figure would, undone after the test
    return bench_main


def test_json_has_the_documented_shape(bench_main, tmp_path, capsys):
    path = tmp_path / "out.json"
    assert bench_main.main(["--quick", "--only", "tiny", "--only", "missing", "--only", "broken", "--json", str(path)]) == 0
    figures = json.loads(path.read_text(encoding="utf-8"))
    assert list(figures) == ["tiny", "missing", "broken"]
    for fields in figures.values():
        assert {"value", "unit", "peer", "ratio"} <= set(fields)
    tiny = figures["tiny"]
    assert tiny["value"] > 0 and tiny["peer"] > 0 and tiny["ratio"] > 0 and tiny["target"] == "≤ 1000"
    assert figures["missing"]["value"] is None and figures["missing"]["note"].startswith("skipped:")
    assert figures["broken"]["note"] == "skipped: failed: RuntimeError: no such lesson"
    table = capsys.readouterr().out
    assert table.startswith("figure") and "tiny" in table and "met" in table and "broken" in table


def test_an_unknown_figure_is_refused_with_the_list_of_figures(bench_main, capsys):
    with pytest.raises(SystemExit) as exit:
        bench_main.main(["--only", "tinny"])
    assert exit.value.code == 2
    error = capsys.readouterr().err
    assert "unknown figure tinny" in error and "render_scaling" in error


def test_the_table_shows_a_ratio_just_over_its_target_as_over_it(bench_main):
    from bench.harness import Result

    row = bench_main.table([Result("startup", 184.4, "ms", 139.6, 1.3037, "≤ 1.3")]).splitlines()[2]
    assert "1.304" in row and row.endswith("MISSED")
