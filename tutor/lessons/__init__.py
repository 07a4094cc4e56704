"""Lessons: the format v1 of DESIGN.md read safely, checked, and answered by the engine.

The contract other packages code against is /work/team/LESSONS_API.md. No Textual here.
"""

from .answers import AnswerError, answer_target
from .instance import LessonInstance
from .loader import bundled_lessons_dir, load_lesson, load_lessons
from .model import (GraphSpec, Issue, Lesson, LessonError, Localized, Mistake, Option, Problem, Step, Tolerance,
                    text)

__all__ = ["AnswerError", "GraphSpec", "Issue", "Lesson", "LessonError", "LessonInstance", "Localized", "Mistake",
           "Option", "Problem", "Step", "Tolerance", "answer_target", "bundled_lessons_dir", "load_lesson",
           "load_lessons", "text"]
