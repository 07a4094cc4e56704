"""Garbage collection while the learner reads, not while a step opens.

Opening a step makes and drops thousands of widgets, styles and strips that refer to each other, so
only the cycle collector frees them. Left to its defaults, a full collection came every few steps and
walked every object Textual's caches keep (~200,000 after a lesson or two): a 150-450 ms pause in the
middle of a step opening, which a learner sees as a stutter. So once the lessons are loaded, what
is alive is frozen out of the collector's walks, the young generations are collected as they fill,
and the full collection runs only when the app has been quiet for a whole tick (hardly anything made
and kept since the last one: nothing is being built), which is while the learner reads or types an
answer, most of the time.

The youngest generation is collected after 50,000 objects, not Python's 700: a step's opening makes
~10,000-30,000, and collected every 2,000 it paid ~15 young collections of ~0.7 ms each, each walking
the half-built step (paired openings, the same step at 2,000 and 50,000 in alternation: 0.90).
"""

import gc

TICK = 1.0  # seconds between looks
YOUNG = (50_000, 10)  # thresholds of the young generations
BUILDING = 1000  # objects made and kept within a tick that say something is being built (a cursor's blink: ~100)
NEVER = 1_000_000_000  # the full collection's threshold: only IdleCollector.tick runs it


def collections(generation: int) -> int:
    return gc.get_stats()[generation]["collections"]


def young() -> tuple[int, int]:
    """The collections of the young generations so far (every tenth is counted as the middle one's), and
    the objects made and kept since the last."""
    return collections(0) + collections(1), gc.get_count()[0]


class IdleCollector:
    def __init__(self):
        self.thresholds = None  # the collector's own settings, kept by start() for stop()
        self.last_tick = young()  # the youngest generation at the last look
        self.at_full = collections(1)  # and the middle generation's at the last full collection

    def start(self) -> None:
        """Freeze what is alive now (modules, the lessons) and take the full collection over."""
        gc.collect()
        gc.freeze()
        self.thresholds = gc.get_threshold()
        gc.set_threshold(*YOUNG, NEVER)

    def stop(self) -> None:
        """The collector's own settings again (an app run in a longer process, as in tests)."""
        if self.thresholds is not None:
            gc.set_threshold(*self.thresholds)
            gc.unfreeze()
            self.thresholds = None

    def tick(self) -> bool:
        """A full collection if the app was quiet since the last tick and something may have moved
        to the oldest generation since the last full one; whether it ran."""
        collected, made = young()
        busy = collected != self.last_tick[0] or made > self.last_tick[1] + BUILDING
        self.last_tick = collected, made
        if busy or collections(1) == self.at_full:
            return False
        gc.collect()
        self.at_full, self.last_tick = collections(1), young()
        return True
