"""Writing planned rows: new cadres, changed details, moves and leavers (through
:mod:`cadres.roster.memberships`), in bulk, inside the caller's transaction."""

import datetime as dt
from dataclasses import dataclass, field

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...caching import data_changed
from ...errors import RosterImportError
from ...models import AuditEvent, Cadre, Membership, OrgUnit, User
from ...services import audit_record
from .. import importing as ri
from .. import memberships
from ..logins import create_logins as logins_create

BATCH = 1000
CADRE_FIELDS = [
    "family_name",
    "given_name",
    "cadre_code",
    "national_id",
    "phone",
    "email",
    "date_of_birth",
    "status",
    "left_on",
    "sort_key",
    "search_text",
    "updated_at",
]


# --- applying a plan -----------------------------------------------------------


@dataclass
class ApplySummary:
    created: list[int] = field(default_factory=list)
    moved: list[int] = field(default_factory=list)
    updated: list[int] = field(default_factory=list)
    deactivated: list[int] = field(default_factory=list)
    changes: dict[str, dict] = field(default_factory=dict)
    logins: int = 0

    def add(self, other: "ApplySummary") -> None:
        self.created += other.created
        self.moved += other.moved
        self.updated += other.updated
        self.deactivated += other.deactivated
        self.changes.update(other.changes)
        self.logins += other.logins


def _day(value: str | None, default: dt.date) -> dt.date:
    return dt.date.fromisoformat(value) if value else default


ROSTER_CHANGED = gettext_lazy(
    "The roster changed while the file was being imported (a code, ID number or "
    "phone number is now taken). Nothing was imported; check the file again."
)


def roster_plan_apply(
    *,
    plan: ri.Plan,
    unit: OrgUnit,
    by: User | None,
    file_name: str,
    sha256: str,
    create_logins: bool = False,
) -> ApplySummary:
    """Write a plan with no rejected rows, in bulk, in one transaction."""
    if not plan.ok:
        raise RosterImportError(_("Some rows are rejected; nothing was imported."))
    try:
        with transaction.atomic():
            summary = _apply_rows(plan.rows, on=plan.on, by=by, create_logins=create_logins)
            _audit(
                summary, counts=plan.counts, unit=unit, by=by, file_name=file_name, sha256=sha256
            )
    except IntegrityError as exc:
        raise RosterImportError(str(ROSTER_CHANGED)) from exc
    return summary


def _audit(summary: ApplySummary, *, counts, unit, by, file_name: str, sha256: str) -> None:
    audit_record(
        action="roster.import",
        actor=by,
        unit=unit,
        obj=file_name,
        data={
            "file": file_name,
            "sha256": sha256,
            "counts": counts,
            "created": summary.created,
            "moved": summary.moved,
            "deactivated": summary.deactivated,
            "updated": summary.changes,
            "logins": summary.logins,
        },
    )


JOINERS_PER_JOB = 500


def joiners_enqueue(pairs: list[tuple[int, int]]) -> None:
    """After commit, announce each (cadre, unit) joining, in background jobs.

    Programme enrolment of 20,000 joiners takes minutes; the import should not
    wait for it, and a job per chunk survives a worker restart."""
    from ...tasks import roster_joiners_announce_task

    for start in range(0, len(pairs), JOINERS_PER_JOB):
        chunk = [list(pair) for pair in pairs[start : start + JOINERS_PER_JOB]]
        roster_joiners_announce_task.delay_on_commit(chunk)


def joiners_announce(*, pairs: list[list[int]]) -> None:
    """Send ``cadre_joined_unit`` for each pair; receivers are idempotent."""
    from ...signals import cadre_joined_unit

    for cadre_id, unit_id in pairs:
        cadre_joined_unit.send(sender=Cadre, cadre_id=cadre_id, unit_id=unit_id)


def _apply_rows(
    rows: list[ri.PlanRow], *, on: dt.date, by: User | None, create_logins: bool
) -> ApplySummary:
    """Write one batch of planned rows (none rejected) in a few bulk queries, and
    queue the joiners' announcements for after the commit."""
    try:
        with transaction.atomic():
            summary = _write_rows(rows, on=on, by=by, create_logins=create_logins)
    except IntegrityError as exc:
        raise RosterImportError(str(ROSTER_CHANGED)) from exc
    joiners_enqueue(
        [(row.cadre_id, row.unit_id) for row in rows if row.action in (ri.CREATE, ri.MOVE)]
    )
    return summary


def _write_rows(
    rows: list[ri.PlanRow], *, on: dt.date, by: User | None, create_logins: bool
) -> ApplySummary:
    new_cadres = _create_cadres([r for r in rows if r.action == ri.CREATE], on=on)
    leavers = _change_cadres(
        [r for r in rows if r.action in (ri.UPDATE, ri.MOVE, ri.DEACTIVATE)], on=on, by=by
    )
    logins = 0
    if create_logins:
        logins = logins_create(list(new_cadres))
    return ApplySummary(
        created=[c.pk for c in new_cadres],
        moved=[r.cadre_id for r in rows if r.action == ri.MOVE],
        updated=[r.cadre_id for r in rows if r.action == ri.UPDATE],
        deactivated=[leaver.cadre_id for leaver in leavers],
        changes={
            str(r.cadre_id): r.changes
            for r in rows
            if r.action in (ri.UPDATE, ri.MOVE) and r.changes
        },
        logins=logins,
    )


