"""Reads that take the acting user: only the organisers of a session's unit
subtree (and its trainers) see or change its invitations and attendance;
"not yours" and "missing" are the same 404."""

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cadres.models import Cadre, OrgUnit, User
from cadres.selectors import cadre_of, memberships_on, unit_subtree

from .models import Attendance, Invitation, TrainingSeries, TrainingSession, counting_attendances


def organiser_units_for(user: User) -> QuerySet[OrgUnit]:
    """Units the user may organise sessions for: an administrator all; an HR
    officer their subtree; a trainer their scope unit's subtree, or every unit
    when they have none (provincial trainers teach everywhere)."""
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    if user.is_administrator:
        return OrgUnit.objects.all()
    if user.is_hr_officer and user.scope_unit_id:
        return unit_subtree(user.scope_unit)
    if user.is_trainer:
        return unit_subtree(user.scope_unit) if user.scope_unit_id else OrgUnit.objects.all()
    return OrgUnit.objects.none()


def sessions_visible_to(user: User) -> QuerySet[TrainingSession]:
    if not user.is_authenticated:
        return TrainingSession.objects.none()
    if user.is_administrator:
        return TrainingSession.objects.all()
    if not (user.is_hr_officer or user.is_trainer):
        return TrainingSession.objects.none()
    in_units = Q(organiser_unit__in=organiser_units_for(user))
    if user.is_trainer:
        in_units |= Q(
            pk__in=TrainingSession.trainers.through.objects.filter(user=user).values(
                "trainingsession_id"
            )
        )
    return TrainingSession.objects.filter(in_units)


def series_visible_to(user: User) -> QuerySet[TrainingSeries]:
    if not user.is_authenticated or not (
        user.is_administrator or user.is_hr_officer or user.is_trainer
    ):
        return TrainingSeries.objects.none()
    return TrainingSeries.objects.filter(organiser_unit__in=organiser_units_for(user))


def may_organise(user: User, session: TrainingSession) -> bool:
    return sessions_visible_to(user).filter(pk=session.pk).exists()


def session_for_organiser(user: User, pk) -> TrainingSession:
    try:
        session = sessions_visible_to(user).select_related("organiser_unit").filter(pk=pk).first()
    except (TypeError, ValueError):
        session = None
    if session is None:
        raise Http404
    return session


def session_for_checkin(pk) -> TrainingSession | None:
    """Any session by id: the signed code, not the id, is what a cadre proves."""
    try:
        return TrainingSession.objects.filter(pk=pk).first()
    except (TypeError, ValueError):
        return None


def _sessions_open(at: dt.datetime, *, near: str, is_open) -> list[TrainingSession]:
    """Sessions whose ``near`` (start or end) is within a day of ``at`` and
    for which ``is_open(session, at)`` (few at any moment)."""
    horizon = dt.timedelta(hours=24)
    candidates = TrainingSession.objects.filter(
        **{f"{near}__gte": at - horizon, f"{near}__lte": at + horizon}
    )
    return [s for s in candidates if is_open(s, at)]


def sessions_open_for_checkin(at: dt.datetime) -> list[TrainingSession]:
    """Sessions whose check-in period contains ``at``."""
    return _sessions_open(at, near="starts_at", is_open=TrainingSession.checkin_open)


def sessions_open_for_checkout(at: dt.datetime) -> list[TrainingSession]:
    """Sessions whose check-out period contains ``at``."""
    return _sessions_open(at, near="ends_at", is_open=TrainingSession.checkout_open)


def population_cadres(session: TrainingSession, *, on: dt.date | None = None) -> QuerySet[Cadre]:
    """The cadres the session's unit and filters name (active, on ``on``)."""
    if session.invite_unit_id is None:
        return Cadre.objects.none()
    unit = session.invite_unit
    memberships = memberships_on(on or timezone.localdate()).filter(
        unit__path__startswith=unit.path, unit__depth__gte=unit.depth
    )
    if session.full_time_only:
        memberships = memberships.filter(is_full_time=True)
    if session.position_list:
        memberships = memberships.filter(position__in=session.position_list)
    return Cadre.objects.filter(status=Cadre.Status.ACTIVE, pk__in=memberships.values("cadre_id"))


def session_invitees(session: TrainingSession) -> QuerySet[Cadre]:
    return Cadre.objects.filter(training_invitations__session=session).order_by("sort_key", "pk")


def is_invited(session: TrainingSession, cadre: Cadre) -> bool:
    return Invitation.objects.filter(session=session, cadre=cadre).exists()


def cadre_unit_names(cadre_ids, *, on: dt.date | None = None) -> dict[int, tuple[str, str]]:
    """(unit name, position) of each cadre's membership on ``on``: one query."""
    rows = (
        memberships_on(on or timezone.localdate())
        .filter(cadre_id__in=cadre_ids)
        .order_by("cadre_id", "-valid_from")
        .values_list("cadre_id", "unit__name", "position")
    )
    found: dict[int, tuple[str, str]] = {}
    for cadre_id, unit_name, position in rows:
        found.setdefault(cadre_id, (unit_name, position))
    return found


