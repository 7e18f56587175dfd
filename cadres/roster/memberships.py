"""A cadre's place in units over time: the one module that changes memberships.

The cadre page (:func:`cadres.services.cadre_move`), the roster import and a
restructuring all move cadres through :func:`moves_apply`, and cadres leave
through :func:`leavers_apply`. Memberships are the denominator of every
completion report, so the rules live here once:

- **Dates.** A move on day *D* closes the current period on *D − 1* and opens
  the new one on *D*; a report as of *D − 1* still sees the old unit.
- **No overlaps.** A cadre has at most one period without an end (the *open*
  one). A move dated on or before the open period's first day corrects that
  period (unit, position, full-time) instead of opening a second one.
- **Announced moves.** An open period may start in the future (a move already
  announced). The cadre page refuses a move or a departure dated before it
  (:func:`move_check`, :func:`leave_check`); a period with an announced end
  passes that end on to its successor (a restructuring keeps it).
- **Leaving.** The open period ends on the day left, the cadre is marked as
  having left, their login is switched off; history stays.
- **Re-joining.** Moving a cadre who left into a unit makes them active again.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ..caching import data_changed
from ..errors import ApplicationError
from ..models import Cadre, Membership, User

BATCH = 1000


class MembershipError(ApplicationError):
    """The move or departure breaks a rule of the membership timeline."""


@dataclass(frozen=True)
class Move:
    """Put ``cadre_id`` in ``unit_id`` from ``on``; position and full-time
    default to those of the period being closed."""

    cadre_id: int
    unit_id: int
    on: dt.date
    position: str | None = None
    is_full_time: bool | None = None


@dataclass
class MovesResult:
    opened: list[Membership] = field(default_factory=list)
    corrected: list[Membership] = field(default_factory=list)
    closed: list[Membership] = field(default_factory=list)
    rejoined: list[int] = field(default_factory=list)


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def open_memberships(cadre_ids: list[int], *, lock: bool = False) -> dict[int, Membership]:
    """Each cadre's open period (the latest one without an end)."""
    found: dict[int, Membership] = {}
    for chunk in _chunks(sorted(set(cadre_ids))):
        query = Membership.objects.filter(cadre_id__in=chunk, valid_to__isnull=True)
        if lock:
            query = query.select_for_update()
        for membership in query.order_by("valid_from", "pk"):
            found[membership.cadre_id] = membership
    return found


def crossing(day: dt.date) -> Q:
    """Periods that began before ``day`` and still run on it."""
    return Q(valid_from__lt=day) & (Q(valid_to__isnull=True) | Q(valid_to__gte=day))


def membership_start(
    *, cadre: Cadre, unit_id: int, on: dt.date, position: str = "", is_full_time: bool = False
) -> Membership:
    """A new cadre's first period."""
    data_changed()
    return Membership.objects.create(
        cadre=cadre, unit_id=unit_id, position=position, is_full_time=is_full_time, valid_from=on
    )


def move_check(*, current: Membership | None, unit_id: int, on: dt.date) -> None:
    """The cadre page's rules for one move; raise MembershipError when it breaks one."""
    if current is not None and on <= current.valid_from:
        raise MembershipError(_("The move date must be after the current membership began."))
    if current is not None and current.unit_id == unit_id:
        raise MembershipError(_("The cadre is already in this unit."))


def leave_check(*, cadre: Cadre, current: Membership | None, on: dt.date) -> None:
    if cadre.status != Cadre.Status.ACTIVE:
        raise MembershipError(_("The cadre has already left."))
    if current is not None and on < current.valid_from:
        raise MembershipError(_("The date left must not be before the membership began."))


def moves_apply(moves: list[Move], *, current: dict[int, Membership]) -> MovesResult:
    """Write ``moves`` in bulk. ``current`` maps a cadre to the period a move
    closes (its open one; for a restructuring, the one crossing the date)."""
    result = MovesResult()
    for move in moves:
        period = current.get(move.cadre_id)
        position = move.position
        if position is None:
            position = period.position if period is not None else ""
        full_time = move.is_full_time
        if full_time is None:
            full_time = period.is_full_time if period is not None else False
        if period is not None and period.valid_from >= move.on:
            period.unit_id, period.position, period.is_full_time = (
                move.unit_id,
                position,
                full_time,
            )
            result.corrected.append(period)
            continue
        announced_end = None
        if period is not None:
            announced_end = period.valid_to
            period.valid_to = move.on - dt.timedelta(days=1)
            result.closed.append(period)
        result.opened.append(
            Membership(
                cadre_id=move.cadre_id,
                unit_id=move.unit_id,
                position=position,
                is_full_time=full_time,
                valid_from=move.on,
                valid_to=announced_end,
            )
        )
    _write(result)
    # Re-joining: a period without an end for someone who left.
    result.rejoined = _rejoin(
        [p.cadre_id for p in (*result.opened, *result.corrected) if p.valid_to is None]
    )
    return result


def _write(result: MovesResult) -> None:
    data_changed()
    # One UPDATE per closing date (not a CASE per row, slow for thousands).
    by_end: dict[dt.date, list[int]] = {}
    for period in result.closed:
        by_end.setdefault(period.valid_to, []).append(period.pk)
    for end, pks in by_end.items():
        for chunk in _chunks(pks):
            Membership.objects.filter(pk__in=chunk).update(valid_to=end)
    for period in result.corrected:
        period.save(update_fields=["unit", "position", "is_full_time"])
    Membership.objects.bulk_create(result.opened, batch_size=BATCH)


def _rejoin(cadre_ids: list[int]) -> list[int]:
    rejoined = []
    for chunk in _chunks(sorted(set(cadre_ids))):
        left = list(
            Cadre.objects.filter(pk__in=chunk, status=Cadre.Status.LEFT).values_list(
                "pk", flat=True
            )
        )
        if left:
            Cadre.objects.filter(pk__in=left).update(
                status=Cadre.Status.ACTIVE, left_on=None, updated_at=timezone.now()
            )
            rejoined.extend(left)
    return rejoined


@dataclass(frozen=True)
class Leaver:
    cadre_id: int
    on: dt.date


def leavers_apply(leavers: list[Leaver]) -> dict[int, int | None]:
    """Mark cadres as having left on their day, in a few queries per thousand.

    Returns each leaver's unit (that of the period that ended), for the audit."""
    from ..accounts.backends import forget_user

    data_changed()
    units: dict[int, int | None] = {leaver.cadre_id: None for leaver in leavers}
    for cadre_id, period in open_memberships(list(units)).items():
        units[cadre_id] = period.unit_id
    by_day: dict[dt.date, list[int]] = {}
    for leaver in leavers:
        by_day.setdefault(leaver.on, []).append(leaver.cadre_id)
    for day, ids in by_day.items():
        for chunk in _chunks(ids):
            Membership.objects.filter(cadre_id__in=chunk, valid_to__isnull=True).update(
                valid_to=day
            )
            Cadre.objects.filter(pk__in=chunk).update(
                status=Cadre.Status.LEFT, left_on=day, updated_at=timezone.now()
            )
    for chunk in _chunks(list(units)):
        user_ids = list(
            Cadre.objects.filter(pk__in=chunk, user__isnull=False).values_list("user_id", flat=True)
        )
        User.objects.filter(pk__in=user_ids).update(is_active=False)
        for user_id in user_ids:
            forget_user(user_id)
    return units
