"""The Leitner schedule of quiz mode: five boxes, each reviewed less often than the one before.

A right answer moves a problem up one box, a wrong one sends it back to box 1, and a revealed one
(the learner skipped it and saw the answer) stays in its box but comes back at the next quiz.
Pure functions: the caller passes the clock (``now``), so tests fix it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

# Days until a problem in box 1..5 is due again. Box 1 is due at once: it was just missed.
INTERVAL_DAYS = (0, 1, 3, 7, 14)
NEW = 0  # the box of a problem never asked in a quiz
FIRST_BOX = 1
LAST_BOX = len(INTERVAL_DAYS)

RIGHT, WRONG, REVEALED = "right", "wrong", "revealed"
OUTCOMES = (RIGHT, WRONG, REVEALED)

# The order boxes are asked in, among problems equally due: the missed ones (box 1) first, then
# the new ones, then the ones known better and better.
_BOX_ORDER = (1, 0, 2, 3, 4, 5)


@dataclass(frozen=True)
class Review:
    """Where one problem stands: its box, and when it is due (None: now)."""

    box: int = NEW
    due: datetime | None = None


def interval(box: int) -> timedelta:
    return timedelta(days=INTERVAL_DAYS[min(max(box, FIRST_BOX), LAST_BOX) - 1])


def review_after(previous: Review | None, outcome: str, now: datetime) -> Review:
    """The new state of a problem answered at ``now`` with ``outcome``."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; expected one of {', '.join(OUTCOMES)}")
    box = max(previous.box if previous else NEW, FIRST_BOX)
    if outcome == RIGHT:
        box = min(box + 1, LAST_BOX)
        return Review(box, now + interval(box))
    if outcome == WRONG:
        return Review(FIRST_BOX, now + interval(FIRST_BOX))
    return Review(box, now)


def is_due(review: Review | None, now: datetime) -> bool:
    return review is None or review.due is None or review.due <= now


def priority(review: Review | None, now: datetime) -> tuple:
    """A sort key: due problems before the rest; among those, missed before new before known;
    then the longest overdue first."""
    review = review or Review()
    overdue = 0.0 if review.due is None else (review.due - now).total_seconds()
    return (0 if is_due(review, now) else 1, _BOX_ORDER[min(review.box, LAST_BOX)], overdue)


def next_due(reviews, now: datetime) -> datetime | None:
    """When the earliest of ``reviews`` not yet due comes due; None when there is none."""
    later = [review.due for review in reviews if review is not None and not is_due(review, now)]
    return min(later, default=None)
