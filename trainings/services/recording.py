"""Recording attendance: one row per session and cadre, whichever route wrote
it (QR check-in, typed code, paper sheet, meeting report, by hand). Here: the
one write every route goes through, and an organiser's own changes (a status
on the tick list or sheet, accepting a walk-in, revoking)."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Cadre, User
from cadres.services import audit_record

from .. import capacity
from ..models import Attendance, TrainingSession
from ..selectors import is_invited, may_organise
from . import completing


def organiser_required(by: User, session: TrainingSession) -> None:
    """Raise PermissionDenied unless ``by`` may change the session's attendance."""
    if not may_organise(by, session):
        raise PermissionDenied(_("You may not change this session's attendance."))


def attendance_upsert(
    session: TrainingSession,
    cadre: Cadre,
    *,
    status: str,
    source: str,
    at: dt.datetime | None,
    by: User | None,
    minutes: int | None = None,
    walk_in: bool = False,
    note: str = "",
    keep_counting: bool = False,
) -> tuple[Attendance, bool]:
    """Create or update the one row; returns (row, changed).

    ``keep_counting``: a row that already counts is left as it is (a second
    check-in, a late "cannot attend"). A revoked row is never changed here.
    """
    now = timezone.now()
    fields = {
        "status": status,
        "source": source,
        "checked_in_at": at,
        "minutes": minutes,
        "note": note,
        "recorded_by": by if by is not None and by.pk else None,
        "updated_at": now,
    }
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session, cadre=cadre, walk_in=walk_in, accepted=not walk_in, **fields
            )
        return attendance, True
    except IntegrityError:
        pass
    # The row exists (maybe written a moment ago by a concurrent check-in):
    # change it only if it is in a state this write may replace, in one
    # conditional UPDATE, so two racing writes cannot both win.
    rows = Attendance.objects.filter(session=session, cadre=cadre, revoked_at__isnull=True)
    if keep_counting:
        rows = rows.exclude(status__in=Attendance.COUNTING)
    if at is None:
        fields.pop("checked_in_at")
    if minutes is None:
        fields.pop("minutes")
    changed = bool(rows.update(**fields))
    attendance = Attendance.objects.get(session=session, cadre=cadre)
    attendance.session, attendance.cadre = session, cadre
    return attendance, changed


@transaction.atomic
def attendance_set(
    *,
    session: TrainingSession,
    cadre: Cadre,
    status: str,
    by: User,
    source: str = Attendance.Source.SHEET,
    minutes: int | None = None,
    at: dt.datetime | None = None,
) -> Attendance:
    """An organiser records a cadre's status (sheet, tick list, meeting report)."""
    organiser_required(by, session)
    return _set(session, cadre, status=status, by=by, source=source, minutes=minutes, at=at)


def _set(session, cadre, *, status, by, source, minutes=None, at=None) -> Attendance:
    if status not in Attendance.Status.values:
        raise ValueError(_("Unknown attendance status."))
    existing = Attendance.objects.filter(session=session, cadre=cadre).first()
    if existing is not None and existing.revoked_at is not None:
        return existing
    if existing is not None and existing.status == status and minutes is None:
        return existing
    walk_in = existing.walk_in if existing else not is_invited(session, cadre)
    if status in Attendance.COUNTING and at is None:
        at = existing.checked_in_at if existing and existing.checked_in_at else session.starts_at
    attendance, changed = attendance_upsert(
        session,
        cadre,
        status=status,
        source=source,
        at=at,
        by=by,
        minutes=minutes,
        walk_in=walk_in,
    )
    if walk_in and not attendance.accepted:
        # The organiser recording a walk-in accepts them.
        Attendance.objects.filter(pk=attendance.pk).update(accepted=True)
        attendance.accepted = True
    if changed:
        completing.apply(attendance, by=by)
    return attendance


@transaction.atomic
def attendance_accept_walk_in(*, attendance: Attendance, by: User) -> Attendance:
    organiser_required(by, attendance.session)
    if not attendance.accepted:
        capacity.walk_in_accept_check(session=attendance.session)
    if Attendance.objects.filter(pk=attendance.pk, accepted=False).update(accepted=True):
        attendance.refresh_from_db()
        audit_record(
            action="training.walk_in_accept",
            actor=by,
            unit=attendance.session.organiser_unit,
            obj=attendance.session,
            data={"attendance": attendance.pk, "cadre": attendance.cadre_id},
        )
        completing.apply(attendance, by=by)
    return attendance


@transaction.atomic
def attendance_revoke(*, attendance: Attendance, by: User, reason: str) -> Attendance:
    """Revoke attendance with a reason; the row stays, marked revoked. Audited.
    Completions it caused are revoked too, unless another session still counts."""
    organiser_required(by, attendance.session)
    reason = reason.strip()
    if not reason:
        raise ValueError(_("Give a reason."))
    updated = Attendance.objects.filter(pk=attendance.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by, revoke_reason=reason
    )
    attendance.refresh_from_db()
    if updated:
        audit_record(
            action="training.attendance_revoke",
            actor=by,
            unit=attendance.session.organiser_unit,
            obj=attendance.session,
            data={"attendance": attendance.pk, "cadre": attendance.cadre_id, "reason": reason},
        )
        completing.apply(attendance, by=by, reason=reason)
    return attendance
