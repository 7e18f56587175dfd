"""Reading HR roster spreadsheets and planning what an import would change.

Nothing here writes: :mod:`cadres.roster.importing.services` applies a plan. The steps are

1. :func:`read_sheet` turns bytes (XLSX or CSV in any usual encoding) into a
   header and rows, or raises :class:`RosterFileError` with a message for HR;
2. :func:`guess_mapping` maps columns to fields from the usual Vietnamese
   headers (and the officer's remembered mapping);
3. :func:`plan_import` parses every row, matches cadres (code, then national
   ID, then phone) and units (code or name, diacritic- and prefix-blind), and
   says for each row: create, update, move, deactivate, unchanged or rejected.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from ...models import Cadre, Membership, OrgUnit
from ...text import nfc
from .cells import RowParser
from .mapping import FIELDS, IDENTIFIERS, column_label
from .matching import UnitMatcher, unit_core, unit_path_label
from .reading import Sheet

_column_label = column_label

# --- planning ------------------------------------------------------------------------

CREATE, UPDATE, MOVE, DEACTIVATE, UNCHANGED, REJECTED = (
    "create",
    "update",
    "move",
    "deactivate",
    "unchanged",
    "rejected",
)
ACTIONS = (CREATE, UPDATE, MOVE, DEACTIVATE, UNCHANGED, REJECTED)


@dataclass
class PlanRow:
    number: int
    action: str = UNCHANGED
    cadre_id: int | None = None
    family_name: str = ""
    given_name: str = ""
    split: bool = False
    unit_id: int | None = None
    values: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    ambiguous: str = ""

    def as_json(self) -> dict:
        return {
            "number": self.number,
            "action": self.action,
            "cadre_id": self.cadre_id,
            "family_name": self.family_name,
            "given_name": self.given_name,
            "split": self.split,
            "unit_id": self.unit_id,
            "values": self.values,
            "changes": self.changes,
            "errors": self.errors,
        }


@dataclass
class Plan:
    rows: list[PlanRow]
    ambiguities: dict = field(default_factory=dict)
    on: dt.date = field(default_factory=timezone.localdate)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def rejected(self) -> list[PlanRow]:
        return [row for row in self.rows if row.action == REJECTED]

    @property
    def ok(self) -> bool:
        return not self.rejected and bool(self.rows)

    def as_json(self) -> dict:
        return {
            "rows": [row.as_json() for row in self.rows],
            "ambiguities": self.ambiguities,
            "on": self.on.isoformat(),
        }


def plan_import(
    sheet: Sheet,
    *,
    mapping: dict[str, str],
    unit: OrgUnit,
    scope: list[OrgUnit],
    everywhere: bool = False,
    name_overrides: dict | None = None,
    unit_choices: dict | None = None,
    on: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """Decide what importing ``sheet`` would do; reads the database, writes nothing.
    The whole plan in memory: for a file of any size use :class:`Planner`."""
    planner = Planner(
        headers=sheet.headers,
        mapping=mapping,
        unit=unit,
        scope=scope,
        everywhere=everywhere,
        name_overrides=name_overrides or {},
        unit_choices=unit_choices or {},
        on=on or timezone.localdate(),
    )
    plan = Plan(rows=[], on=planner.on, ambiguities=planner.ambiguities)
    total = sheet.total
    for batch in planner.batches(sheet.rows):
        plan.rows.extend(batch)
        if progress:
            progress(planner.done, max(total, planner.done))
    if progress:
        progress(planner.done, planner.done)
    return plan


PLAN_BATCH = 2000
# An ambiguous unit names its first rows only (the page shows 20 and "…").
AMBIGUOUS_ROWS_KEPT = 100


@dataclass
class Planner:
    """Plans a file batch by batch, remembering across batches only what a later
    row needs: identifiers already seen, cadres already matched, ambiguous units
    and the counts. Each batch reads its cadres from the database in a few queries."""

    headers: list[str]
    mapping: dict[str, str]
    unit: OrgUnit
    scope: list[OrgUnit]
    everywhere: bool = False
    name_overrides: dict = field(default_factory=dict)
    unit_choices: dict = field(default_factory=dict)
    on: dt.date = field(default_factory=timezone.localdate)
    batch_size: int = PLAN_BATCH

    def __post_init__(self):
        self.columns = {t: int(i) for i, t in self.mapping.items() if t in FIELDS}
        self.parser = RowParser(
            columns=self.columns, headers=self.headers, name_overrides=self.name_overrides
        )
        self.matcher = UnitMatcher(self.scope, everywhere=self.everywhere)
        self.scope_ids = {u.pk for u in self.scope}
        self.seen: dict[tuple[str, str], int] = {}
        self.seen_cadres: dict[int, int] = {}
        self.ambiguities: dict = {}
        self.counts = dict.fromkeys(ACTIONS, 0)
        self.done = 0

    def batches(self, rows: Iterable[tuple[int, list]]):
        """Plan ``rows`` (number, cells) and yield the planned rows a batch at a time."""
        batch = []
        for numbered in rows:
            batch.append(numbered)
            if len(batch) >= self.batch_size:
                yield self.plan_batch(batch)
                batch = []
        if batch:
            yield self.plan_batch(batch)

    def plan_batch(self, rows: list[tuple[int, list]]) -> list[PlanRow]:
        parsed = []
        for number, cells in rows:
            row = PlanRow(number=number)
            parsed.append((row, self._parse_cells(cells, row)))
        existing = _load_existing(parsed)
        for row, values in parsed:
            self._plan_row(row, values, existing)
            self.counts[row.action] += 1
        self.done += len(parsed)
        return [row for row, _values in parsed]

    def _plan_row(self, row: PlanRow, values: dict, existing) -> None:
        self._check_duplicates(row, values)
        target = self._resolve_unit(row, values)
        if not row.errors:
            row.unit_id = target.pk
            self._decide(row, values, target, existing)
        if row.errors:
            row.action = REJECTED

    def _parse_cells(self, cells, row: PlanRow) -> dict:
        return self.parser.parse(cells, row)

    def _check_duplicates(self, row: PlanRow, values: dict) -> None:
        for key in IDENTIFIERS:
            value = values.get(key)
            if not value:
                continue
            folded = value.upper() if key == "cadre_code" else value
            first = self.seen.get((key, folded))
            if first is not None:
                row.errors.append(
                    (
                        _column_label(self.headers, self.columns[key]),
                        _("“%(value)s” already appears in row %(row)d of this file.")
                        % {"value": value, "row": first},
                    )
                )
            else:
                self.seen[(key, folded)] = row.number

    def _resolve_unit(self, row: PlanRow, values: dict) -> OrgUnit:
        day = values.get("valid_from") or self.on
        code, name = values.get("unit_code", ""), values.get("unit", "")
        if not code and not name:
            return self.unit
        column = self.columns.get("unit_code") if code else self.columns.get("unit")
        label = _column_label(self.headers, column)
        if code:
            found, exists = self.matcher.by_code(code, day)
            if name and len(found) > 1:
                narrowed = [
                    u for u in found if u.pk in {x.pk for x in self.matcher.by_name(name, day)[0]}
                ]
                found = narrowed or found
        else:
            found, exists = self.matcher.by_name(name, day)
        if len(found) == 1:
            return found[0]
        key = f"code:{code}" if code else f"name:{unit_core(name)}"
        if len(found) > 1:
            chosen = self.unit_choices.get(key)
            match = next((u for u in found if str(u.pk) == str(chosen)), None)
            if match is not None:
                return match
            if key not in self.ambiguities:  # labels cost a query per candidate: once per key
                self.ambiguities[key] = {
                    "value": code or name,
                    "candidates": [[u.pk, unit_path_label(u)] for u in found],
                    "rows": [],
                }
            if len(self.ambiguities[key]["rows"]) <= AMBIGUOUS_ROWS_KEPT:
                self.ambiguities[key]["rows"].append(row.number)
            row.errors.append(
                (
                    label,
                    _("“%(value)s” matches several units; choose one below.")
                    % {"value": code or name},
                )
            )
        elif exists:
            row.errors.append(
                (
                    label,
                    _("The unit “%(value)s” is outside the units you manage.")
                    % {"value": code or name},
                )
            )
        else:
            row.errors.append(
                (
                    label,
                    _("No unit “%(value)s” exists on %(day)s.")
                    % {"value": code or name, "day": day.strftime("%d/%m/%Y")},
                )
            )
        return self.unit

    def _decide(self, row: PlanRow, values: dict, target: OrgUnit, existing) -> None:
        cadre = self._match(row, values, existing)
        if cadre is not None:
            self._decide_existing(row, values, target, existing, cadre)

    def _match(self, row: PlanRow, values: dict, existing) -> Cadre | None:
        """The cadre on the roster the row names, or None for a new cadre (row.action
        becomes CREATE) or a refusal (row.errors)."""
        matches = []
        for key, index in (
            ("cadre_code", existing.by_code),
            ("national_id", existing.by_nid),
            ("phone", existing.by_phone),
        ):
            value = values.get(key)
            if value:
                found = index.get(value.upper() if key == "cadre_code" else value)
                matches.append((key, found))
        found = [(k, c) for k, c in matches if c is not None]
        cadre = found[0][1] if found else None
        for key, other in found[1:]:
            if other.pk != cadre.pk:
                row.errors.append(
                    (
                        _column_label(self.headers, self.columns[key]),
                        _("“%(value)s” belongs to another cadre already on the roster.")
                        % {"value": values[key]},
                    )
                )
        if row.errors:
            return None
        row.values = _json_values(values)
        if cadre is None:
            if values.get("left_on"):
                row.errors.append(
                    (
                        _column_label(self.headers, self.columns["left_on"]),
                        _("A new cadre cannot have a date left."),
                    )
                )
            else:
                row.action = CREATE
            return None
        row.cadre_id = cadre.pk
        current = existing.current.get(cadre.pk)
        home = current.unit_id if current else existing.last_unit.get(cadre.pk)
        if home not in self.scope_ids:
            row.errors.append(("", _("This cadre belongs to a unit outside the units you manage.")))
            return None
        first = self.seen_cadres.get(cadre.pk)
        if first is not None:
            row.errors.append(
                ("", _("Row %(row)d of this file is the same cadre.") % {"row": first})
            )
            return None
        self.seen_cadres[cadre.pk] = row.number
        return cadre

    def _decide_existing(
        self, row: PlanRow, values: dict, target: OrgUnit, existing, cadre: Cadre
    ) -> None:
        current = existing.current.get(cadre.pk)
        home = current.unit_id if current else existing.last_unit.get(cadre.pk)
        changes = {}
        if row.split and values.get("full_name") and nfc(values["full_name"]) == cadre.full_name:
            # One full-name column cannot tell "Dương Văn | Bình Minh" from
            # "Dương Văn Bình | Minh": keep the split already on the roster.
            row.family_name, row.given_name = cadre.family_name, cadre.given_name
        if row.family_name != cadre.family_name or row.given_name != cadre.given_name:
            changes["name"] = [cadre.full_name, f"{row.family_name} {row.given_name}".strip()]
        for key in ("cadre_code", "national_id", "phone", "email"):
            new = values.get(key)
            old = getattr(cadre, key) or ""
            if new and new != old:
                changes[key] = [old, new]
        if values.get("date_of_birth") and values["date_of_birth"] != cadre.date_of_birth:
            changes["date_of_birth"] = [
                cadre.date_of_birth.isoformat() if cadre.date_of_birth else "",
                values["date_of_birth"].isoformat(),
            ]
        if values.get("left_on"):
            if cadre.status == Cadre.Status.LEFT:
                row.action = UNCHANGED
            else:
                row.action = DEACTIVATE
                row.changes = {"left_on": ["", values["left_on"].isoformat()], **changes}
            return
        if cadre.status == Cadre.Status.LEFT or current is None or current.unit_id != target.pk:
            row.action = MOVE
            changes["unit"] = [home, target.pk]
        else:
            if values.get("position") and values["position"] != current.position:
                changes["position"] = [current.position, values["position"]]
            if values.get("full_time") is not None and values["full_time"] != current.is_full_time:
                changes["full_time"] = [current.is_full_time, values["full_time"]]
            row.action = UPDATE if changes else UNCHANGED
        row.changes = changes


@dataclass
class _Existing:
    by_code: dict[str, Cadre]
    by_nid: dict[str, Cadre]
    by_phone: dict[str, Cadre]
    current: dict[int, Membership]
    last_unit: dict[int, int]


def chunks(items: list, size: int = 2000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _load_existing(parsed) -> _Existing:
    codes = sorted({v["cadre_code"] for _r, v in parsed if v.get("cadre_code")})
    nids = sorted({v["national_id"] for _r, v in parsed if v.get("national_id")})
    phones = sorted({v["phone"] for _r, v in parsed if v.get("phone")})
    cadres: dict[int, Cadre] = {}
    for field_name, values in (
        ("cadre_code__in", codes),
        ("national_id__in", nids),
        ("phone__in", phones),
    ):
        for chunk in chunks(values):
            for cadre in Cadre.objects.filter(**{field_name: chunk}):
                cadres.setdefault(cadre.pk, cadre)
    existing = _Existing(
        by_code={c.cadre_code.upper(): c for c in cadres.values() if c.cadre_code},
        by_nid={c.national_id: c for c in cadres.values() if c.national_id},
        by_phone={c.phone: c for c in cadres.values() if c.phone},
        current={},
        last_unit={},
    )
    today = timezone.localdate()
    ids = sorted(cadres)
    for chunk in chunks(ids):
        for membership in Membership.objects.filter(cadre_id__in=chunk).order_by(
            "valid_from", "pk"
        ):
            existing.last_unit[membership.cadre_id] = membership.unit_id
            if membership.valid_from <= today and (
                membership.valid_to is None or membership.valid_to >= today
            ):
                existing.current[membership.cadre_id] = membership
            elif membership.valid_to is None and membership.valid_from > today:
                existing.current.setdefault(membership.cadre_id, membership)
    return existing


def _json_values(values: dict) -> dict:
    out = {}
    for key, value in values.items():
        if isinstance(value, dt.date):
            out[key] = value.isoformat()
        elif value is not None and value != "":
            out[key] = value
    return out
