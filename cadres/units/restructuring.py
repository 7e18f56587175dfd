"""Merging, splitting and renaming units on a date, from a conversion table.

The table is read as published (``new_code,new_name,old_code,old_name,
old_district,old_province,note`` — see ``cadres/data/thai_nguyen_succession_2025.csv``),
spelling variants included. On the effective date every membership open in an
old unit is closed the day before and reopened in the successor, so an as-of
report before the date still sees the old units. A split unit's cadres go
where the HR officer says, one by one: never guessed.
"""

import datetime as dt
import io
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from ..caching import data_changed
from ..errors import ApplicationError
from ..models import Membership, OrgUnit, Restructuring, Succession, UnitAlias, UnitCode, User
from ..roster import memberships
from ..services import audit_record, file_sha256
from ..text import fold, nfc
from .tables import (
    SUCCESSION_COLUMNS,
    SUCCESSION_KINDS,
    UnitImportError,
    _read_rows,
    read_table_text,
)
from .tree import unit_core, units_in_scope


class RestructuringError(ApplicationError):
    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class Edge:
    number: int
    old: OrgUnit
    new: OrgUnit
    kind: str


@dataclass
class RestructuringPlan:
    effective_date: dt.date
    edges: list[Edge] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # old unit id → memberships to move and the successors they may go to
    moves: dict[int, list[Membership]] = field(default_factory=dict)
    successors: dict[int, list[OrgUnit]] = field(default_factory=dict)
    undecided: list[Membership] = field(default_factory=list)

    @property
    def splits(self) -> dict[int, list[OrgUnit]]:
        return {old: units for old, units in self.successors.items() if len(units) > 1}

    @property
    def membership_count(self) -> int:
        return sum(len(items) for items in self.moves.values())


def _names(unit: OrgUnit, aliases: dict[int, set[str]]) -> set[str]:
    return {unit_core(unit.name)} | aliases.get(unit.pk, set())


def restructuring_plan(
    *,
    data: bytes,
    effective_date: dt.date,
    user: User | None,
    split_choices: dict | None = None,
) -> RestructuringPlan:
    """Read the table and say what applying it on ``effective_date`` would move."""
    split_choices = split_choices or {}
    plan = RestructuringPlan(effective_date=effective_date)
    try:
        rows = _read_rows(io.BytesIO(data), SUCCESSION_COLUMNS, "")
    except UnitImportError as exc:
        plan.errors.extend(exc.errors)
        return plan
    if not rows:
        plan.errors.append(_("The file is empty."))
        return plan
    scope, _everywhere = units_in_scope(user)
    units = {unit.pk: unit for unit in scope}
    codes: dict[str, list[UnitCode]] = {}
    for unit_code in UnitCode.objects.filter(unit_id__in=list(units)):
        codes.setdefault(unit_code.code, []).append(unit_code)
    aliases: dict[int, set[str]] = {}
    for alias in UnitAlias.objects.filter(unit_id__in=list(units)):
        aliases.setdefault(alias.unit_id, set()).add(unit_core(alias.name))
    day_before = effective_date - dt.timedelta(days=1)

    def find(code: str, name: str, day: dt.date, number: int, column: str) -> OrgUnit | None:
        holders = [
            units[c.unit_id]
            for c in codes.get(code.strip(), ())
            if c.is_valid_on(day) and units[c.unit_id].is_valid_on(day)
        ]
        named = [u for u in holders if unit_core(name) in _names(u, aliases)]
        found = named or holders
        if len(found) == 1:
            return found[0]
        if not found:
            plan.errors.append(
                _(
                    "Row %(row)d, column %(column)s: no unit you manage has the code "
                    "“%(code)s” on %(day)s."
                )
                % {"row": number, "column": column, "code": code, "day": day.strftime("%d/%m/%Y")}
            )
        else:
            plan.errors.append(
                _("Row %(row)d, column %(column)s: the code “%(code)s” matches several units.")
                % {"row": number, "column": column, "code": code}
            )
        return None

    for number, row in rows:
        kind = SUCCESSION_KINDS.get(fold(row.get("note")))
        if kind is None:
            plan.errors.append(
                _("Row %(row)d, column note: unknown kind of change “%(note)s”.")
                % {"row": number, "note": nfc(row.get("note"))}
            )
            continue
        old = find(
            row.get("old_code") or "", row.get("old_name") or "", day_before, number, "old_code"
        )
        new = find(
            row.get("new_code") or "", row.get("new_name") or "", effective_date, number, "new_code"
        )
        if old is None or new is None:
            continue
        if kind == Succession.Kind.UNCHANGED and unit_core(old.name) != unit_core(new.name):
            kind = Succession.Kind.RENAME
        plan.edges.append(Edge(number=number, old=old, new=new, kind=kind))
        if old.pk != new.pk:
            successors = plan.successors.setdefault(old.pk, [])
            if new not in successors:
                successors.append(new)

    _crossing_memberships(plan, split_choices)
    return plan


