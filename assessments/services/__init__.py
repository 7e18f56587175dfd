"""Writes of the assessments app, one module per part: ``bank`` (categories and
questions), ``import_export`` (question files in and out), ``attempts``
(taking a quiz), ``scoring`` (marking an attempt against the key) and
``regrading`` (marking a quiz's attempts again). Every name other apps and
tests use is importable from here."""

from .attempts import (
    MAX_SEQ,
    AttemptClosed,
    AttemptError,
    SaveOutcome,
    attempt_finish,
    attempt_overdue,
    attempt_save,
    attempt_save_answers,
    attempt_start,
    attempt_start_check,
    attempt_submit,
    attempts_close_overdue,
    attempts_left,
    attempts_used,
)
from .bank import category_find, category_get_or_create, category_save, question_create
from .import_export import ImportReport, questions_export_gift, questions_import
from .regrading import quiz_regrade
from .scoring import answers_by_question, attempt_grade, attempt_score, quiz_enrolment

__all__ = [
    "MAX_SEQ",
    "AttemptClosed",
    "AttemptError",
    "ImportReport",
    "SaveOutcome",
    "answers_by_question",
    "attempt_finish",
    "attempt_grade",
    "attempt_overdue",
    "attempt_save",
    "attempt_save_answers",
    "attempt_score",
    "attempt_start",
    "attempt_start_check",
    "attempt_submit",
    "attempts_close_overdue",
    "attempts_left",
    "attempts_used",
    "category_find",
    "category_get_or_create",
    "category_save",
    "question_create",
    "questions_export_gift",
    "questions_import",
    "quiz_enrolment",
    "quiz_regrade",
]
