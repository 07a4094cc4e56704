"""Which problems a quiz asks, in what order, and with which numbers.

Due problems come first, the ones missed last time before the ones answered right; among equals the
problem types take turns, so a quiz is not ten numbers in a row. Every question gets its own variant
seed, drawn from one random generator: the same quiz seed and the same progress give the same quiz.
"""

import random
from dataclasses import dataclass
from datetime import datetime
from itertools import groupby

from .schedule import Review, priority

DEFAULT_COUNT = 10
SEED_LIMIT = 2**31  # variant seeds stay small enough to read aloud and type back


@dataclass(frozen=True)
class Question:
    lesson: object  # tutor.lessons.Lesson
    problem: object  # tutor.lessons.Problem
    seed: int  # the variant of the lesson's graph this question uses

    @property
    def key(self) -> tuple[str, str]:
        return (self.lesson.id, self.problem.id)


def _alternate_types(problems: list) -> list:
    """Reorder (lesson, problem) pairs so the problem types take turns, each type keeping its order."""
    by_type: dict[str, list] = {}
    for pair in problems:
        by_type.setdefault(pair[1].type, []).append(pair)
    queues = list(by_type.values())
    mixed = []
    while queues:
        for queue in queues:
            mixed.append(queue.pop(0))
        queues = [queue for queue in queues if queue]
    return mixed


def choose_questions(lessons, reviews: dict[tuple[str, str], Review], now: datetime,
                     count: int = DEFAULT_COUNT, rng: random.Random | None = None) -> list[Question]:
    """Up to ``count`` questions from ``lessons``, ordered by the schedule in ``reviews``."""
    rng = rng or random.Random()
    candidates = [(lesson, problem) for lesson in lessons for problem in lesson.problems]
    rng.shuffle(candidates)  # equals come in a random order; the sort below is stable

    def tier(pair):
        return priority(reviews.get((pair[0].id, pair[1].id)), now)[:2]

    def overdue(pair):
        return priority(reviews.get((pair[0].id, pair[1].id)), now)[2]

    candidates.sort(key=lambda pair: (tier(pair), overdue(pair)))
    ordered = [pair for _, group in groupby(candidates, key=tier) for pair in _alternate_types(list(group))]
    return [Question(lesson, problem, rng.randrange(SEED_LIMIT)) for lesson, problem in ordered[:count]]
