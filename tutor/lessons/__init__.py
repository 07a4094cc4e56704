"""Lessons: the lesson format (docs/authoring.md) read safely, checked, and answered by the engine.

What other packages use is exported here: ``load_lesson``/``load_lessons`` give ``Lesson``s (steps,
problems, graphs) or ``LessonError``s with ``file:line:col`` issues; ``lesson.instance(seed)`` gives a
variant whose ``graph()``, ``answer()`` and ``evaluate()`` are computed by the engine. No Textual here.
"""

from .answers import AnswerError, answer_target
from .instance import LessonInstance
from .loader import bundled_lessons_dir, is_fence, load_lesson, load_lessons
from .model import (GraphSpec, Issue, Lesson, LessonError, Localized, Mistake, Option, Problem, Step, Tolerance,
                    text)

__all__ = ["AnswerError", "GraphSpec", "Issue", "Lesson", "LessonError", "LessonInstance", "Localized", "Mistake",
           "Option", "Problem", "Step", "Tolerance", "answer_target", "bundled_lessons_dir", "is_fence", "load_lesson",
           "load_lessons", "text"]