def _crossing_memberships(plan: RestructuringPlan, split_choices: dict) -> None:
    """The memberships the date cuts in units that end, and those of split units
    whose new unit the officer has not chosen yet."""
    effective_date = plan.effective_date
    for membership in (
        Membership.objects.filter(
            memberships.crossing(effective_date), unit_id__in=list(plan.successors)
        )
        .select_related("cadre", "unit")
        .order_by("unit_id", "cadre__sort_key")
    ):
        plan.moves.setdefault(membership.unit_id, []).append(membership)
        choices = plan.successors[membership.unit_id]
        if len(choices) > 1:
            chosen = str(split_choices.get(str(membership.cadre_id), ""))
            if chosen not in {str(u.pk) for u in choices}:
                plan.undecided.append(membership)


def restructuring_start(
    *, data: bytes, file_name: str, effective_date: dt.date, legal_basis: str, by: User | None
) -> Restructuring:
    plan = restructuring_plan(data=data, effective_date=effective_date, user=by)
    if plan.errors:
        raise RestructuringError(plan.errors)
    if not plan.edges:
        raise RestructuringError([_("The table changes no unit you manage.")])
    return Restructuring.objects.create(
        created_by=by if by is not None and by.pk else None,
        effective_date=effective_date,
        legal_basis=nfc(legal_basis),
        file_name=nfc(file_name)[:255],
        sha256=file_sha256(data),
        content=read_table_text(data),
    )


def _close_old_units(plan: RestructuringPlan, day: dt.date) -> list[int]:
    """Units that end close the day before, with their codes."""
    day_before = day - dt.timedelta(days=1)
    closed_units = []
    for old_id in plan.successors:
        old = next(e.old for e in plan.edges if e.old.pk == old_id)
        if old.valid_to is None or old.valid_to > day_before:
            old.valid_to = day_before
            old.save(update_fields=["valid_to"])
            closed_units.append(old.pk)
        UnitCode.objects.filter(unit=old, valid_to__isnull=True).filter(
            Q(valid_from__isnull=True) | Q(valid_from__lt=day)
        ).update(valid_to=day_before)
    return closed_units


def restructuring_apply(
    *, restructuring: Restructuring, by: User | None, split_choices: dict | None = None
) -> dict:
    """Close old units the day before, link successors, move memberships. All
    or nothing; the choices made for a split unit's cadres are kept even when
    the apply is refused (some are missing, the table has errors)."""
    with transaction.atomic():
        locked = Restructuring.objects.select_for_update().get(pk=restructuring.pk)
        if locked.status == Restructuring.Status.DONE:
            return locked.summary
        choices = {**locked.split_choices, **(split_choices or {})}
        plan = restructuring_plan(
            data=locked.content.encode(),
            effective_date=locked.effective_date,
            user=by,
            split_choices=choices,
        )
        if not plan.errors and not plan.undecided:
            return _apply(locked, plan, choices, by)
        locked.split_choices = choices
        locked.save(update_fields=["split_choices"])
    raise RestructuringError(
        plan.errors
        or [
            _("Choose the new unit of every cadre of a split unit (%(n)d left).")
            % {"n": len(plan.undecided)}
        ]
    )


def _apply(locked: Restructuring, plan, choices: dict, by: User | None) -> dict:
    data_changed()
    day = locked.effective_date
    closed_units = _close_old_units(plan, day)
    successions = 0
    for edge in plan.edges:
        if edge.old.pk == edge.new.pk:
            continue
        _obj, created = Succession.objects.get_or_create(
            predecessor=edge.old,
            successor=edge.new,
            effective_date=day,
            defaults={"kind": edge.kind, "legal_basis": locked.legal_basis},
        )
        successions += created
    moves, current, moved = [], {}, []
    for old_id, crossing_periods in plan.moves.items():
        targets = plan.successors[old_id]
        for membership in crossing_periods:
            target = (
                targets[0]
                if len(targets) == 1
                else next(u for u in targets if str(u.pk) == str(choices[str(membership.cadre_id)]))
            )
            current[membership.cadre_id] = membership
            moves.append(memberships.Move(cadre_id=membership.cadre_id, unit_id=target.pk, on=day))
            moved.append((membership.cadre_id, target.pk, old_id))
    memberships.moves_apply(moves, current=current)
    summary = {
        "effective_date": day.isoformat(),
        "legal_basis": locked.legal_basis,
        "units_closed": closed_units,
        "successions_created": successions,
        "memberships_moved": len(moved),
    }
    audit_record(
        action="unit.restructure",
        actor=by,
        unit=by.scope_unit if by is not None and by.is_hr_officer else None,
        obj=locked,
        data={
            **summary,
            "file": locked.file_name,
            "sha256": locked.sha256,
            "moves": [[c, new, old] for c, new, old in moved],
        },
    )
    locked.status = Restructuring.Status.DONE
    locked.split_choices = choices
    locked.summary = summary
    locked.save(update_fields=["status", "split_choices", "summary"])

    from ..roster.importing.writing import joiners_enqueue

    joiners_enqueue([(c, new) for c, new, _old in moved])
    return summary
