"""Revoking and reissuing: a certificate stops proving anything, or is replaced
by one with a new number."""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import User
from cadres.services import audit_record
from cadres.text import nfc
from courses.models import Completion, ProgrammeCourse

from ..models import Certificate
from .codes import code_new
from .enqueueing import certificate_issue_enqueue
from .issuing import certificate_freeze
from .templates import template_for

# Being issued or issued: what a revocation acts on, and what a new request
# must not duplicate (the one_live_*_certificate constraints).
LIVE = (Certificate.Status.PENDING, Certificate.Status.VALID)
COMPLETION_REVOKED = "completion revoked"


class CertificateError(ValueError):
    pass


def certificate_revoke_if_live(certificate: Certificate, *, by: User | None, reason: str) -> bool:
    """Revoke and audit unless it is no longer live; whether it was revoked here."""
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
    if not certificate_revoke_if_live(certificate, by=by, reason=reason):
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
    certificate_freeze(new)
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
            count += certificate_revoke_if_live(
                certificate, by=completion.revoked_by, reason=COMPLETION_REVOKED
            )
    return count
