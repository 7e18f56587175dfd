"""Writes of the roster import: upload, mapping, dry run, all-or-nothing commit,
logins and activation codes for imported cadres.

Every change goes through here (or :mod:`cadres.services`); views and the
``import_roster`` command only call these functions.
"""

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.files.base import ContentFile
from django.db import IntegrityError, connection, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import memberships
from . import roster_import as ri
from .errors import ApplicationError
from .models import (
    AuditEvent,
    Cadre,
    ColumnMapping,
    Membership,
    OrgUnit,
    RosterImport,
    RosterImportRow,
    User,
)
from .services import (
    activation_code_set,
    audit_record,
    file_sha256,
    login_unit,
)
from .text import fold, nfc

logger = logging.getLogger(__name__)
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


class RosterImportError(ApplicationError):
    """The import cannot go ahead; the message is for the HR officer."""


# --- upload and mapping --------------------------------------------------------


def remembered_mapping(*, unit: OrgUnit, user: User | None) -> dict:
    """The last mapping confirmed for this unit, else the officer's last one."""
    found = ColumnMapping.objects.filter(unit=unit).order_by("-updated_at").first()
    if found is None and user is not None and user.pk:
        found = ColumnMapping.objects.filter(user=user).order_by("-updated_at").first()
    return found.mapping if found else {}


def roster_import_start(
    *, data: bytes, file_name: str, unit: OrgUnit, by: User | None, encoding: str = ""
) -> RosterImport:
    """Check the file cheaply (size, format, zip directory, declared size, header
    and first row), store it privately, and propose a column mapping. The rows
    are read by the dry-run job, so a file of any allowed size answers at once."""
    sheet = ri.open_sheet(data, file_name=file_name, encoding=encoding)
    if next(iter(sheet.rows), None) is None:
        raise ri.RosterFileError(_("The file has a header but no rows of data."))
    roster_import = RosterImport(
        unit=unit,
        created_by=by if by is not None and by.pk else None,
        file_name=nfc(file_name)[:255] or "roster",
        sha256=file_sha256(data),
        size=len(data),
        encoding=encoding,
        detected_encoding=sheet.encoding,
        headers=sheet.headers,
        mapping=ri.guess_mapping(sheet.headers, remembered_mapping(unit=unit, user=by)),
        progress_total=sheet.total,
    )
    roster_import.file.save("roster.bin", ContentFile(data), save=False)
    roster_import.save()
    return roster_import


def roster_import_configure(
    *,
    roster_import: RosterImport,
    by: User | None,
    mapping: dict | None = None,
    encoding: str | None = None,
    name_overrides: dict | None = None,
    unit_choices: dict | None = None,
    create_logins: bool | None = None,
) -> RosterImport:
    """Change the mapping, encoding, name corrections or unit choices, then check again."""
    if roster_import.status in (RosterImport.Status.COMMITTING, RosterImport.Status.DONE):
        raise RosterImportError(_("This file has already been imported."))
    if encoding is not None and encoding != roster_import.encoding:
        sheet = ri.open_sheet(_file_bytes(roster_import), encoding=encoding)
        roster_import.encoding = encoding
        roster_import.headers = sheet.headers
    if mapping is not None:
        errors = ri.mapping_errors(mapping)
        if errors:
            raise RosterImportError(" ".join(errors))
        roster_import.mapping = mapping
        ColumnMapping.objects.update_or_create(
            unit=roster_import.unit,
            user=by if by is not None and by.pk else None,
            defaults={"mapping": ri.mapping_to_remember(roster_import.headers, mapping)},
        )
    if name_overrides:
        roster_import.name_overrides = {**roster_import.name_overrides, **name_overrides}
    if unit_choices:
        roster_import.unit_choices = {**roster_import.unit_choices, **unit_choices}
    if create_logins is not None:
        roster_import.create_logins = create_logins
    roster_import.status = RosterImport.Status.PLANNING
    roster_import.progress_done = 0
    roster_import.error = ""
    roster_import.save()
    from .tasks import roster_import_plan_task

    roster_import_plan_task.delay_on_commit(roster_import.pk)
    return roster_import


def _file_bytes(roster_import: RosterImport) -> bytes:
    with roster_import.file.open("rb") as handle:
        return handle.read()


def _progress(roster_import: RosterImport, planner: ri.Planner, total: int) -> None:
    RosterImport.objects.filter(pk=roster_import.pk).update(
        progress_done=planner.done, progress_total=max(total, planner.done)
    )


def _planner(roster_import: RosterImport, on: dt.date | None = None) -> tuple[ri.Planner, ri.Sheet]:
    scope, everywhere = ri.units_in_scope(roster_import.created_by)
    sheet = ri.open_sheet(_file_bytes(roster_import), encoding=roster_import.encoding)
    planner = ri.Planner(
        headers=sheet.headers,
        mapping=roster_import.mapping,
        unit=roster_import.unit,
        scope=scope,
        everywhere=everywhere,
        name_overrides=roster_import.name_overrides,
        unit_choices=roster_import.unit_choices,
        on=on or timezone.localdate(),
    )
    return planner, sheet


