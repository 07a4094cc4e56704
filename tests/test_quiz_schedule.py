"""The Leitner schedule and the choice of questions, with a fixed clock."""

import random
from datetime import datetime, timedelta, timezone
from types import SimpleNamespace

import pytest

from tutor.quiz.schedule import (INTERVAL_DAYS, LAST_BOX, REVEALED, RIGHT, WRONG, Review, is_due,
                                 next_due, review_after)
from tutor.quiz.selection import choose_questions

NOW = datetime(2024, 3, 1, 9, 0, tzinfo=timezone.utc)
DAY = timedelta(days=1)


def test_right_answers_climb_the_boxes_with_growing_intervals():
    review, now, gaps = None, NOW, []
    for _ in range(LAST_BOX + 2):
        review = review_after(review, RIGHT, now)
        gaps.append(review.due - now)
        now = review.due
    assert review.box == LAST_BOX
    assert gaps == sorted(gaps) and gaps[0] < gaps[-1]
    assert gaps[-1] == timedelta(days=INTERVAL_DAYS[-1])  # the last box keeps its interval


def test_a_wrong_answer_goes_back_to_box_one_and_is_due_at_once():
    review = Review(box=4, due=NOW - DAY)
    after = review_after(review, WRONG, NOW)
    assert (after.box, after.due) == (1, NOW)
    assert is_due(after, NOW)


def test_a_revealed_answer_keeps_its_box_and_comes_back_next_time():
    review = Review(box=3, due=NOW - DAY)
    after = review_after(review, REVEALED, NOW)
    assert after.box == 3 and is_due(after, NOW)
    assert review_after(None, REVEALED, NOW).box == 1  # a new problem, revealed, starts in box 1


def test_a_first_right_answer_is_not_due_until_tomorrow():
    after = review_after(None, RIGHT, NOW)
    assert after.box == 2
    assert not is_due(after, NOW + DAY / 2) and is_due(after, NOW + DAY)
    assert next_due([after, None], NOW) == NOW + DAY


def test_an_unknown_outcome_is_refused():
    with pytest.raises(ValueError, match="unknown outcome"):
        review_after(None, "maybe", NOW)


def _lesson(lesson_id, *types):
    problems = [SimpleNamespace(id=f"p{i}", type=kind) for i, kind in enumerate(types)]
    return SimpleNamespace(id=lesson_id, problems=problems)


def test_wrong_answers_come_back_before_right_ones_and_due_before_not_due():
    lesson = _lesson("a", "number", "number", "number", "number")
    reviews = {
        ("a", "p0"): review_after(None, RIGHT, NOW - 3 * DAY),   # due again (box 2, one day)
        ("a", "p1"): review_after(None, WRONG, NOW - DAY),      # missed yesterday
        ("a", "p2"): review_after(None, RIGHT, NOW),            # right just now: not due
    }
    order = [q.problem.id for q in choose_questions([lesson], reviews, NOW, count=4, rng=random.Random(1))]
    assert order.index("p1") < order.index("p0")  # wrong before right
    assert order.index("p3") < order.index("p2")  # never asked (due) before not yet due
    assert order[-1] == "p2"


def test_problem_types_take_turns_and_count_limits_the_quiz():
    lesson = _lesson("a", "number", "number", "number", "choice", "vector", "expression")
    questions = choose_questions([lesson], {}, NOW, count=4, rng=random.Random(7))
    assert len(questions) == 4
    assert len({q.problem.type for q in questions}) == 4


def test_the_same_seed_chooses_the_same_questions_and_variants():
    lessons = [_lesson("a", "number", "choice", "vector"), _lesson("b", "number", "expression")]
    first = choose_questions(lessons, {}, NOW, count=5, rng=random.Random(42))
    again = choose_questions(lessons, {}, NOW, count=5, rng=random.Random(42))
    other = choose_questions(lessons, {}, NOW, count=5, rng=random.Random(43))
    assert [(q.key, q.seed) for q in first] == [(q.key, q.seed) for q in again]
    assert [q.seed for q in first] != [q.seed for q in other]
