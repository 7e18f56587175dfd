"""Writes to the roster (cadres joining, moving, leaving). Accounts' writes
(roles, activation codes) live in :mod:`cadres.accounts.services`; the audit
log's and notifications' writes live in their packages and are importable from
here as before."""

import datetime as dt

from django.db import transaction
from django.http import HttpRequest

from .audit.services import audit_record, file_sha256
from .models import Cadre, Membership, OrgUnit, User
from .notifications.services import notification_mark_read, notification_send
from .roster import memberships
from .selectors import open_membership
from .text import nfc

__all__ = [
    "audit_record",
    "file_sha256",
    "notification_mark_read",
    "notification_send",
]


@transaction.atomic
def cadre_create(
    *,
    family_name: str,
    given_name: str,
    unit: OrgUnit,
    valid_from: dt.date,
    position: str = "",
    is_full_time: bool = False,
    phone: str | None = None,
    email: str = "",
    cadre_code: str | None = None,
    national_id: str | None = None,
    date_of_birth: dt.date | None = None,
    by: User | None = None,
) -> Cadre:
    cadre = Cadre.objects.create(
        family_name=family_name,
        given_name=given_name,
        phone=phone or None,
        email=nfc(email),
        cadre_code=cadre_code or None,
        national_id=national_id or None,
        date_of_birth=date_of_birth,
    )
    memberships.membership_start(
        cadre=cadre,
        unit_id=unit.pk,
        on=valid_from,
        position=nfc(position),
        is_full_time=is_full_time,
    )
    transaction.on_commit(lambda: _announce_joined(cadre.pk, unit.pk))
    if by is not None:
        audit_record(action="cadre.create", actor=by, unit=unit, obj=cadre)
    return cadre


def _announce_joined(cadre_id: int, unit_id: int) -> None:
    from .signals import cadre_joined_unit

    cadre_joined_unit.send(sender=Cadre, cadre_id=cadre_id, unit_id=unit_id)


@transaction.atomic
def cadre_move(
    *,
    cadre: Cadre,
    unit: OrgUnit,
    on: dt.date,
    position: str | None = None,
    is_full_time: bool | None = None,
    by: User | None = None,
    request: HttpRequest | None = None,
) -> Membership:
    """Move a cadre to ``unit`` from ``on`` (the rules are :mod:`cadres.roster.memberships`');
    raise MembershipError when the cadre page's rules refuse it."""
    current = memberships.open_memberships([cadre.pk], lock=True).get(cadre.pk)
    memberships.move_check(current=current, unit_id=unit.pk, on=on)
    from_unit = current.unit_id if current is not None else None
    result = memberships.moves_apply(
        [
            memberships.Move(
                cadre_id=cadre.pk,
                unit_id=unit.pk,
                on=on,
                position=nfc(position) if position is not None else None,
                is_full_time=is_full_time,
            )
        ],
        current={cadre.pk: current} if current is not None else {},
    )
    if result.rejoined:
        cadre.refresh_from_db(fields=["status", "left_on"])
    audit_record(
        action="cadre.move",
        actor=by,
        request=request,
        unit=unit,
        obj=cadre,
        data={"from": from_unit, "to": unit.pk, "on": on.isoformat()},
    )
    transaction.on_commit(lambda: _announce_joined(cadre.pk, unit.pk))
    return (result.opened or result.corrected)[0]


@transaction.atomic
def cadre_deactivate(
    *, cadre: Cadre, on: dt.date, by: User | None = None, request: HttpRequest | None = None
) -> Cadre:
    """A cadre who left stays on record with their history; only the login goes.
    Raise MembershipError when the date is before their current period began."""
    last = open_membership(cadre)
    memberships.leave_check(cadre=cadre, current=last, on=on)
    memberships.leavers_apply([memberships.Leaver(cadre_id=cadre.pk, on=on)])
    cadre.refresh_from_db(fields=["status", "left_on", "updated_at"])
    audit_record(
        action="cadre.deactivate",
        actor=by,
        request=request,
        unit=last.unit if last is not None else None,
        obj=cadre,
        data={"on": on.isoformat()},
    )
    return cadre
