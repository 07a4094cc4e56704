"""One quiz, headless: the questions, the learner's answers, what is saved, and the summary.

The line mode (``tutor.quiz.plain``) and the quiz screen of the app both drive this class. Each
question is one try: right or wrong, the quiz moves on, and the schedule hears how it went.
"""

import random
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone

import msgspec

from tutor.grading import grade, hints, solution
from tutor.lessons.instance import working_instance
from tutor.lessons.model import PICKED

from .messages import say
from .schedule import FIRST_BOX, RIGHT, REVEALED, WRONG, Review, is_due, next_due, review_after
from .selection import DEFAULT_COUNT, Question, choose_questions


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


class QuizError(ValueError):
    """A quiz that cannot be put together (an unknown lesson id): a message for the learner."""


def load_reviews(store, pack: str, lessons) -> dict[tuple[str, str], Review]:
    """The schedule's view of the store. A problem never quizzed but missed in its lesson (not right
    on the first try) is treated like one missed in a quiz: it comes first."""
    reviews = {}
    for lesson in lessons:
        for pid, state in store.problem_states(pack, lesson.id).items():
            if state.box:
                reviews[(lesson.id, pid)] = Review(state.box, datetime.fromisoformat(state.due) if state.due else None)
            elif state.attempts and not state.solved_first_try:
                reviews[(lesson.id, pid)] = Review(FIRST_BOX)
    return reviews


def plan_quiz(lessons, store, pack: str, lesson_ids=(), everything: bool = False, count: int = DEFAULT_COUNT,
              seed: int | None = None, now: datetime | None = None) -> tuple[list[Question], bool]:
    """The questions of a quiz, and whether it fell back to every lesson because none was started.

    From ``lesson_ids`` when given, from all ``lessons`` with ``everything``, else from the lessons
    the learner has started. The same ``seed`` and the same progress give the same questions."""
    by_id = {lesson.id: lesson for lesson in lessons}
    fell_back = False
    if lesson_ids:
        unknown = [i for i in lesson_ids if i not in by_id]
        if unknown:
            raise QuizError(unknown[0])
        chosen = [by_id[i] for i in dict.fromkeys(lesson_ids)]
    elif everything:
        chosen = list(lessons)
    else:
        # A lesson with a review scheduled is started too: its only question so far may have been skipped.
        started = {s.lesson for s in store.lesson_summary(pack) if s.attempted} | {r.lesson for r in store.reviews(pack)}
        chosen = [lesson for lesson in lessons if lesson.id in started]
        fell_back = not chosen
        chosen = chosen or list(lessons)
    now = now or utc_now()
    rng = random.Random(seed)
    return choose_questions(chosen, load_reviews(store, pack, chosen), now, count, rng), fell_back


@dataclass(frozen=True)
class Result:
    question: Question
    instance: object  # the lesson instance it was asked with
    outcome: str  # RIGHT, WRONG or REVEALED
    mistake: str | None = None
    answer: str = ""  # as typed (nothing when skipped)


@dataclass(frozen=True)
class Summary:
    total: int  # questions planned
    asked: int  # answered or skipped
    right: int
    mistakes: list[tuple[str | None, int]]  # (mistake id, or None for an unnamed one; or REVEALED), most first
    made_at: dict  # a missed kind -> a problem it was made at, which may name it itself (tutor.render.mistake_names)
    revisit: list  # lessons with a missed or skipped question, in quiz order
    due_now: bool  # some scheduled question is due again already
    next_due: datetime | None  # otherwise the earliest scheduled review


