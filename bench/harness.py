"""What every figure shares: the result it reports, the registry, and timing that tolerates a noisy machine.

Each figure is a ratio against a peer measured in the same run (absolute times only give context).
Timing uses ``time.perf_counter``, the median of several rounds, the garbage collector off while a
round runs, and subject and peer measured in alternation so that a slow moment hits both alike.
"""

import gc
import statistics
import time
from dataclasses import dataclass
from typing import Callable


@dataclass
class Result:
    name: str
    value: float | None  # None when the figure was skipped
    unit: str
    peer: float | None  # the same quantity for the peer, measured in the same run
    ratio: float | None
    target: str = ""  # from issues 12 and 23, e.g. "≥ 10000" (compared with ratio, or value when ratio is None)
    note: str = ""  # how it was measured, or why it was skipped

    def as_json(self) -> dict:
        fields = {"value": self.value, "unit": self.unit, "peer": self.peer, "ratio": self.ratio}
        return fields | ({"target": self.target} if self.target else {}) | ({"note": self.note} if self.note else {})

    @property
    def met(self) -> bool | None:
        """Whether the target is met; None when there is no target or no number."""
        measured = self.ratio if self.ratio is not None else self.value
        if not self.target or measured is None:
            return None
        sign, bound = self.target.split()
        bound = float(bound.replace(",", ""))
        return {"≥": measured >= bound, "≤": measured <= bound, "<": measured < bound}[sign]


def skipped(name: str, unit: str, why: str, target: str = "") -> Result:
    return Result(name, None, unit, None, None, target, f"skipped: {why}")


# A figure function takes ``quick`` (finish fast, less precise) and returns one Result or a list.
Figure = Callable[[bool], "Result | list[Result]"]
FIGURES: dict[str, Figure] = {}


def figure(function: Figure) -> Figure:
    """Register a figure under its function's name; ``python -m bench`` runs them in module order."""
    FIGURES[function.__name__] = function
    return function


def _calls_per_round(function: Callable[[], object], min_round: float) -> int:
    """How many calls make a round of at least ``min_round`` seconds (so the clock's grain is small)."""
    number = 1
    while True:
        start = time.perf_counter()
        for _ in range(number):
            function()
        if time.perf_counter() - start >= min_round or number >= 1 << 20:
            return number
        number *= 2


@dataclass
class Timings:
    rounds: list[list[float]]  # per function, per round: seconds per call

    def __iter__(self):
        """The medians, so that ``subject, peer = compare(subject, peer)`` reads naturally."""
        return iter([self.median(i) for i in range(len(self.rounds))])

    def median(self, i: int = 0) -> float:
        return statistics.median(self.rounds[i])

    def ratio(self, i: int, j: int) -> float:
        """Median over rounds of function i's time / function j's time in the same round: a slow
        moment of the machine hits both halves of a pair, so it cancels."""
        return statistics.median(a / b for a, b in zip(self.rounds[i], self.rounds[j]))


def compare(*functions: Callable[[], object], repeat: int = 7, min_round: float = 0.02) -> Timings:
    """Time each function in alternating rounds (a subject and its peer, or one function alone)."""
    counts = [_calls_per_round(f, min_round) for f in functions]
    rounds: list[list[float]] = [[] for _ in functions]
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(repeat):
            for function, number, times in zip(functions, counts, rounds):
                # The collector is off while a round runs, so the garbage of the last round goes first:
                # micrograd leaves ~100,000 objects a step, and a round that starts among them ran 1.5-3x
                # slower than one that starts clean (quick and full runs disagreed by 2x).
                gc.collect()
                start = time.perf_counter()
                for _ in range(number):
                    function()
                times.append((time.perf_counter() - start) / number)
    finally:
        if was_enabled:
            gc.enable()
    return Timings(rounds)
