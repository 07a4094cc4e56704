"""Grading a learner's answer: a parser that never evaluates Python, an honest tolerance, and feedback
that names the mistake from values the engine derives. ``tutor.grading`` imports no Textual and no Rich."""

from .compare import Band
from .grade import Verdict, grade, hints, solution
from .parse import AnswerError, parse_formula, parse_number, parse_vector

__all__ = ["AnswerError", "Band", "Verdict", "grade", "hints", "parse_formula", "parse_number", "parse_vector",
           "solution"]
