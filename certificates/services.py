"""The certificate's lifecycle: request, issue, revoke, reissue.

Numbering, rendering and storing (step 2 and 3 below) are in ``issuing.py``,
the sweep that finishes what a crash left in ``sweep.py``, the ZIP export in
``exports.py``, reads in ``selectors.py``.

Issuing is split so a crash at any point leaves a trace and a re-run finishes
the job exactly once:

1. a *pending* row is written when a completion is announced (or found by the
   sweep);
2. ``certificate_issue`` locks the row, gives it the next number of its
   issuer's sequence and freezes what will be printed (committed at once, so a
   number, once given, is never given again and never lost);
3. the PDF is rendered outside any lock, stored with its SHA-256, the row is
   marked valid and the holder notified (with a dedupe key) in one transaction.

A re-run of any step on a row that has moved on does nothing.
"""

import logging
import secrets

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Cadre, User
from cadres.services import audit_record
from cadres.text import nfc
from courses.models import Completion, CoursePage, Programme, ProgrammeCourse

from .issuing import (  # noqa: F401 - the lifecycle's entry points, as callers know them
    _freeze,
    certificate_issue,
    certificates_issue,
    number_next,
)
from .models import Certificate, CertificateTemplate, TemplateAssignment
from .publisher import publisher

logger = logging.getLogger(__name__)

LIVE = (Certificate.Status.PENDING, Certificate.Status.VALID)
COMPLETION_REVOKED = "completion revoked"
# Crockford's base32: no I, L, O, U, so a code read aloud or typed is unambiguous.
CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
CODE_LENGTH = 16  # 16 symbols × 5 bits = 80 bits from the OS's CSPRNG


class CertificateError(ValueError):
    pass


def code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def code_normalise(text: str) -> str | None:
    """A typed code in canonical form (case, dashes, spaces, O/0 and I/L/1 forgiven);
    None when it cannot be a code."""
    cleaned = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    cleaned = cleaned.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(cleaned) != CODE_LENGTH or any(ch not in CODE_ALPHABET for ch in cleaned):
        return None
    return cleaned


def certificate_issue_enqueue(certificate_id: int) -> None:
    """Enqueue the issue after commit. Robust: a broker that is down (or, in eager
    mode, an error while issuing) is logged and left to the sweep instead of
    failing the request that completed the course; and the request does not
    wait for a slow broker (see :mod:`certificates.publisher`)."""
    from .tasks import certificate_issue_task

    _publish_after_commit(
        lambda: certificate_issue_task.delay(certificate_id), f"certificate {certificate_id}"
    )


def _enqueue_issue_many(certificate_ids: list[int]) -> None:
    """:func:`certificate_issue_enqueue` for many certificates: one message after commit,
    which a worker fans out into one issue task each."""
    from .tasks import certificate_issue_many_task

    if certificate_ids:
        _publish_after_commit(
            lambda: certificate_issue_many_task.delay(certificate_ids),
            f"{len(certificate_ids)} certificates",
        )


def _publish_after_commit(publish, what: str) -> None:
    transaction.on_commit(lambda: _publish(publish, what), robust=True)


def _publish(publish, what: str) -> None:
    """Hand ``publish`` (a task's delay) to the publishing thread; in eager mode
    (tests, development) run the task here and now. Never raises."""
    from config.celery_app import app

    def run():
        try:
            publish()
        except Exception as error:
            logger.warning("%s not enqueued (%s); the sweep will issue it", what, error)

    if app.conf.task_always_eager:
        run()
    elif not publisher.submit(run):
        logger.warning("%s not enqueued (too many waiting); the sweep will issue it", what)


def template_for(*, course: CoursePage | None = None, programme: Programme | None = None):
    assignment = (
        (
            TemplateAssignment.objects.filter(course=course)
            if course is not None
            else TemplateAssignment.objects.filter(programme=programme)
        )
        .select_related("template")
        .first()
    )
    if assignment is not None:
        return assignment.template
    return template_default()