def _store_rows(roster_import: RosterImport, rows: list[ri.PlanRow]) -> None:
    RosterImportRow.objects.bulk_create(
        [
            RosterImportRow(
                roster_import_id=roster_import.pk,
                number=row.number,
                action=row.action,
                data=row.as_json(),
            )
            for row in rows
        ],
        batch_size=BATCH,
    )


def _store_plan(roster_import: RosterImport, planner: ri.Planner, status: str) -> None:
    roster_import.plan = {"ambiguities": planner.ambiguities, "on": planner.on.isoformat()}
    roster_import.counts = dict(planner.counts)
    roster_import.status = status
    roster_import.progress_done = roster_import.progress_total = planner.done
    roster_import.save(
        update_fields=["plan", "counts", "status", "progress_done", "progress_total"]
    )


def _fail(roster_import: RosterImport, exc: Exception) -> None:
    """Mark the import failed with a message, so the page never spins forever."""
    if isinstance(exc, ri.RosterFileError):
        message = str(exc)
    else:
        logger.error("roster import %s could not be checked", roster_import.pk, exc_info=exc)
        message = _("The file could not be checked because of an internal error. Try again.")
    RosterImport.objects.filter(pk=roster_import.pk).update(
        status=RosterImport.Status.FAILED, error=message
    )
    roster_import.status, roster_import.error = RosterImport.Status.FAILED, message


def _dry_run(roster_import: RosterImport) -> ri.Planner:
    """Plan the file a batch at a time, storing each batch's rows for the preview."""
    planner, sheet = _planner(roster_import)
    with transaction.atomic():
        RosterImportRow.objects.filter(roster_import=roster_import).delete()
        for rows in planner.batches(sheet.rows):
            _store_rows(roster_import, rows)
            _progress(roster_import, planner, sheet.total)
        _store_plan(roster_import, planner, RosterImport.Status.PLANNED)
    return planner


def roster_import_plan(*, roster_import: RosterImport) -> ri.Planner | None:
    """The dry run: what the import would do, stored for the preview page."""
    try:
        return _dry_run(roster_import)
    except Exception as exc:  # noqa: BLE001 - any failure is shown, never a spinner
        _fail(roster_import, exc)
        return None


class _Rejected(Exception):
    """A row was rejected during the commit: roll everything back."""


def roster_import_commit_request(*, roster_import: RosterImport, create_logins: bool) -> None:
    """Claim a checked import for committing and queue the job, once.

    The claim is one conditional UPDATE (planned, nothing rejected → committing):
    of two requests at once only the one that changed the row enqueues."""
    claimed = (
        RosterImport.objects.filter(pk=roster_import.pk, status=RosterImport.Status.PLANNED)
        .exclude(counts__rejected__gt=0)
        .update(status=RosterImport.Status.COMMITTING, progress_done=0, create_logins=create_logins)
    )
    if not claimed:
        raise RosterImportError(_("Fix the rejected rows first; nothing was imported."))
    from .tasks import roster_import_commit_task

    roster_import_commit_task.delay_on_commit(roster_import.pk)


def roster_import_commit(*, roster_import_id: int) -> RosterImport:
    """Check the file again against today's roster and import it all, or nothing.

    The file is planned and written a batch at a time inside one transaction, so
    memory stays flat; a rejected row rolls everything back and the dry run is
    stored again to show why. Safe to run twice (a redelivered task): a
    finished import is left alone."""
    claimed = RosterImport.objects.filter(
        pk=roster_import_id,
        status__in=[RosterImport.Status.PLANNED, RosterImport.Status.COMMITTING],
    ).update(status=RosterImport.Status.COMMITTING, progress_done=0)
    roster_import = RosterImport.objects.select_related("created_by", "unit").get(
        pk=roster_import_id
    )
    if not claimed:
        return roster_import
    try:
        with transaction.atomic():
            locked = RosterImport.objects.select_for_update().get(pk=roster_import_id)
            if locked.status == RosterImport.Status.DONE:
                return locked
            planner, summary = _commit_batches(roster_import)
            _store_plan(roster_import, planner, RosterImport.Status.DONE)
            roster_import.counts = {**planner.counts, "logins": summary.logins}
            roster_import.committed_at = timezone.now()
            roster_import.error = ""
            roster_import.save(update_fields=["counts", "committed_at", "error"])
    except (_Rejected, RosterImportError) as exc:
        message = (
            str(exc)
            if isinstance(exc, RosterImportError)
            else _("Some rows are rejected; nothing was imported.")
        )
        if roster_import_plan(roster_import=roster_import) is not None:
            RosterImport.objects.filter(pk=roster_import_id).update(error=message)
        roster_import.refresh_from_db()
    except Exception as exc:  # noqa: BLE001
        _fail(roster_import, exc)
    return roster_import


