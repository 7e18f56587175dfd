"""Reads for the learning side, scoped to the acting user."""

from django.db.models import QuerySet

from cadres.models import Cadre, User
from cadres.selectors import cadre_of

from .models import CoursePage, Enrolment, LessonPage


def enrolments_of(user: User) -> QuerySet[Enrolment]:
    cadre = cadre_of(user)
    if cadre is None:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(cadre=cadre)


def course_lessons(course: CoursePage) -> QuerySet[LessonPage]:
    return LessonPage.objects.child_of(course).live().order_by("path")


def enrolment_for(*, cadre: Cadre, course: CoursePage) -> Enrolment | None:
    return Enrolment.objects.filter(cadre=cadre, course=course).first()
