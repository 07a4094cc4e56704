"""The Leitner schedule of quiz mode: five boxes, each reviewed less often than the one before.

A right answer moves a problem up one box, a wrong one sends it back to box 1, and a revealed one
(the learner asked for the answer or skipped) stays where it is but comes back at the next quiz.
Pure functions: the caller passes the clock (``now``), so tests fix it.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

# Days until a problem in box 1..5 is due again. Box 1 is due at once: it was just missed.
INTERVAL_DAYS = (0, 1, 3, 7, 14)
FIRST_BOX = 1
LAST_BOX = len(INTERVAL_DAYS)

RIGHT, WRONG, REVEALED = "right", "wrong", "revealed"
OUTCOMES = (RIGHT, WRONG, REVEALED)


@dataclass(frozen=True)
class Review:
    """Where one problem stands: its box, when it is due, and how the learner last answered it."""

    box: int
    due: datetime
    last: str | None = None  # one of OUTCOMES; None for a problem never asked


def interval(box: int) -> timedelta:
    return timedelta(days=INTERVAL_DAYS[min(max(box, FIRST_BOX), LAST_BOX) - 1])


def review_after(previous: Review | None, outcome: str, now: datetime) -> Review:
    """The new state of a problem answered at ``now`` with ``outcome``."""
    if outcome not in OUTCOMES:
        raise ValueError(f"unknown outcome {outcome!r}; expected one of {', '.join(OUTCOMES)}")
    box = previous.box if previous else FIRST_BOX
    if outcome == RIGHT:
        box = min(box + 1, LAST_BOX)
        return Review(box, now + interval(box), RIGHT)
    if outcome == WRONG:
        return Review(FIRST_BOX, now + interval(FIRST_BOX), WRONG)
    return Review(box, now, REVEALED)


def is_due(review: Review | None, now: datetime) -> bool:
    return review is None or review.due <= now


# Among problems equally due, the ones missed last time come first, then the new and the revealed
# ones, and the ones answered right last.
_LAST_RANK = {WRONG: 0, None: 1, REVEALED: 1, RIGHT: 2}


def priority(review: Review | None, now: datetime) -> tuple:
    """A sort key: due problems before the rest, wrong before right, then the longest overdue first."""
    if review is None:
        return (0, _LAST_RANK[None], 0.0)
    return (0 if is_due(review, now) else 1, _LAST_RANK[review.last], (review.due - now).total_seconds())


def next_due(reviews, now: datetime) -> datetime | None:
    """When the earliest of ``reviews`` not yet due comes due; None when there is none."""
    later = [review.due for review in reviews if review is not None and review.due > now]
    return min(later, default=None)
