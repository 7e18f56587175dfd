"""Meeting attendee reports (Zoom, Google Meet, Microsoft Teams), once parsed
by :mod:`trainings.attendee_report`: each participant matched to an invited
cadre (the plan, which writes nothing), then the whole report recorded, all
or nothing, with what it completes."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.models import Cadre, User
from cadres.services import audit_record, file_sha256

from ..models import Attendance, AttendanceImport, Invitation, TrainingSession
from . import completing
from .recording import organiser_required

MATCHED, UNMATCHED, AMBIGUOUS = "matched", "unmatched", "ambiguous"


@dataclass
class PlanRow:
    index: int
    participant: dict
    state: str
    cadre_id: int | None = None
    candidates: list[int] | None = None
    how: str = ""


@dataclass
class ImportPlan:
    format: str
    rows: list[PlanRow]
    errors: list[str]
    cadres: dict  # id -> Cadre, the pool participants are matched against

    def count(self, state: str) -> int:
        return sum(1 for row in self.rows if row.state == state)


def _name_variants(name: str) -> list[str]:
    from cadres.text import fold

    folded = fold(name)
    variants = [folded]
    for separator in (" - ", " – ", "|", "(", "_", ","):
        if separator in folded:
            variants += [part.strip(" )") for part in folded.split(separator) if part.strip(" )")]
    return variants


def attendance_import_plan(*, session: TrainingSession, participants: list[dict]) -> ImportPlan:
    """Match each participant to an invited cadre (or a walk-in already recorded)
    by email, phone number or diacritic-free name. Writes nothing."""
    from cadres.phone import normalise_phone
    from cadres.text import fold

    pool = {
        cadre.pk: cadre for cadre in Cadre.objects.filter(training_invitations__session=session)
    }
    pool.update(
        {
            att.cadre_id: att.cadre
            for att in Attendance.objects.filter(session=session).select_related("cadre")
        }
    )
    by_email: dict[str, list[int]] = {}
    by_phone: dict[str, list[int]] = {}
    by_name: dict[str, list[int]] = {}
    for cadre in pool.values():
        if cadre.email:
            by_email.setdefault(cadre.email.strip().lower(), []).append(cadre.pk)
        if cadre.phone:
            by_phone.setdefault(normalise_phone(cadre.phone), []).append(cadre.pk)
        by_name.setdefault(fold(cadre.full_name), []).append(cadre.pk)
    rows = []
    for index, participant in enumerate(participants):
        row = PlanRow(index=index, participant=participant, state=UNMATCHED)
        email = (participant.get("email") or "").lower()
        phones = {
            normalise_phone(token)
            for token in re.findall(r"[+\d][\d .]{8,}\d", participant.get("name") or "")
        } - {""}
        found: list[int] = []
        if email and email in by_email:
            found, row.how = by_email[email], "email"
        if not found:
            for phone in phones:
                if phone in by_phone:
                    found, row.how = by_phone[phone], "phone"
                    break
        if not found:
            for variant in _name_variants(participant.get("name") or ""):
                if variant in by_name:
                    found, row.how = by_name[variant], "name"
                    break
        if len(found) == 1:
            row.state, row.cadre_id = MATCHED, found[0]
        elif len(found) > 1:
            row.state, row.candidates = AMBIGUOUS, sorted(found)
        rows.append(row)
    return ImportPlan(format="", rows=rows, errors=[], cadres=pool)


def _aware(value: str | None) -> dt.datetime | None:
    if not value or "T" not in value:
        return None
    moment = dt.datetime.fromisoformat(value)
    return timezone.make_aware(moment) if timezone.is_naive(moment) else moment


def attendance_status_for(session: TrainingSession, *, minutes: float, first_join) -> str:
    """Present (or late) when online for at least the session's minimum share."""
    if minutes * 100 < session.min_share_percent * session.duration_minutes:
        return Attendance.Status.ABSENT
    if first_join is not None and first_join > session.late_from:
        return Attendance.Status.LATE
    return Attendance.Status.PRESENT


class ImportRejected(ValueError):
    """The report cannot be imported as it stands; nothing was written."""


