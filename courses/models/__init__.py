"""The courses app's models, one module per part of the domain; every model is
importable from here (``from courses.models import Enrolment``), as migrations expect.

``pages`` (the catalogue, courses, lessons; their shared behaviour in
``page_mixins``), ``programmes`` (what is assigned to whom), ``progress``
(enrolments, lessons and videos done, completions) and ``trained_spells``
(the fact :mod:`courses.trained` maintains).
"""

from .page_mixins import AsciiSlugMixin, StaleRevisionGuardMixin, TreeCachedRestrictionsMixin
from .pages import CourseIndexPage, CoursePage, LessonPage
from .programmes import PopulationFilter, Programme, ProgrammeCourse
from .progress import Completion, Enrolment, LessonCompletion, LessonVideoProgress
from .trained_spells import TrainedSpell

__all__ = [
    "AsciiSlugMixin",
    "Completion",
    "CourseIndexPage",
    "CoursePage",
    "Enrolment",
    "LessonCompletion",
    "LessonPage",
    "LessonVideoProgress",
    "PopulationFilter",
    "Programme",
    "ProgrammeCourse",
    "StaleRevisionGuardMixin",
    "TrainedSpell",
    "TreeCachedRestrictionsMixin",
]
