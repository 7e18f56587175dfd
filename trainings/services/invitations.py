"""Who is invited: inviting a session's population and named cadres (within
its capacity), a cadre declining, and the reminders before a session."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from cadres.models import User
from cadres.services import audit_record, notification_send

from .. import capacity
from ..models import Attendance, Invitation, TrainingSession
from ..selectors import population_cadres
from .recording import attendance_upsert


@transaction.atomic
def session_sync_invitations(*, session: TrainingSession, by: User | None = None) -> int:
    """Invite the session's population and named cadres; returns how many new.

    Refused as a whole (``capacity.CapacityExceeded``) when the new invitations
    would promise more seats than the session's capacity. Idempotent. Nobody
    is un-invited: a cadre who left the unit keeps the invitation (and whatever
    attendance they have)."""
    existing = set(Invitation.objects.filter(session=session).values_list("cadre_id", flat=True))
    new = [
        Invitation(session=session, cadre_id=cadre_id, source=Invitation.Source.POPULATION)
        for cadre_id in population_cadres(session).values_list("pk", flat=True)
        if cadre_id not in existing
    ]
    existing |= {inv.cadre_id for inv in new}
    new += [
        Invitation(session=session, cadre_id=cadre_id, source=Invitation.Source.NAMED)
        for cadre_id in session.named_cadres.values_list("pk", flat=True)
        if cadre_id not in existing
    ]
    capacity.invitations_check(session=session, adding=len(new))
    Invitation.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    if by is not None:
        audit_record(
            action="training.invite",
            actor=by,
            unit=session.organiser_unit,
            obj=session,
            data={"session": session.pk, "new_invitations": len(new)},
        )
    return len(new)


@transaction.atomic
def invitation_decline(*, invitation: Invitation, reason: str) -> Attendance:
    """The cadre says they cannot attend: recorded as absent with a reason,
    unless they are already recorded present."""
    reason = reason.strip()
    if not reason:
        raise ValueError(_("Give a reason."))
    now = timezone.now()
    Invitation.objects.filter(pk=invitation.pk).update(declined_at=now, decline_reason=reason[:255])
    attendance, _created = attendance_upsert(
        invitation.session,
        invitation.cadre,
        status=Attendance.Status.EXCUSED,
        source=Attendance.Source.CADRE,
        at=None,
        by=invitation.cadre.user,
        note=reason[:255],
        keep_counting=True,
    )
    return attendance


def session_reminders_send(*, at: dt.datetime | None = None) -> int:
    """Remind invited cadres the day before and an hour before. Idempotent: one
    notification per cadre, session and kind (dedupe key)."""
    now = at or timezone.now()
    sent = 0
    upcoming = TrainingSession.objects.filter(
        starts_at__gt=now, starts_at__lte=now + dt.timedelta(hours=24)
    )
    for session in upcoming:
        kind = "hour" if session.starts_at - now <= dt.timedelta(hours=1) else "day"
        when = date_format(timezone.localtime(session.starts_at), "H:i d/m/Y")
        place = session.venue or session.meeting_link
        title = (
            _("Training “%(title)s” starts in an hour")
            if kind == "hour"
            else _("Training “%(title)s” tomorrow")
        ) % {"title": session.title}
        body = _("Starts at %(when)s. %(place)s") % {"when": when, "place": place}
        invitations = Invitation.objects.filter(
            session=session, declined_at__isnull=True, cadre__user__isnull=False
        ).select_related("cadre__user")
        for invitation in invitations:
            if notification_send(
                user=invitation.cadre.user,
                kind="training_reminder",
                title=title,
                body=body.strip(),
                url=f"/tap-huan/{session.pk}/",
                dedupe_key=f"training:{session.pk}:{kind}",
            ):
                sent += 1
    return sent