@transaction.atomic
def attendance_import_commit(
    *,
    session: TrainingSession,
    plan: ImportPlan,
    by: User,
    resolutions: dict[int, int | None] | None = None,
) -> dict[str, int]:
    """Record the report's attendance, all or nothing.

    ``resolutions`` gives, for an unmatched or ambiguous participant (by index),
    the cadre the officer chose, or None to leave them out (a guest, the
    trainer). Any participant left unresolved rejects the whole import."""
    organiser_required(by, session)
    resolutions = resolutions or {}
    if plan.errors:
        raise ImportRejected(_("The report has rows that cannot be read; nothing was imported."))
    per_cadre: dict[int, dict] = {}
    skipped = 0
    for row in plan.rows:
        cadre_id = row.cadre_id
        if row.state != MATCHED:
            if row.index not in resolutions:
                raise ImportRejected(
                    _("“%(name)s” is not matched to a cadre; choose one or leave them out.")
                    % {"name": row.participant.get("name") or "?"}
                )
            cadre_id = resolutions[row.index]
            if cadre_id is None:
                skipped += 1
                continue
            if cadre_id not in plan.cadres:
                raise ImportRejected(_("The chosen cadre is not invited to this session."))
        entry = per_cadre.setdefault(cadre_id, {"minutes": 0.0, "first_join": None})
        entry["minutes"] += float(row.participant.get("minutes") or 0)
        joined = _aware(row.participant.get("first_join"))
        if joined is not None and (entry["first_join"] is None or joined < entry["first_join"]):
            entry["first_join"] = joined
    counts = {"present": 0, "late": 0, "absent": 0, "skipped": skipped}
    records = {}
    for cadre_id, entry in per_cadre.items():
        status = attendance_status_for(
            session, minutes=entry["minutes"], first_join=entry["first_join"]
        )
        counts[
            {Attendance.Status.PRESENT: "present", Attendance.Status.LATE: "late"}.get(
                status, "absent"
            )
        ] += 1
        counting = status in Attendance.COUNTING
        at = (entry["first_join"] or session.starts_at) if counting else None
        records[cadre_id] = (status, round(entry["minutes"]), at)
    _import_record(session, records, by=by)
    audit_record(
        action="training.import",
        actor=by,
        unit=session.organiser_unit,
        obj=session,
        data={"session": session.pk, **counts},
    )
    return counts


def attendance_import_create(
    *, session: TrainingSession, by: User, file_name: str, data: bytes, report
) -> AttendanceImport:
    """Keep an uploaded attendee report (parsed, without errors) to be matched
    and recorded: nothing is recorded yet."""
    organiser_required(by, session)
    return AttendanceImport.objects.create(
        session=session,
        created_by=by,
        file_name=file_name[:255],
        sha256=file_sha256(data),
        format=report.format,
        participants=[p.as_json() for p in report.participants],
    )


@transaction.atomic
def attendance_import_apply(
    *, record: AttendanceImport, by: User, resolutions: dict[int, int | None]
) -> dict[str, int]:
    """Record a kept report once: the row is locked and must still be
    planned, so a second submission (a double click, a second tab) is
    refused rather than recorded twice. Returns the counts."""
    locked = (
        AttendanceImport.objects.select_for_update().select_related("session").get(pk=record.pk)
    )
    if locked.status != AttendanceImport.Status.PLANNED:
        raise ImportRejected(_("This report has already been imported."))
    plan = attendance_import_plan(session=locked.session, participants=locked.participants)
    counts = attendance_import_commit(
        session=locked.session, plan=plan, by=by, resolutions=resolutions
    )
    locked.status = AttendanceImport.Status.DONE
    locked.summary = counts
    locked.save(update_fields=["status", "summary"])
    return counts


def _import_record(
    session: TrainingSession,
    records: dict[int, tuple[str, int, dt.datetime | None]],
    *,
    by: User,
) -> None:
    """Write the report's attendance (cadre id -> status, minutes, time) and
    what it causes, in a fixed number of queries whatever the number of
    cadres: new rows in bulk, rows already there (a re-import, a QR check-in
    before) updated as :func:`.recording.attendance_set` would, then one
    batch of completions, and revocations for the rare rows that stopped
    counting."""
    now = timezone.now()
    # Locked, so a check-in or a revocation meanwhile cannot be overwritten.
    existing = {
        att.cadre_id: att
        for att in Attendance.objects.select_for_update()
        .filter(session=session, cadre_id__in=list(records))
        .order_by("pk")
    }
    invited = set(
        Invitation.objects.filter(
            session=session, cadre_id__in=[c for c in records if c not in existing]
        ).values_list("cadre_id", flat=True)
    )
    new_rows, changed, newly_counting = [], [], {}
    for cadre_id, (status, minutes, at) in records.items():
        attendance = existing.get(cadre_id)
        if attendance is None:
            attendance = Attendance(
                session=session,
                cadre_id=cadre_id,
                walk_in=cadre_id not in invited,
                checked_in_at=at,
            )
            new_rows.append(attendance)
        elif attendance.revoked_at is not None:
            continue  # a revoked row is never changed here
        else:
            changed.append(attendance)
            if at is not None:
                attendance.checked_in_at = at
        attendance.status = status
        attendance.source = Attendance.Source.MEETING
        attendance.minutes = minutes
        attendance.note = ""
        attendance.recorded_by = by
        attendance.updated_at = now
        # The organiser recording a walk-in accepts them.
        attendance.accepted = True
        if attendance.counts:
            newly_counting[cadre_id] = attendance.checked_in_at
    # One transaction: a row written meanwhile by a check-in makes the whole
    # import fail on the unique constraint rather than count twice.
    Attendance.objects.bulk_create(new_rows, batch_size=1000)
    Attendance.objects.bulk_update(
        changed,
        [
            "status",
            "source",
            "checked_in_at",
            "minutes",
            "note",
            "recorded_by",
            "updated_at",
            "accepted",
        ],
        batch_size=1000,
    )
    completing.complete(session, newly_counting, by=by)
    completing.uncomplete_stopped(session, changed, by=by)
