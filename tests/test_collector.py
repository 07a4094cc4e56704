"""The app's garbage collection policy (tutor/app/collector.py): full collections only on a quiet tick,
garbage in the oldest generation freed by them, and the process's own settings back when the app ends."""

import gc
import weakref

import pytest

from tutor.app.collector import BUILDING, NEVER, YOUNG, IdleCollector, collections
from tutor.app.main import TutorApp


class Node:
    pass


def old_garbage() -> weakref.ref:
    """A reference cycle that lived long enough to reach the oldest generation, then was dropped:
    only a full collection frees it."""
    a, b = Node(), Node()
    a.other, b.other = b, a
    gc.collect(1)
    gc.collect(1)  # survived two collections of the middle generation: now in the oldest
    return weakref.ref(a)


@pytest.fixture
def collector():
    before = gc.get_threshold()
    collector = IdleCollector()
    collector.start()
    yield collector
    collector.stop()
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0


def test_the_full_collection_is_left_to_the_collector(collector):
    assert gc.get_threshold() == (*YOUNG, NEVER)
    garbage = old_garbage()
    middle = collections(1)
    for _ in range(15 * YOUNG[0] * YOUNG[1]):  # cycles dropped: collected young, as a step's widgets are
        cycle = []
        cycle.append(cycle)
    assert collections(1) - middle > 10  # Python's own settings would have collected everything by now
    assert garbage() is not None  # no automatic full collection freed it


def test_a_busy_tick_waits_and_a_quiet_one_collects(collector):
    garbage = old_garbage()
    gc.collect(0)  # something was built since the last tick
    assert collector.tick() is False and garbage() is not None
    assert collector.tick() is True and garbage() is None  # nothing since: the learner is reading
    assert collector.tick() is False  # nothing moved to the oldest generation since: nothing to do


def test_a_tick_is_busy_while_things_are_made_before_any_young_collection(collector):
    garbage = old_garbage()
    assert collector.tick() is False  # the middle generation was collected since the last look
    kept = [[] for _ in range(2 * BUILDING)]  # a step being built: fewer objects than a young collection waits for
    assert gc.get_count()[0] < YOUNG[0] and kept
    assert collector.tick() is False and garbage() is not None  # not in the middle of it
    assert collector.tick() is True and garbage() is None


@pytest.mark.anyio
async def test_the_app_takes_the_collector_over_once_lessons_load_and_gives_it_back(tmp_path, wait_for):
    before = gc.get_threshold()
    app = TutorApp(resume=False)
    async with app.run_test(size=(100, 40)) as pilot:
        await wait_for(pilot, lambda: app.lessons_loaded)
        assert gc.get_threshold() == (*YOUNG, NEVER) and gc.get_freeze_count() > 0
    assert gc.get_threshold() == before and gc.get_freeze_count() == 0