class QuizSession:
    """``store`` is a ``tutor.progress.Store`` (None: nothing saved); ``clock`` returns an aware datetime."""

    def __init__(self, questions: list[Question], store=None, pack: str = "course", lang: str = "ko",
                 clock=utc_now):
        self.questions = list(questions)
        self.store = store
        self.pack = pack
        self.lang = lang
        self.clock = clock
        self.results: list[Result] = []
        self.hints_shown = 0
        self.reviews = load_reviews(store, pack, {q.lesson.id: q.lesson for q in questions}.values()) if store else {}
        self._instance = None
        self._started = time.monotonic()

    # ---- where the quiz is ----------------------------------------------------------------------

    @property
    def current(self) -> Question | None:
        return self.questions[len(self.results)] if len(self.results) < len(self.questions) else None

    @property
    def number(self) -> int:
        """The current question's number, from 1."""
        return len(self.results) + 1

    @property
    def finished(self) -> bool:
        return self.current is None

    def instance(self):
        """The current question's lesson instance, with its variant's numbers."""
        if self._instance is None:
            question = self.current
            self._instance = working_instance(question.lesson, question.seed)  # skips a draw that fails
        return self._instance

    # ---- acting -------------------------------------------------------------------------------

    def submit(self, answer: str):
        """Grade ``answer`` to the current question. An unreadable answer is not a try: the
        verdict says why, and the same question stays. Otherwise it is saved and the quiz moves on; a
        wrong answer's message is then the diagnosed mistake, else the quiz's "wrong, here is the solution"."""
        question = self.current
        verdict = grade(self.instance(), question.problem.id, answer, self.lang)
        if verdict.invalid:
            return verdict
        if self.store is not None:
            from tutor.progress import Attempt

            self.store.record_attempt(Attempt(
                self.pack, question.lesson.id, question.problem.id, self.instance().seed, answer, bool(verdict.correct),
                verdict.mistake, self.hints_shown, time.monotonic() - self._started))
        verdict = self._moving_on(verdict, self.lang)
        outcome = RIGHT if verdict.correct else WRONG
        self._advance(Result(question, self.instance(), outcome, None if verdict.correct else verdict.mistake, answer))
        return verdict

    @staticmethod
    def _moving_on(verdict, lang: str):
        """The grader's own words for a wrong answer invite another try; the quiz moves on and shows the
        solution, so it keeps only a diagnosed mistake's explanation."""
        if verdict.correct:
            return verdict
        diagnosed = verdict.mistake and not verdict.mistake.startswith(PICKED)  # a wrong option says only that
        return msgspec.structs.replace(verdict, message=verdict.message if diagnosed else say("wrong", lang))

    def last_feedback(self, lang: str):
        """(verdict or None when skipped, worked solution) of the question answered last, in ``lang``:
        said again, nothing recorded, when the learner switches language."""
        last = self.results[-1]
        worked = solution(last.instance, last.question.problem.id, lang)
        if last.outcome == REVEALED:
            return None, worked
        return self._moving_on(grade(last.instance, last.question.problem.id, last.answer, lang), lang), worked

    def hint(self) -> tuple[int, int, str] | None:
        """The next hint as (its number, how many there are, its text); None when none is left."""
        question = self.current
        texts = hints(self.instance(), question.problem.id, self.lang)
        if self.hints_shown >= len(texts):
            return None
        self.hints_shown += 1
        if self.store is not None:
            self.store.record_hint(self.pack, question.lesson.id, question.problem.id, self.hints_shown)
        return self.hints_shown, len(texts), texts[self.hints_shown - 1]

    def skip(self) -> str:
        """Give up on the current question: returns its worked solution and moves on. The schedule
        hears it; the lesson's blank is not marked revealed: this solution has other numbers."""
        question = self.current
        worked = solution(self.instance(), question.problem.id, self.lang)
        self._advance(Result(question, self.instance(), REVEALED))
        return worked

    def last_solution(self) -> str:
        """The worked solution of the question answered last."""
        last = self.results[-1]
        return solution(last.instance, last.question.problem.id, self.lang)

    def _advance(self, result: Result) -> None:
        key = result.question.key
        self.reviews[key] = review = review_after(self.reviews.get(key), result.outcome, self.clock())
        if self.store is not None:
            from tutor.progress import timestamp

            self.store.set_review(self.pack, *key, review.box, timestamp(review.due))
        self.results.append(result)
        self.hints_shown = 0
        self._instance = None
        self._started = time.monotonic()

    # ---- the end ------------------------------------------------------------------------------

    def summary(self) -> Summary:
        missed = [r for r in self.results if r.outcome != RIGHT]
        kinds = Counter(REVEALED if r.outcome == REVEALED else r.mistake for r in missed)
        revisit = list({r.question.lesson.id: r.question.lesson for r in missed}.values())
        now = self.clock()
        if self.store is not None:  # every lesson's schedule, not only this quiz's
            scheduled = [Review(item.box, datetime.fromisoformat(item.due)) for item in self.store.reviews(self.pack)]
        else:
            scheduled = [review for review in self.reviews.values() if review.due is not None]
        made_at = {r.mistake: r.question.problem for r in missed}
        return Summary(len(self.questions), len(self.results), len(self.results) - len(missed),
                       kinds.most_common(), made_at, revisit, any(is_due(review, now) for review in scheduled),
                       next_due(scheduled, now))
