"""Every write to sessions, invitations and attendance.

Attendance is one row per session and cadre, whichever route recorded it (QR
check-in, typed code, paper sheet, meeting report, by hand). When the row
comes to count (present or late, accepted, not revoked), the course or
programme the session counts for is completed through courses' own rules in
the same transaction; when it stops counting, what it caused is revoked.
"""

import datetime as dt
import re
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from cadres.models import Cadre, User
from cadres.services import audit_record, notification_send
from courses.models import Completion, Enrolment, ProgrammeCourse
from courses.services import (
    completion_revoke,
    enrolment_evaluate_completion,
    enrolments_create_many,
    enrolments_evaluate_completion_many,
)
from courses.trained import trained_refresh

from . import capacity, tokens
from .models import Attendance, Invitation, TrainingCompletion, TrainingSession
from .requirements import series_route, series_routes, session_route, session_routes
from .selectors import is_invited, may_organise, population_cadres, sessions_open_for_checkin

# A scan made while signed out is honoured after signing in for this long.
PENDING_SCAN_MINUTES = 10


class CheckInRefused(PermissionDenied):
    """The code or the moment does not allow a check-in; nothing was recorded."""


# --- invitations ------------------------------------------------------------------


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
    attendance, _created = _upsert(
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


# --- recording ----------------------------------------------------------------------


def _upsert(
    session: TrainingSession,
    cadre: Cadre,
    *,
    status: str,
    source: str,
    at: dt.datetime | None,
    by: User | None,
    minutes: int | None = None,
    walk_in: bool = False,
    note: str = "",
    keep_counting: bool = False,
) -> tuple[Attendance, bool]:
    """Create or update the one row; returns (row, changed).

    ``keep_counting``: a row that already counts is left as it is (a second
    check-in, a late "cannot attend"). A revoked row is never changed here.
    """
    now = timezone.now()
    fields = {
        "status": status,
        "source": source,
        "checked_in_at": at,
        "minutes": minutes,
        "note": note,
        "recorded_by": by if by is not None and by.pk else None,
        "updated_at": now,
    }
    try:
        with transaction.atomic():
            attendance = Attendance.objects.create(
                session=session, cadre=cadre, walk_in=walk_in, accepted=not walk_in, **fields
            )
        return attendance, True
    except IntegrityError:
        pass
    # The row exists (maybe written a moment ago by a concurrent check-in):
    # change it only if it is in a state this write may replace, in one
    # conditional UPDATE, so two racing writes cannot both win.
    rows = Attendance.objects.filter(session=session, cadre=cadre, revoked_at__isnull=True)
    if keep_counting:
        rows = rows.exclude(status__in=Attendance.COUNTING)
    if at is None:
        fields.pop("checked_in_at")
    if minutes is None:
        fields.pop("minutes")
    changed = bool(rows.update(**fields))
    attendance = Attendance.objects.get(session=session, cadre=cadre)
    attendance.session, attendance.cadre = session, cadre
    return attendance, changed


def _target_courses(session: TrainingSession) -> list[tuple[int, object]]:
    """(course id, programme or None) that this session's attendance can complete."""
    owner = session.series if session.series_id else session
    if owner.counts_for_course_id:
        return [(owner.counts_for_course_id, None)]
    if owner.counts_for_programme_id:
        programme = owner.counts_for_programme
        return [
            (course_id, programme)
            for course_id in ProgrammeCourse.objects.filter(
                programme=programme, required=True
            ).values_list("course_id", flat=True)
        ]
    return []


def _apply(attendance: Attendance, *, by: User | None, reason: str = "") -> list[Completion]:
    """Bring the cadre's completions in line with their attendance; returns new ones."""
    if attendance.counts:
        # Completed when the cadre was there, so an as-of report counts them from that day.
        return _complete(attendance.session, {attendance.cadre_id: attendance.checked_in_at}, by=by)
    _uncomplete(attendance.session, attendance.cadre, by=by, reason=reason)
    return []


def _complete(
    session: TrainingSession, attended_at: dict[int, dt.datetime | None], *, by: User | None
) -> list[Completion]:
    """Complete what the session counts for, for the cadres (id -> when they
    were there) whose attendance now counts: through courses' batch service,
    so by the same rules and in the same transaction, in a fixed number of
    queries whatever their number. Each new completion is linked to the
    session (or series) that caused it. Returns the new completions."""
    cadre_ids = list(attended_at)
    if not cadre_ids:
        return []
    created: list[Completion] = []
    for course_id, programme in _target_courses(session):
        enrolments = enrolments_create_many(
            cadre_ids=cadre_ids,
            course_id=course_id,
            source=Enrolment.Source.PROGRAMME if programme else Enrolment.Source.MANUAL,
            programme=programme,
            by=by if by is not None and by.pk else None,
        )
        completions = enrolments_evaluate_completion_many(
            items=[(enrolments[cadre_id], attended_at[cadre_id]) for cadre_id in cadre_ids]
        )
        if not completions:
            continue
        completed = [completion.enrolment.cadre_id for completion in completions]
        sessions = session_routes(completed, course_id, known=[session])
        series = series_routes([c for c in completed if c not in sessions], course_id)
        TrainingCompletion.objects.bulk_create(
            [
                TrainingCompletion(
                    completion=completion,
                    cadre_id=completion.enrolment.cadre_id,
                    session=sessions.get(completion.enrolment.cadre_id),
                    series=series.get(completion.enrolment.cadre_id),
                )
                for completion in completions
                if completion.enrolment.cadre_id in sessions
                or completion.enrolment.cadre_id in series
            ],
            batch_size=1000,
        )
        # The route is part of the trained fact: mend it in this transaction.
        linked = sorted(set(sessions) | set(series))
        if linked:
            trained_refresh(cadre_ids=linked, course_ids=[course_id])
        created += completions
    return created


def _uncomplete(session: TrainingSession, cadre: Cadre, *, by: User | None, reason: str) -> None:
    """The cadre's attendance no longer counts: revoke the completions trainings
    caused for what the session counts for, unless another session still counts."""
    for course_id, _programme in _target_courses(session):
        if session_route(cadre.pk, course_id) or series_route(cadre.pk, course_id):
            continue  # another session still counts for this course
        caused = Completion.objects.filter(
            training__cadre=cadre,
            enrolment__course_id=course_id,
            revoked_at__isnull=True,
        ).select_related("enrolment__cadre")
        for completion in caused:
            if by is None:
                raise PermissionDenied(_("Only an organiser can revoke attendance."))
            completion_revoke(
                completion=completion,
                by=by,
                reason=reason
                or _("Attendance at “%(title)s” no longer counts.") % {"title": session.title},
            )
            # Lessons and quizzes done meanwhile still complete the course by its own rule.
            enrolment_evaluate_completion(enrolment=completion.enrolment)


@dataclass
class CheckInResult:
    attendance: Attendance
    created: bool
    completions: list[Completion]


def _check_in(
    session: TrainingSession, cadre: Cadre, *, at: dt.datetime, source: str
) -> CheckInResult:
    if at < session.checkin_opens_at:
        raise CheckInRefused(
            _("Check-in for this session opens at %(time)s.")
            % {"time": date_format(timezone.localtime(session.checkin_opens_at), "H:i d/m/Y")}
        )
    if at > session.checkin_closes_at:
        raise CheckInRefused(_("Check-in for this session has closed."))
    existing = Attendance.objects.filter(session=session, cadre=cadre).first()
    if existing is not None and existing.revoked_at is not None:
        raise CheckInRefused(
            _("Your attendance at this session was revoked. Please see the organiser.")
        )
    if existing is not None and existing.counts:
        existing.session, existing.cadre = session, cadre  # for the page, without queries
        return CheckInResult(existing, False, [])
    status = Attendance.Status.PRESENT if at <= session.late_from else Attendance.Status.LATE
    walk_in = not is_invited(session, cadre)
    attendance, changed = _upsert(
        session,
        cadre,
        status=status,
        source=source,
        at=at,
        by=cadre.user,
        walk_in=walk_in,
        keep_counting=True,
    )
    completions = _apply(attendance, by=cadre.user) if changed else []
    return CheckInResult(attendance, changed, completions)


@transaction.atomic
def attendance_check_in(
    *,
    session_id: int,
    window: int,
    signature: str,
    cadre: Cadre | None,
    at: dt.datetime | None = None,
    scanned_at: dt.datetime | None = None,
) -> CheckInResult:
    """A cadre checks themself in with the signed code from the trainer's screen.

    ``scanned_at``: when a signed-out cadre scanned (kept by the server while
    they signed in); the code must have been fresh then, and the scan recent.
    Refused (``CheckInRefused``) with nothing recorded otherwise.
    """
    from .selectors import session_for_checkin

    now = at or timezone.now()
    moment = scanned_at or now
    if scanned_at is not None and now - scanned_at > dt.timedelta(minutes=PENDING_SCAN_MINUTES):
        raise CheckInRefused(
            _("This check-in code has expired. Scan the code on the screen again.")
        )
    session = session_for_checkin(session_id)
    if session is None or not tokens.signature_valid(session.pk, window, signature):
        raise CheckInRefused(_("This check-in code is not valid for this session."))
    if not tokens.window_fresh(window, moment):
        raise CheckInRefused(
            _("This check-in code has expired. Scan the code on the screen again.")
        )
    if cadre is None:
        raise CheckInRefused(_("Your account is not linked to a cadre on the roster."))
    return _check_in(session, cadre, at=moment, source=Attendance.Source.QR)


def check_in_code_valid(*, session_id: int, window: int, signature: str, at=None) -> bool:
    """Whether a scanned code may be kept while its bearer signs in."""
    return tokens.signature_valid(session_id, window, signature) and tokens.window_fresh(window, at)


@transaction.atomic
def attendance_check_in_code(
    *, code: str, cadre: Cadre | None, at: dt.datetime | None = None
) -> CheckInResult:
    """A cadre types the six-digit code shown under the QR code."""
    now = at or timezone.now()
    if cadre is None:
        raise CheckInRefused(_("Your account is not linked to a cadre on the roster."))
    matches = tokens.sessions_matching_typed_code(
        code, sessions_open_for_checkin(now), typed=tokens.typed_code, at=now
    )
    if len(matches) != 1:
        raise CheckInRefused(
            _("This code is not valid or has expired. Type the code now on the screen.")
        )
    return _check_in(matches[0], cadre, at=now, source=Attendance.Source.CODE)


def _may_organise(by: User, session: TrainingSession) -> None:
    if not may_organise(by, session):
        raise PermissionDenied(_("You may not change this session's attendance."))


@transaction.atomic
def attendance_set(
    *,
    session: TrainingSession,
    cadre: Cadre,
    status: str,
    by: User,
    source: str = Attendance.Source.SHEET,
    minutes: int | None = None,
    at: dt.datetime | None = None,
) -> Attendance:
    """An organiser records a cadre's status (sheet, tick list, meeting report)."""
    _may_organise(by, session)
    return _set(session, cadre, status=status, by=by, source=source, minutes=minutes, at=at)


def _set(session, cadre, *, status, by, source, minutes=None, at=None) -> Attendance:
    if status not in Attendance.Status.values:
        raise ValueError(_("Unknown attendance status."))
    existing = Attendance.objects.filter(session=session, cadre=cadre).first()
    if existing is not None and existing.revoked_at is not None:
        return existing
    if existing is not None and existing.status == status and minutes is None:
        return existing
    walk_in = existing.walk_in if existing else not is_invited(session, cadre)
    if status in Attendance.COUNTING and at is None:
        at = existing.checked_in_at if existing and existing.checked_in_at else session.starts_at
    attendance, changed = _upsert(
        session,
        cadre,
        status=status,
        source=source,
        at=at,
        by=by,
        minutes=minutes,
        walk_in=walk_in,
    )
    if walk_in and not attendance.accepted:
        # The organiser recording a walk-in accepts them.
        Attendance.objects.filter(pk=attendance.pk).update(accepted=True)
        attendance.accepted = True
    if changed:
        _apply(attendance, by=by)
    return attendance


@transaction.atomic
def attendance_accept_walk_in(*, attendance: Attendance, by: User) -> Attendance:
    _may_organise(by, attendance.session)
    if not attendance.accepted:
        capacity.walk_in_accept_check(session=attendance.session)
    if Attendance.objects.filter(pk=attendance.pk, accepted=False).update(accepted=True):
        attendance.refresh_from_db()
        audit_record(
            action="training.walk_in_accept",
            actor=by,
            unit=attendance.session.organiser_unit,
            obj=attendance.session,
            data={"attendance": attendance.pk, "cadre": attendance.cadre_id},
        )
        _apply(attendance, by=by)
    return attendance


@transaction.atomic
def attendance_revoke(*, attendance: Attendance, by: User, reason: str) -> Attendance:
    """Revoke attendance with a reason; the row stays, marked revoked. Audited.
    Completions it caused are revoked too, unless another session still counts."""
    _may_organise(by, attendance.session)
    reason = reason.strip()
    if not reason:
        raise ValueError(_("Give a reason."))
    updated = Attendance.objects.filter(pk=attendance.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by, revoke_reason=reason
    )
    attendance.refresh_from_db()
    if updated:
        audit_record(
            action="training.attendance_revoke",
            actor=by,
            unit=attendance.session.organiser_unit,
            obj=attendance.session,
            data={"attendance": attendance.pk, "cadre": attendance.cadre_id, "reason": reason},
        )
        _apply(attendance, by=by, reason=reason)
    return attendance


# --- reminders ----------------------------------------------------------------------


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


# --- meeting attendee reports -------------------------------------------------------

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
    _may_organise(by, session)
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


def _import_record(
    session: TrainingSession,
    records: dict[int, tuple[str, int, dt.datetime | None]],
    *,
    by: User,
) -> None:
    """Write the report's attendance (cadre id -> status, minutes, time) and
    what it causes, in a fixed number of queries whatever the number of
    cadres: new rows in bulk, rows already there (a re-import, a QR check-in
    before) updated as :func:`_set` would, then one batch of completions, and
    revocations for the rare rows that stopped counting."""
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
    _complete(session, newly_counting, by=by)
    _uncomplete_stopped(session, changed, by=by)


def _uncomplete_stopped(session: TrainingSession, changed: list[Attendance], *, by: User) -> None:
    """Revoke the completions this session caused for the updated rows that
    no longer count (one query when none stopped counting)."""
    stopped = [a.cadre_id for a in changed if not a.counts]
    if stopped:
        caused = set(
            Completion.objects.filter(
                training__cadre_id__in=stopped,
                enrolment__course_id__in=[course_id for course_id, _p in _target_courses(session)],
                revoked_at__isnull=True,
            ).values_list("training__cadre_id", flat=True)
        )
        for attendance in changed:
            if attendance.cadre_id in caused:
                _uncomplete(session, attendance.cadre, by=by, reason="")