def session_roster(session: TrainingSession, *, unit: OrgUnit | None = None) -> list[dict]:
    """Invitees and walk-ins with their attendance, for the tick list, sheet and report:
    three queries whatever their number."""
    invitations = {
        inv.cadre_id: inv
        for inv in Invitation.objects.filter(session=session).select_related("cadre")
    }
    attendances = {
        att.cadre_id: att
        for att in Attendance.objects.filter(session=session).select_related("cadre")
    }
    cadres = {inv.cadre_id: inv.cadre for inv in invitations.values()}
    cadres.update({att.cadre_id: att.cadre for att in attendances.values()})
    units = cadre_unit_names(cadres.keys(), on=timezone.localtime(session.starts_at).date())
    rows = []
    for cadre_id, cadre in cadres.items():
        unit_name, position = units.get(cadre_id, ("", ""))
        rows.append(
            {
                "cadre": cadre,
                "unit": unit_name,
                "position": position,
                "invitation": invitations.get(cadre_id),
                "attendance": attendances.get(cadre_id),
            }
        )
    if unit is not None:
        names = set(unit_subtree(unit).values_list("name", flat=True))
        rows = [row for row in rows if row["unit"] in names]
    rows.sort(key=lambda row: (row["unit"], row["cadre"].sort_key, row["cadre"].pk))
    return rows


def session_counts_by_unit(session: TrainingSession) -> list[dict]:
    """Per unit: invited, present, late, excused, absent (no record counts as absent)."""
    by_unit: dict[str, dict] = {}
    for row in session_roster(session):
        counts = by_unit.setdefault(
            row["unit"],
            {
                "unit": row["unit"],
                "invited": 0,
                "present": 0,
                "late": 0,
                "excused": 0,
                "absent": 0,
                "walk_in": 0,
            },
        )
        attendance = row["attendance"]
        if row["invitation"] is not None:
            counts["invited"] += 1
        elif attendance is not None and attendance.walk_in:
            counts["walk_in"] += 1
        status = attendance.status if attendance and attendance.revoked_at is None else None
        key = {
            Attendance.Status.PRESENT: "present",
            Attendance.Status.LATE: "late",
            Attendance.Status.EXCUSED: "excused",
        }.get(status, "absent")
        counts[key] += 1
    return sorted(by_unit.values(), key=lambda c: c["unit"])


def sessions_for_cadre(user: User) -> list[dict]:
    """The signed-in cadre's invited sessions that have not ended, soonest first."""
    cadre = cadre_of(user)
    if cadre is None:
        return []
    now = timezone.now()
    invitations = (
        Invitation.objects.filter(cadre=cadre, session__ends_at__gte=now)
        .select_related("session")
        .order_by("session__starts_at", "session_id")
    )
    attended = dict(
        Attendance.objects.filter(
            cadre=cadre, session__in=[inv.session_id for inv in invitations]
        ).values_list("session_id", "status")
    )
    return [
        {"session": inv.session, "invitation": inv, "status": attended.get(inv.session_id)}
        for inv in invitations
    ]


def invitation_for_cadre(user: User, session_id) -> Invitation:
    cadre = cadre_of(user)
    try:
        invitation = (
            Invitation.objects.filter(cadre=cadre, session_id=session_id)
            .select_related("session", "cadre")
            .first()
            if cadre is not None
            else None
        )
    except (TypeError, ValueError):
        invitation = None
    if invitation is None:
        raise Http404
    return invitation


def sessions_list_for_organiser(user: User) -> QuerySet[TrainingSession]:
    return (
        sessions_visible_to(user)
        .select_related("organiser_unit")
        .annotate(
            invited=Count("invitations", distinct=True),
            attended=Count("attendances", filter=_counting_from_session(), distinct=True),
        )
        .order_by("-starts_at", "-pk")
    )


def _counting_from_session() -> Q:
    """``models.counting_attendances`` seen from a session's attendances: the
    one rule for "attended" on the session list and in the period report."""
    organiser_sources = [
        source for source in Attendance.Source.values if source not in Attendance.SELF_SOURCES
    ]
    return Q(
        attendances__status__in=Attendance.COUNTING,
        attendances__revoked_at__isnull=True,
        attendances__accepted=True,
    ) & (
        Q(requires_checkout=False)
        | Q(attendances__checked_out_at__isnull=False)
        | Q(attendances__source__in=organiser_sources)
    )


def unit_period_summary(user: User, unit: OrgUnit, start: dt.date, end: dt.date) -> dict:
    """Sessions organised in the unit's subtree between two days (inclusive):
    each with invited and attended (attendance that counts: a self check-in
    without the check-out a session requires does not), the overall attendance
    rate, and the invited cadres who were present at none of them. Four queries."""
    from django.db.models import Exists, OuterRef

    sessions = list(
        sessions_visible_to(user)
        .select_related("organiser_unit")
        .filter(
            organiser_unit__path__startswith=unit.path,
            organiser_unit__depth__gte=unit.depth,
            starts_at__date__gte=start,
            starts_at__date__lte=end,
        )
        .annotate(
            invited=Count("invitations", distinct=True),
            attended=Count("attendances", filter=_counting_from_session(), distinct=True),
        )
        .order_by("starts_at", "pk")
    )
    invited = sum(s.invited for s in sessions)
    attended = sum(s.attended for s in sessions)
    present = counting_attendances().filter(
        cadre=OuterRef("pk"), session__in=[s.pk for s in sessions]
    )
    never = (
        Cadre.objects.filter(training_invitations__session__in=[s.pk for s in sessions])
        .exclude(Exists(present))
        .distinct()
        .order_by("sort_key", "pk")
    )
    return {
        "sessions": sessions,
        "invited": invited,
        "attended": attended,
        "rate": round(100 * attended / invited) if invited else None,
        "never": list(never[:500]),
    }
