"""Completions recorded or revoked by hand, with a reason, by whoever may
manage the cadre's completions. Audited."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import User
from cadres.services import audit_record

from ..models import Completion, Enrolment
from ..selectors import may_manage_completion
from ..signals import course_completion_revoked
from ..trained import trained_refresh
from .completion import completion_create, enrolment_lock


def _may_manage(by: User, enrolment: Enrolment) -> None:
    if not may_manage_completion(by, enrolment.cadre):
        raise PermissionDenied(_("You may not change this cadre's completions."))


@transaction.atomic
def completion_record_manual(
    *, enrolment: Enrolment, by: User, reason: str, at: dt.datetime | None = None
) -> Completion | None:
    """A trainer, an HR officer over the cadre's unit or an administrator records
    that the course was completed outside the platform. Audited."""
    _may_manage(by, enrolment)
    reason = reason.strip()
    if not reason:
        raise ValueError(_("Give a reason."))
    at = at or timezone.now()
    enrolment_lock(enrolment, at)
    completion = completion_create(
        enrolment=enrolment, source=Completion.Source.MANUAL, by=by, reason=reason, at=at
    )
    audit_record(
        action="completion.manual",
        actor=by,
        obj=enrolment,
        data={
            "reason": reason,
            "enrolment": enrolment.pk,
            "completion": completion.pk if completion else None,
        },
    )
    return completion


@transaction.atomic
def completion_revoke(*, completion: Completion, by: User, reason: str) -> Completion:
    """Revoke a completion with a reason; the row stays, marked revoked. Audited."""
    enrolment = completion.enrolment
    _may_manage(by, enrolment)
    reason = reason.strip()
    if not reason:
        raise ValueError(_("Give a reason."))
    updated = Completion.objects.filter(pk=completion.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by, revoke_reason=reason
    )
    if updated:
        Enrolment.objects.filter(pk=completion.enrolment_id).update(completed_at=None)
        trained_refresh(cadre_ids=[enrolment.cadre_id], course_ids=[enrolment.course_id])
        audit_record(
            action="completion.revoke",
            actor=by,
            obj=enrolment,
            data={"reason": reason, "enrolment": enrolment.pk, "completion": completion.pk},
        )
        transaction.on_commit(
            lambda: course_completion_revoked.send(sender=Completion, completion_id=completion.pk)
        )
    completion.refresh_from_db()
    return completion
