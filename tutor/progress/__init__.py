"""The learner's progress: a store the app and the quiz use (they never write SQL, and never learn
whether an SQLite file or a PostgreSQL database is behind it)."""

from tutor.progress.store import (Attempt, LessonSummary, ProblemRow, ProblemState, ReviewItem, Store, StoreError,
                                  timestamp)
from tutor.progress.target import Paths, learner_name, paths, redact

__all__ = ["Attempt", "LessonSummary", "Paths", "ProblemRow", "ProblemState", "ReviewItem", "Store", "StoreError",
           "learner_name", "paths", "redact", "timestamp"]
