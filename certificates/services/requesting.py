"""Requesting certificates for completions: the pending rows (step 1 of the
lifecycle in :mod:`certificates.services`), one per cadre and course or
programme, with the issue enqueued after commit."""

from django.db import IntegrityError, transaction
from django.db.models import Q

from cadres.models import Cadre
from courses.models import Completion, CoursePage, Programme

from ..models import Certificate
from .codes import code_new
from .enqueueing import certificate_issue_enqueue, certificate_issue_enqueue_many
from .revoking import COMPLETION_REVOKED, LIVE, certificate_revoke_if_live
from .templates import template_for


def certificates_request_for_completion(*, completion_id: int) -> list[Certificate]:
    """Pending certificates for a completion: its course, and every programme the
    cadre has now completed. Idempotent; enqueues the issue after commit."""
    completion = (
        Completion.objects.select_related("enrolment__course", "enrolment__cadre")
        .filter(pk=completion_id, revoked_at__isnull=True)
        .first()
    )
    if completion is None:
        return []
    cadre = completion.enrolment.cadre
    course = completion.enrolment.course
    created: list[Certificate] = []
    with transaction.atomic():
        Cadre.objects.select_for_update().filter(pk=cadre.pk).first()
        certificate = _pending_create(cadre=cadre, course=course, completion=completion)
        if certificate is not None:
            created.append(certificate)
        for programme in _programmes_completed(cadre=cadre, course=course):
            certificate = _pending_create(cadre=cadre, programme=programme, completion=completion)
            if certificate is not None:
                created.append(certificate)
        for certificate in created:
            certificate_issue_enqueue(certificate.pk)
    return created


def certificates_request_for_completions(*, completion_ids) -> list[Certificate]:
    """:func:`certificates_request_for_completion` for completions recorded
    together (an attendee report's): the same pending rows, in a fixed number of
    queries per course and programme whatever the number of completions; the
    issue tasks are enqueued after commit over one broker connection. Should
    the batch meet a concurrent request, each completion is requested alone."""
    completions = list(
        Completion.objects.select_related("enrolment__course")
        .filter(pk__in=list(completion_ids), revoked_at__isnull=True)
        .order_by("pk")
    )
    if not completions:
        return []
    try:
        with transaction.atomic():
            created = _pending_create_many(completions)
            certificate_issue_enqueue_many([certificate.pk for certificate in created])
    except IntegrityError:
        created = []
        for completion in completions:
            created += certificates_request_for_completion(completion_id=completion.pk)
    return created


def _pending_create_many(completions: list[Completion]) -> list[Certificate]:
    cadre_ids = sorted({completion.enrolment.cadre_id for completion in completions})
    # The cadres' rows, in id order, as certificates_request_for_completion locks one.
    list(
        Cadre.objects.select_for_update()
        .filter(pk__in=cadre_ids)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    by_course: dict[int, list[Completion]] = {}
    for completion in completions:
        by_course.setdefault(completion.enrolment.course_id, []).append(completion)
    new: list[Certificate] = []
    for mine in by_course.values():
        course = mine[0].enrolment.course
        new += _pending_build({c.enrolment.cadre_id: c for c in mine}, course=course)
        programmes = Programme.objects.filter(
            programme_courses__course=course, programme_courses__required=True
        ).distinct()
        for programme in programmes:
            required = set(
                programme.programme_courses.filter(required=True).values_list(
                    "course_id", flat=True
                )
            )
            completed: dict[int, set[int]] = {}
            for cadre_id, course_id in Completion.objects.filter(
                enrolment__cadre_id__in=[c.enrolment.cadre_id for c in mine],
                enrolment__course_id__in=required,
                revoked_at__isnull=True,
            ).values_list("enrolment__cadre_id", "enrolment__course_id"):
                completed.setdefault(cadre_id, set()).add(course_id)
            done = {
                c.enrolment.cadre_id: c
                for c in mine
                if required and required <= completed.get(c.enrolment.cadre_id, set())
            }
            new += _pending_build(done, programme=programme)
    # One per cadre and subject: two courses of a batch may complete one programme.
    unique: dict[tuple, Certificate] = {}
    for certificate in new:
        unique.setdefault(
            (certificate.cadre_id, certificate.course_id, certificate.programme_id), certificate
        )
    return Certificate.objects.bulk_create(list(unique.values()), batch_size=1000)


def _pending_build(
    completions: dict[int, Completion],
    *,
    course: CoursePage | None = None,
    programme: Programme | None = None,
) -> list[Certificate]:
    """Unsaved pending certificates of one course or programme for the cadres
    (id -> completion) that have no live one, as _pending_create decides."""
    if not completions:
        return []
    live = (
        Certificate.objects.filter(cadre_id__in=list(completions), status__in=LIVE)
        .filter(Q(course=course) if course is not None else Q(programme=programme))
        .select_related("completion")
    )
    holding = set()
    for existing in live:
        if existing.completion is not None and existing.completion.revoked_at is not None:
            # Its completion was revoked but the revocation never reached us.
            certificate_revoke_if_live(existing, by=None, reason=COMPLETION_REVOKED)
        else:
            holding.add(existing.cadre_id)
    template = template_for(course=course, programme=programme)
    return [
        Certificate(
            cadre_id=cadre_id,
            course=course,
            programme=programme,
            completion=completion,
            template=template,
            code=code_new(),
        )
        for cadre_id, completion in completions.items()
        if cadre_id not in holding
    ]


def _pending_create(
    *,
    cadre: Cadre,
    completion: Completion,
    course: CoursePage | None = None,
    programme: Programme | None = None,
) -> Certificate | None:
    live = Certificate.objects.filter(cadre=cadre, status__in=LIVE).filter(
        Q(course=course) if course is not None else Q(programme=programme)
    )
    for existing in live.select_related("completion"):
        if existing.completion is not None and existing.completion.revoked_at is not None:
            # Its completion was revoked but the revocation never reached us.
            certificate_revoke_if_live(existing, by=None, reason=COMPLETION_REVOKED)
        else:
            return None
    try:
        with transaction.atomic():
            return Certificate.objects.create(
                cadre=cadre,
                course=course,
                programme=programme,
                completion=completion,
                template=template_for(course=course, programme=programme),
                code=code_new(),
            )
    except IntegrityError:
        return None  # a concurrent request wrote it first


def _programmes_completed(*, cadre: Cadre, course: CoursePage) -> list[Programme]:
    programmes = Programme.objects.filter(
        programme_courses__course=course, programme_courses__required=True
    ).distinct()
    done = []
    for programme in programmes:
        required = set(
            programme.programme_courses.filter(required=True).values_list("course_id", flat=True)
        )
        completed = set(
            Completion.objects.filter(
                enrolment__cadre=cadre, enrolment__course_id__in=required, revoked_at__isnull=True
            ).values_list("enrolment__course_id", flat=True)
        )
        if required and required <= completed:
            done.append(programme)
    return done
