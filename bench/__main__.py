"""``python -m bench [--quick] [--json PATH] [--only NAME ...]``: run every figure, print a table.

Figures live in the other modules of this package (see bench/README.md); each registers itself
with ``@figure``. A figure that fails is reported as failed and the others still run.
"""

import os

# One BLAS thread, set before numpy loads: on 2 shared cores a multi-threaded BLAS waits for a busy
# core and one 0.1 ms matmul can take 30 ms. Subject and peer use the same BLAS, so ratios stay fair.
for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(variable, "1")

import argparse  # noqa: E402 (after the thread settings above)
import importlib  # noqa: E402
import json  # noqa: E402
import pkgutil  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
from pathlib import Path  # noqa: E402

from . import harness  # noqa: E402
from .harness import FIGURES, Result  # noqa: E402

NOT_FIGURES = {"__main__", "harness", "synthetic_class"}  # synthetic_class: report_500's (and tests') learners


def load_figures() -> None:
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        if module.name not in NOT_FIGURES and not module.name.startswith("_"):
            importlib.import_module(f"{__package__}.{module.name}")


def _number(x: float | None) -> str:
    if x is None:
        return "—"
    if x == 0 or 0.01 <= abs(x) < 100_000:
        return f"{x:,.4g}" if abs(x) < 1000 else f"{x:,.0f}"  # 4 digits: 1.304 against a target of 1.3
    return f"{x:.3g}"


def table(results: list[Result]) -> str:
    rows = [("figure", "value", "unit", "peer", "ratio", "target", "")]
    for r in results:
        verdict = {True: "met", False: "MISSED", None: ""}[r.met]
        rows.append((r.name, _number(r.value), r.unit, _number(r.peer), _number(r.ratio), r.target, verdict))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  {r.name}: {r.note}" for r in results if r.note]
    return "\n".join(lines + (["", "notes:"] + notes if notes else []))


def run(names: list[str], quick: bool) -> list[Result]:
    results = []
    for name in names:
        started = time.perf_counter()
        print(f"… {name}", file=sys.stderr, flush=True)
        try:
            outcome = FIGURES[name](quick)
        except Exception as error:  # one broken figure must not hide the others
            traceback.print_exc()
            outcome = harness.skipped(name, "", f"failed: {type(error).__name__}: {error}")
        results.extend(outcome if isinstance(outcome, list) else [outcome])
        print(f"  {name} took {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer rounds and smaller samples (under a minute)")
    parser.add_argument("--json", metavar="PATH", type=Path, help="also write the figures as JSON to PATH")
    parser.add_argument("--only", metavar="NAME", action="append", help="run only this figure (repeatable)")
    args = parser.parse_args(argv)

    load_figures()
    unknown = [n for n in args.only or [] if n not in FIGURES]
    if unknown:
        parser.error(f"unknown figure {', '.join(unknown)}; the figures are {', '.join(FIGURES)}")
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as cache:
        os.environ["TUTOR_CACHE_DIR"] = cache  # front matter the figures read, kept out of the user's cache
        results = run(args.only or list(FIGURES), args.quick)
    print(table(results))
    if args.json:
        args.json.write_text(json.dumps({r.name: r.as_json() for r in results}, indent=2, ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