def _create_cadres(rows: list[ri.PlanRow], *, on: dt.date) -> list[Cadre]:
    """New cadres, each with their first membership; sets each row's ``cadre_id``."""
    new_cadres = []
    for row in rows:
        values = row.values
        cadre = Cadre(
            family_name=row.family_name,
            given_name=row.given_name,
            cadre_code=values.get("cadre_code") or None,
            national_id=values.get("national_id") or None,
            phone=values.get("phone") or None,
            email=values.get("email", ""),
            date_of_birth=_day(values.get("date_of_birth"), None),
        )
        cadre.fill_derived_fields()
        new_cadres.append(cadre)
    Cadre.objects.bulk_create(new_cadres, batch_size=BATCH)
    first_periods = []
    for row, cadre in zip(rows, new_cadres, strict=True):
        row.cadre_id = cadre.pk
        first_periods.append(
            Membership(
                cadre=cadre,
                unit_id=row.unit_id,
                position=row.values.get("position", ""),
                is_full_time=bool(row.values.get("full_time")),
                valid_from=_day(row.values.get("valid_from"), on),
            )
        )
    Membership.objects.bulk_create(first_periods, batch_size=BATCH)
    data_changed()
    return new_cadres


def _change_cadres(
    rows: list[ri.PlanRow], *, on: dt.date, by: User | None
) -> list[memberships.Leaver]:
    """Cadres already on the roster: changed details, moves (or a new position
    or working time in the same unit) and leavers. Returns the leavers."""
    cadres: dict[int, Cadre] = {}
    for chunk in ri.chunks([r.cadre_id for r in rows]):
        cadres.update(Cadre.objects.in_bulk(chunk))
    changed_cadres, moves, leavers = [], [], []
    for row in rows:
        cadre = cadres[row.cadre_id]
        if _set_fields(cadre, row):
            changed_cadres.append(cadre)
        if row.action == ri.DEACTIVATE:
            leavers.append(
                memberships.Leaver(cadre_id=cadre.pk, on=_day(row.values.get("left_on"), on))
            )
        elif row.action == ri.MOVE or "position" in row.changes or "full_time" in row.changes:
            moves.append(
                memberships.Move(
                    cadre_id=cadre.pk,
                    unit_id=row.unit_id,
                    on=_day(row.values.get("valid_from"), on),
                    position=row.values.get("position") or None,
                    is_full_time=row.values.get("full_time"),
                )
            )
    # bulk_update writes a CASE per row and field, which is slow for thousands of
    # rows; one UPDATE … FROM (VALUES …) per thousand cadres is faster.
    _update_cadres(changed_cadres)
    memberships.moves_apply(
        moves, current=memberships.open_memberships([m.cadre_id for m in moves])
    )
    _leavers_apply(leavers, cadres, by=by)
    return leavers


def _leavers_apply(leavers: list, cadres: dict[int, Cadre], *, by: User | None) -> None:
    """Leavers in bulk, each with their own audit line, as on the cadre page."""
    units = memberships.leavers_apply(leavers)
    actor = by if by is not None and by.pk else None
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                action="cadre.deactivate",
                actor=actor,
                unit_id=units[leaver.cadre_id],
                object_repr=str(cadres[leaver.cadre_id])[:255],
                data={"on": leaver.on.isoformat()},
            )
            for leaver in leavers
        ],
        batch_size=BATCH,
    )


def _update_cadres(cadres: list[Cadre]) -> None:
    """Write changed cadres: one UPDATE … FROM (VALUES …) per thousand on
    PostgreSQL (a round trip per row costs minutes at 20,000 rows), else per row."""
    if connection.vendor != "postgresql":
        for cadre in cadres:
            Cadre.objects.filter(pk=cadre.pk).update(
                **{name: getattr(cadre, name) for name in CADRE_FIELDS}
            )
        return
    table = connection.ops.quote_name(Cadre._meta.db_table)
    columns = [Cadre._meta.get_field(name) for name in CADRE_FIELDS]
    types = {"DateField": "date", "DateTimeField": "timestamptz"}
    assignments = ", ".join(
        f"{connection.ops.quote_name(f.column)} = v.{connection.ops.quote_name(f.column)}"
        + (f"::{types[f.get_internal_type()]}" if f.get_internal_type() in types else "")
        for f in columns
    )
    names = ", ".join(["id", *(connection.ops.quote_name(f.column) for f in columns)])
    row_sql = "(" + ", ".join(["%s::bigint"] + ["%s"] * len(columns)) + ")"
    with connection.cursor() as cursor:
        for chunk in ri.chunks(cadres, BATCH):
            params = []
            for cadre in chunk:
                params.append(cadre.pk)
                params.extend(
                    f.get_db_prep_save(getattr(cadre, f.attname), connection) for f in columns
                )
            values = ", ".join([row_sql] * len(chunk))
            cursor.execute(
                f"UPDATE {table} AS c SET {assignments} "  # noqa: S608 - names from the model
                f"FROM (VALUES {values}) AS v({names}) WHERE c.id = v.id",
                params,
            )


def _set_fields(cadre: Cadre, row: ri.PlanRow) -> bool:
    changed = False
    if "name" in row.changes:
        cadre.family_name, cadre.given_name = row.family_name, row.given_name
        changed = True
    for key in ("cadre_code", "national_id", "phone", "email"):
        if key in row.changes:
            setattr(cadre, key, row.changes[key][1])
            changed = True
    if "date_of_birth" in row.changes:
        cadre.date_of_birth = dt.date.fromisoformat(row.changes["date_of_birth"][1])
        changed = True
    if changed:
        cadre.fill_derived_fields()
        cadre.updated_at = timezone.now()
    return changed
