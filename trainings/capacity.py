"""A session's capacity (seats in the hall, places in the meeting).

What an organiser expects, and what these rules do:

- Invitations are promises of a seat: inviting more people than the capacity
  is refused as a whole, with nothing invited, and the organiser raises the
  capacity or narrows who is invited. Declining gives the seat back.
- An invitee keeps their seat until check-in closes, whether or not they have
  arrived yet; afterwards only those present hold one.
- A walk-in (not invited) who checks in is always recorded, then waits for the
  organiser (the waiting list); when every seat is held they are told so.
  Accepting a walk-in is refused while every seat is held.
- A tick on the paper sheet or a meeting report records what happened and is
  never refused for capacity.
"""

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Attendance, Invitation, TrainingSession


class CapacityExceeded(ValueError):
    """The session has no seat left for this; nothing was changed."""


def seats_held(session: TrainingSession, *, at: dt.datetime | None = None) -> int:
    """Accepted cadres present, plus, while check-in is open or ahead, invitees
    who have not declined and have no attendance recorded yet."""
    at = at or timezone.now()
    present = Attendance.objects.filter(
        session=session, status__in=Attendance.COUNTING, revoked_at__isnull=True, accepted=True
    ).count()
    if at > session.checkin_closes_at:
        return present
    waiting = (
        Invitation.objects.filter(session=session, declined_at__isnull=True)
        .exclude(cadre_id__in=Attendance.objects.filter(session=session).values("cadre_id"))
        .count()
    )
    return present + waiting


def session_full(session: TrainingSession, *, at: dt.datetime | None = None) -> bool:
    return session.capacity is not None and seats_held(session, at=at) >= session.capacity


def invitations_check(*, session: TrainingSession, adding: int) -> None:
    """Raise CapacityExceeded when ``adding`` new invitations would promise
    more seats than the session has."""
    if session.capacity is None or adding <= 0:
        return
    holding = Invitation.objects.filter(session=session, declined_at__isnull=True).count()
    if holding + adding > session.capacity:
        raise CapacityExceeded(
            _(
                "This session has %(capacity)s seats; inviting %(adding)s more would make "
                "%(total)s invitations. Raise the capacity or narrow who is invited: "
                "nobody new was invited."
            )
            % {"capacity": session.capacity, "adding": adding, "total": holding + adding}
        )


def walk_in_accept_check(*, session: TrainingSession, at: dt.datetime | None = None) -> None:
    """Raise CapacityExceeded when accepting one more walk-in would go past the capacity."""
    if session_full(session, at=at):
        raise CapacityExceeded(
            _(
                "All %(capacity)s seats are held (invitees who have not declined keep "
                "theirs until check-in closes): the walk-in stays on the waiting list."
            )
            % {"capacity": session.capacity}
        )