def template_default() -> CertificateTemplate:
    """The default template; the first migration creates it, and should it ever
    be gone, it is created again with the shipped defaults rather than leave a
    completion without its certificate."""
    template = CertificateTemplate.objects.filter(is_default=True).first()
    if template is not None:
        return template
    try:
        with transaction.atomic():
            return CertificateTemplate.objects.create(name="Mẫu mặc định", is_default=True)
    except IntegrityError:
        return CertificateTemplate.objects.get(is_default=True)


# -- requesting ---------------------------------------------------------------------


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


def certificates_request_later(*, completion_ids) -> None:
    """Queue :func:`certificates_request_for_completions` for a worker."""
    from .tasks import certificates_request_task

    completion_ids = list(completion_ids)
    _publish(
        lambda: certificates_request_task.delay(completion_ids),
        f"certificates of {len(completion_ids)} completions",
    )


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
            _enqueue_issue_many([certificate.pk for certificate in created])
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
            _revoke(existing, by=None, reason=COMPLETION_REVOKED)
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
            _revoke(existing, by=None, reason=COMPLETION_REVOKED)
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


# -- revoking and reissuing ---------------------------------------------------------------


def _revoke(certificate: Certificate, *, by: User | None, reason: str) -> bool:
    updated = Certificate.objects.filter(pk=certificate.pk, status__in=LIVE).update(
        status=Certificate.Status.REVOKED,
        revoked_at=timezone.now(),
        revoked_by=by,
        revoke_reason=reason,
    )
    if updated:
        audit_record(
            action="certificate.revoke",
            actor=by,
            obj=certificate,
            data={"certificate": certificate.pk, "reason": reason},
        )
    return bool(updated)


@transaction.atomic
def certificate_revoke(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    reason = nfc(reason)
    if not reason:
        raise CertificateError(_("Give the reason for revoking."))
    if not _revoke(certificate, by=by, reason=reason):
        raise CertificateError(_("Only a valid certificate can be revoked."))
    certificate.refresh_from_db()
    return certificate


@transaction.atomic
def certificate_reissue(*, certificate: Certificate, by: User, reason: str) -> Certificate:
    """A new certificate with a new number (e.g. after a name correction); the old
    one stays, marked superseded and pointing to the new one."""
    reason = nfc(reason)
    if not reason:
        raise CertificateError(_("Give the reason for reissuing."))
    old = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if old.status != Certificate.Status.VALID:
        raise CertificateError(_("Only a valid certificate can be reissued."))
    old.status = Certificate.Status.SUPERSEDED
    old.save(update_fields=["status"])
    new = Certificate.objects.create(
        cadre=old.cadre,
        course=old.course,
        programme=old.programme,
        completion=old.completion,
        template=template_for(course=old.course, programme=old.programme),
        code=code_new(),
    )
    _freeze(new)
    old.superseded_by = new
    old.save(update_fields=["superseded_by"])
    audit_record(
        action="certificate.reissue",
        actor=by,
        obj=old,
        data={"old": old.pk, "new": new.pk, "reason": reason},
    )
    certificate_issue_enqueue(new.pk)
    return new


def certificates_revoke_for_completion(*, completion_id: int) -> int:
    """A completion was revoked: what it proved is no longer proven. Revoke the
    course certificate and every programme certificate that counted the course,
    as a registry would, rather than leave a valid-looking proof of nothing."""
    completion = Completion.objects.select_related("enrolment").get(pk=completion_id)
    enrolment = completion.enrolment
    programmes = ProgrammeCourse.objects.filter(
        course_id=enrolment.course_id, required=True
    ).values("programme_id")
    live = Certificate.objects.filter(cadre_id=enrolment.cadre_id, status__in=LIVE).filter(
        Q(course_id=enrolment.course_id) | Q(programme_id__in=programmes)
    )
    count = 0
    with transaction.atomic():
        for certificate in live.select_for_update():
            count += _revoke(certificate, by=completion.revoked_by, reason=COMPLETION_REVOKED)
    return count
