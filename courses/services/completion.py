"""Course completion for one enrolment: what it still lacks under its
course's rule, and the completion recorded once nothing is.

Completion is decided here, in the transaction that records the progress
that caused it, by the course's rule and the registered requirements.

Concurrency: every progress write starts with :func:`enrolment_lock`, an
UPDATE of the enrolment row, which takes its row lock on PostgreSQL (SQLite
serialises writers anyway), so two lessons completed at the same moment cannot
both miss the other and leave a finished course without its completion. Unique
constraints make replays and races record one row.

:func:`enrolment_lock`, :func:`completion_evaluate_locked` and
:func:`completion_create` are for the services beside this module (lessons,
manual completion), which hold the lock themselves.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from cadres.models import User

from .. import requirements
from ..models import Completion, CoursePage, Enrolment, LessonCompletion
from ..selectors import course_lessons
from ..signals import course_completed
from ..trained import trained_refresh


def enrolment_unmet(*, enrolment: Enrolment) -> list[str]:
    """What the enrolment still lacks under its course's rule; [] means complete.

    One query for the lessons, whatever their number, plus the requirements'.
    """
    course = enrolment.course
    unmet: list[str] = []
    if course.completion_rule != CoursePage.CompletionRule.QUIZZES_ONLY:
        unmet += list(
            course_lessons(course)
            .exclude(pk__in=LessonCompletion.objects.filter(enrolment=enrolment).values("lesson"))
            .values_list("title", flat=True)
        )
    if course.completion_rule != CoursePage.CompletionRule.LESSONS_ONLY:
        for requirement in requirements.registered():
            unmet += requirement.unmet(enrolment=enrolment)
    return unmet


def enrolment_lock(enrolment: Enrolment, at: dt.datetime) -> None:
    # The UPDATE takes the enrolment's row lock until commit: progress on one
    # enrolment is decided one request at a time.
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=at)


def completion_evaluate_locked(enrolment: Enrolment, at: dt.datetime) -> Completion | None:
    if Completion.objects.filter(enrolment=enrolment, revoked_at__isnull=True).exists():
        return None
    if enrolment_unmet(enrolment=enrolment) and not any(
        route.satisfied(enrolment=enrolment) for route in requirements.routes()
    ):
        return None
    return completion_create(enrolment=enrolment, source=Completion.Source.RULE, at=at)


@transaction.atomic
def enrolment_evaluate_completion(
    *, enrolment: Enrolment, at: dt.datetime | None = None
) -> Completion | None:
    """Record a completion if the rule is now met. Safe to call any number of times.

    Other apps call this when something a requirement reads has changed
    (assessments: a quiz passed).
    """
    at = at or timezone.now()
    enrolment_lock(enrolment, at)
    return completion_evaluate_locked(enrolment, at)


def completion_create(
    *,
    enrolment: Enrolment,
    source: str,
    by: User | None = None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Completion | None:
    at = at or timezone.now()
    try:
        with transaction.atomic():
            completion = Completion.objects.create(
                enrolment=enrolment, completed_at=at, source=source, recorded_by=by, reason=reason
            )
    except IntegrityError:
        # A concurrent request recorded it first: one completion, not two.
        return None
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=at)
    enrolment.completed_at = at
    trained_refresh(cadre_ids=[enrolment.cadre_id], course_ids=[enrolment.course_id])
    transaction.on_commit(
        lambda: course_completed.send(
            sender=Completion, completion_id=completion.pk, enrolment_id=enrolment.pk
        )
    )
    return completion
