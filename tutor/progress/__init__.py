"""The learner's progress: an SQLite store the app and the quiz use (they never write SQL)."""

from tutor.progress.store import (SCHEMA_VERSION, Attempt, LessonSummary, Paths, ProblemState,
                                  ReviewItem, Store, StoreError, paths, timestamp)

__all__ = ["SCHEMA_VERSION", "Attempt", "LessonSummary", "Paths", "ProblemState", "ReviewItem",
           "Store", "StoreError", "paths", "timestamp"]
