"""Question bank, quizzes and attempts, one module each (``bank``, ``quizzes``,
``attempts``); every model is importable from here (``from assessments.models
import QuizPage``), as migrations expect.

Grading, timing and the answer key live on the server: an attempt freezes
its questions and the order of their choices when it starts, and stores what
the cadre answered per question with the sequence number of the last save.
"""

from .attempts import Attempt, AttemptSlot, Regrade
from .bank import (
    Answer,
    Question,
    QuestionCategory,
    QuestionCategoryManager,
    QuestionCategoryQuerySet,
    QuestionTag,
)
from .quizzes import QuizPage, QuizQuestion

__all__ = [
    "Answer",
    "Attempt",
    "AttemptSlot",
    "Question",
    "QuestionCategory",
    "QuestionCategoryManager",
    "QuestionCategoryQuerySet",
    "QuestionTag",
    "QuizPage",
    "QuizQuestion",
    "Regrade",
]