def _commit_batches(roster_import: RosterImport) -> tuple[ri.Planner, "ApplySummary"]:
    planner, sheet = _planner(roster_import)
    RosterImportRow.objects.filter(roster_import=roster_import).delete()
    summary = ApplySummary()
    for rows in planner.batches(sheet.rows):
        if planner.counts[ri.REJECTED]:
            raise _Rejected
        summary.add(
            _apply_rows(
                rows,
                on=planner.on,
                by=roster_import.created_by,
                create_logins=roster_import.create_logins,
            )
        )
        _store_rows(roster_import, rows)
        _progress(roster_import, planner, sheet.total)
    if not planner.done:
        raise RosterImportError(_("The file has a header but no rows of data."))
    _audit(
        summary,
        counts=planner.counts,
        unit=roster_import.unit,
        by=roster_import.created_by,
        file_name=roster_import.file_name,
        sha256=roster_import.sha256,
    )
    return planner, summary


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
    from .tasks import roster_joiners_announce_task

    for start in range(0, len(pairs), JOINERS_PER_JOB):
        chunk = [list(pair) for pair in pairs[start : start + JOINERS_PER_JOB]]
        roster_joiners_announce_task.delay_on_commit(chunk)


def joiners_announce(*, pairs: list[list[int]]) -> None:
    """Send ``cadre_joined_unit`` for each pair; receivers are idempotent."""
    from .signals import cadre_joined_unit

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
    creates = [r for r in rows if r.action == ri.CREATE]
    changing = [r for r in rows if r.action in (ri.UPDATE, ri.MOVE, ri.DEACTIVATE)]

    new_cadres = []
    for row in creates:
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
    for row, cadre in zip(creates, new_cadres, strict=True):
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

    ids = [r.cadre_id for r in changing]
    cadres: dict[int, Cadre] = {}
    for chunk in ri._chunks(ids):
        cadres.update(Cadre.objects.in_bulk(chunk))
    changed_cadres, moves, leavers = [], [], []
    for row in changing:
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
    logins = 0
    if create_logins:
        logins = _create_logins([c for c in new_cadres])
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
        for chunk in ri._chunks(cadres, BATCH):
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


# --- logins and activation codes -------------------------------------------------


def login_username(cadre: Cadre) -> str:
    """The cadre code, folded to plain lower-case letters, else the phone number."""
    if cadre.cadre_code:
        return "".join(ch for ch in fold(cadre.cadre_code) if ch.isalnum() or ch in "._-")[:150]
    return cadre.phone or ""


def _create_logins(cadres: list[Cadre]) -> int:
    wanted = {}
    for cadre in cadres:
        if cadre.user_id is None and login_username(cadre):
            wanted.setdefault(login_username(cadre), cadre)
    taken = set()
    names = list(wanted)
    for chunk in ri._chunks(names):
        taken |= set(User.objects.filter(username__in=chunk).values_list("username", flat=True))
    unusable = make_password(None)
    users = [
        User(username=name, password=unusable, email=cadre.email, role=User.Role.CADRE)
        for name, cadre in wanted.items()
        if name not in taken
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    linked = []
    for user in users:
        cadre = wanted[user.username]
        cadre.user_id = user.pk
        linked.append(cadre)
    Cadre.objects.bulk_update(linked, ["user"], batch_size=BATCH)
    return len(users)


@transaction.atomic
def cadre_login_create(
    *, cadre: Cadre, by: User | None, request: HttpRequest | None = None
) -> User:
    """Give a cadre a login (username from cadre code or phone), without a password."""
    if cadre.user_id:
        return cadre.user
    username = login_username(cadre)
    if not username:
        raise RosterImportError(
            _("This cadre has no cadre code or phone number to make a username from.")
        )
    if User.objects.filter(username=username).exists():
        raise RosterImportError(_("The username “%(name)s” is already taken.") % {"name": username})
    user = User(username=username, email=cadre.email, role=User.Role.CADRE)
    user.set_unusable_password()
    user.save()
    cadre.user = user
    cadre.save(update_fields=["user", "updated_at"])
    audit_record(
        action="account.create", actor=by, request=request, unit=login_unit(user), obj=user
    )
    return user


def activation_codes_issue(
    *, cadres: list[Cadre], by: User | None, request: HttpRequest | None = None
) -> list[tuple[Cadre, str, str]]:
    """A fresh one-time code for each cadre (creating logins where missing).

    Codes are stored hashed, so a printed list is the only copy; issuing again
    replaces the earlier codes. Returns (cadre, username, code)."""
    issued = []
    for cadre in cadres:
        if cadre.status != Cadre.Status.ACTIVE:
            continue
        with transaction.atomic():
            user = cadre_login_create(cadre=cadre, by=by, request=request)
            if user.has_usable_password() and user.last_login:
                continue
            code = activation_code_set(user=user, by=by, request=request)
        issued.append((cadre, user.username, f"{code[:5]}-{code[5:]}"))
    return issued
