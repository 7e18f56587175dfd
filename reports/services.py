"""Every write of the reports app: targets, frozen snapshots, weekly reminders."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cadres.models import OrgUnit, User
from cadres.services import audit_record, notification_send
from cadres.text import nfc
from courses.models import Programme

from .dashboard import furthest_behind
from .figures import Report, completions_on, report_build, required_courses
from .formatting import fmt_date, fmt_int, fmt_percent, status_label
from .models import Snapshot, SnapshotRow, Target
from .selectors import cadres_with_login_missing, targets_covering


def target_create(
    *,
    programme: Programme,
    unit: OrgUnit,
    percentage: int,
    deadline: dt.date,
    starts_on: dt.date | None = None,
    full_time_only: bool = False,
    positions: str = "",
    by: User | None = None,
) -> Target:
    target = Target(
        programme=programme,
        unit=unit,
        percentage=percentage,
        deadline=deadline,
        starts_on=starts_on or timezone.localdate(),
        full_time_only=full_time_only,
        positions=nfc(positions),
        created_by=by,
    )
    target.full_clean()
    target.save()
    if by is not None:
        audit_record(action="target.create", actor=by, unit=unit, obj=target)
    return target


@transaction.atomic
def snapshot_freeze(
    *, report: Report, note: str, by: User, request: HttpRequest | None = None
) -> Snapshot:
    """Store the report's rows as they stand; they are never recomputed."""
    target = report.target
    if target is None:
        raise ValidationError(_("This programme has no target for this unit: nothing to freeze."))
    root = report.root
    snapshot = Snapshot.objects.create(
        target=target,
        unit_id=root.unit_id,
        as_of=report.day,
        full_time_only=report.population.full_time_only,
        unit_kind=report.population.unit_kind,
        note=nfc(note),
        frozen_by=by,
        frozen_by_name=(by.get_full_name() or by.get_username())[:255],
        programme_name=report.programme.name,
        unit_name=root.name,
        target_percentage=target.percentage,
        deadline=target.deadline,
        in_scope=root.in_scope,
        trained=root.trained,
    )
    SnapshotRow.objects.bulk_create(
        [
            SnapshotRow(
                snapshot=snapshot,
                order=order,
                level=row.level,
                unit_id=row.unit_id,
                unit_name=row.name,
                unit_kind=row.kind,
                in_scope=row.in_scope,
                trained=row.trained,
                gap=row.gap or 0,
                status=row.status,
            )
            for order, row in enumerate(report.rows)
        ],
        batch_size=500,
    )
    audit_record(
        action="report.snapshot",
        actor=by,
        request=request,
        unit=snapshot.unit,
        obj=snapshot,
        data={"as_of": report.day.isoformat(), "target": target.pk, "unit": root.unit_id},
    )
    return snapshot


def week_key(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def programme_reminders_send(*, programme: Programme, week: str) -> int:
    """Remind every cadre of the programme's population who lacks a required
    course; once per cadre, programme and week. Returns how many were sent."""
    courses = required_courses(programme)
    if programme.is_optional or not courses:
        return 0
    course_ids = [c for c, _t in courses]
    missing = cadres_with_login_missing(programme, course_ids)
    cadres = list(missing)
    done = set(
        completions_on(timezone.localdate())
        .filter(
            # a subquery, not a list of ids: a province has more cadres than
            # a query may carry parameters
            enrolment__cadre_id__in=missing.values("pk"),
            enrolment__course_id__in=course_ids,
        )
        .values_list("enrolment__cadre_id", "enrolment__course_id")
    )
    sent = 0
    with translation.override("vi"):
        for cadre in cadres:
            missing = [title for course_id, title in courses if (cadre.pk, course_id) not in done]
            body = _("You still need to complete: %(courses)s.") % {"courses": "; ".join(missing)}
            if programme.deadline:
                body += " " + _("Deadline: %(date)s.") % {"date": fmt_date(programme.deadline)}
            notification = notification_send(
                user=cadre.user,
                kind="reports.reminder",
                title=_("Reminder: %(programme)s") % {"programme": programme.name},
                body=body,
                url=reverse("home"),
                dedupe_key=f"reports:reminder:{programme.pk}:{week}",
            )
            sent += notification is not None
    return sent


def hr_digest_send(*, user: User, week: str) -> bool:
    """Send an HR officer the week's gaps in their subtree; once per week."""
    root = user.scope_unit
    if not user.is_active or root is None:
        return False
    today = timezone.localdate()
    lines = []
    with translation.override("vi"):
        for target in targets_covering(root).values():
            if not root.is_valid_on(today):
                break
            report = report_build(root=root, programme=target.programme, day=today, target=target)
            top = report.root
            lines.append(
                _(
                    "%(programme)s: %(trained)s of %(in_scope)s trained (%(percent)s), "
                    "target %(target)s%% by %(deadline)s, %(gap)s more needed — %(status)s."
                )
                % {
                    "programme": target.programme.name,
                    "trained": fmt_int(top.trained),
                    "in_scope": fmt_int(top.in_scope),
                    "percent": fmt_percent(top.percent),
                    "target": target.percentage,
                    "deadline": fmt_date(target.deadline),
                    "gap": fmt_int(top.gap),
                    "status": status_label(top.status),
                }
            )
            for row in furthest_behind(report, limit=5):
                lines.append(
                    "  – "
                    + _("%(unit)s: %(gap)s more needed (%(percent)s)")
                    % {
                        "unit": row.name,
                        "gap": fmt_int(row.gap),
                        "percent": fmt_percent(row.percent),
                    }
                )
        if not lines:
            return False
        notification = notification_send(
            user=user,
            kind="reports.digest",
            title=_("Weekly training progress: %(unit)s") % {"unit": root.name},
            body="\n".join(lines),
            url=reverse("reports:report"),
            dedupe_key=f"reports:digest:{week}",
        )
    return notification is not None
