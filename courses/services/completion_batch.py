"""Course completion for many enrolments at once (a training session's
attendance, an attendee report of a thousand rows): the same rule as
:mod:`.completion`, in a fixed number of queries."""

import datetime as dt

from django.db import transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone

from .. import requirements
from ..models import Completion, CoursePage, Enrolment, LessonCompletion
from ..selectors import course_lessons
from ..signals import courses_completed
from ..trained import trained_refresh


@transaction.atomic(savepoint=False)
def enrolments_evaluate_completion_many(
    *, items: list[tuple[Enrolment, dt.datetime | None]]
) -> list[Completion]:
    """:func:`enrolment_evaluate_completion` for many enrolments at once, in one
    transaction and a fixed number of queries whatever their number: the same
    rule (lessons, registered requirements, completion routes), the same row
    locks (taken in id order, so two batches cannot deadlock), one completion
    per enrolment. ``items``: (enrolment, completed at — None for now).

    Listeners hear of the new completions on commit, once, by
    ``courses_completed``. Returns the new completions. Inside a caller's
    transaction no savepoint is taken: an error fails the caller's whole
    transaction, as an all-or-nothing batch wants.
    """
    now = timezone.now()
    enrolments: dict[int, Enrolment] = {}
    at_of: dict[int, dt.datetime] = {}
    for enrolment, at in items:
        enrolments[enrolment.pk] = enrolment
        at_of[enrolment.pk] = at or now
    if not enrolments:
        return []
    ids = sorted(enrolments)
    _lock_many([enrolments[pk] for pk in ids])
    done = set(
        Completion.objects.filter(enrolment_id__in=ids, revoked_at__isnull=True).values_list(
            "enrolment_id", flat=True
        )
    )
    pending = [enrolments[pk] for pk in ids if pk not in done]
    # Complete when nothing is unmet or a route completes it, as completion_evaluate_locked; the
    # routes are asked first since an attendance batch is satisfied by one.
    routed = requirements.satisfied_many(pending)
    unrouted = [e for e in pending if e.pk not in routed]
    _courses_load(unrouted)
    unmet = _unmet_many(unrouted)
    complete = [e for e in pending if e.pk in routed or not unmet[e.pk]]
    completions = _completions_create_many(complete, at_of)
    # The activity enrolment_lock records, for those the completion did not stamp.
    stamped = {completion.enrolment_id for completion in completions}
    rest = [enrolments[pk] for pk in ids if pk not in stamped]
    for enrolment in rest:
        enrolment.last_activity_at = at_of[enrolment.pk]
    Enrolment.objects.bulk_update(rest, ["last_activity_at"], batch_size=1000)
    return completions


def _lock_many(enrolments: list[Enrolment]) -> None:
    """:func:`.completion.enrolment_lock`'s row locks for many enrolments, taken in id order."""
    list(
        Enrolment.objects.select_for_update()
        .filter(pk__in=[e.pk for e in enrolments])
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _courses_load(enrolments: list[Enrolment]) -> None:
    """Give each enrolment its course, one query for those not loaded yet."""
    missing = {e.course_id for e in enrolments if not Enrolment.course.is_cached(e)}
    if not missing:
        return
    courses = CoursePage.objects.in_bulk(missing)
    for enrolment in enrolments:
        if not Enrolment.course.is_cached(enrolment):
            enrolment.course = courses[enrolment.course_id]


def _unmet_many(enrolments: list[Enrolment]) -> dict[int, list[str]]:
    """:func:`enrolment_unmet` of each enrolment: one query for the lessons of
    each course, one for the lessons done, plus the requirements' batch."""
    unmet: dict[int, list[str]] = {e.pk: [] for e in enrolments}
    if not enrolments:
        return unmet
    by_lessons = [
        e for e in enrolments if e.course.completion_rule != CoursePage.CompletionRule.QUIZZES_ONLY
    ]
    if by_lessons:
        lessons: dict[int, list[tuple[int, str]]] = {}
        for enrolment in by_lessons:
            if enrolment.course_id not in lessons:
                lessons[enrolment.course_id] = list(
                    course_lessons(enrolment.course).values_list("pk", "title")
                )
        done: dict[int, set[int]] = {}
        for enrolment_id, lesson_id in LessonCompletion.objects.filter(
            enrolment_id__in=[e.pk for e in by_lessons]
        ).values_list("enrolment_id", "lesson_id"):
            done.setdefault(enrolment_id, set()).add(lesson_id)
        for enrolment in by_lessons:
            mine = done.get(enrolment.pk, set())
            unmet[enrolment.pk] += [
                title for pk, title in lessons[enrolment.course_id] if pk not in mine
            ]
    by_requirements = [
        e for e in enrolments if e.course.completion_rule != CoursePage.CompletionRule.LESSONS_ONLY
    ]
    for pk, names in requirements.unmet_many(by_requirements).items():
        unmet[pk] += names
    return unmet


def _completions_create_many(
    enrolments: list[Enrolment], at_of: dict[int, dt.datetime]
) -> list[Completion]:
    """:func:`completion_create` for many enrolments, whose row locks the caller
    holds and which have no current completion (so no concurrent writer can
    record one meanwhile: the unique constraint would fail the whole batch)."""
    if not enrolments:
        return []
    completions = Completion.objects.bulk_create(
        [
            Completion(enrolment=e, completed_at=at_of[e.pk], source=Completion.Source.RULE)
            for e in enrolments
        ],
        batch_size=1000,
    )
    # Each enrolment is stamped with its own completion's time in one UPDATE
    # (bulk_update's CASE of a thousand branches costs more than the rest).
    completed_at = Subquery(
        Completion.objects.filter(enrolment=OuterRef("pk"), revoked_at__isnull=True).values(
            "completed_at"
        )[:1]
    )
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(
        completed_at=completed_at, last_activity_at=completed_at
    )
    for enrolment in enrolments:
        enrolment.completed_at = enrolment.last_activity_at = at_of[enrolment.pk]
    trained_refresh(
        cadre_ids=sorted({e.cadre_id for e in enrolments}),
        course_ids=sorted({e.course_id for e in enrolments}),
    )
    completion_ids = [completion.pk for completion in completions]
    transaction.on_commit(
        lambda: courses_completed.send(sender=Completion, completion_ids=completion_ids)
    )
    return completions
