"""Reads for reports, narrowed to what the acting user may see.

An HR officer reads their unit subtree; an administrator the whole tree;
anybody else nothing. A unit outside one's subtree is the same 404 as a
unit that does not exist.
"""

import datetime as dt
import hashlib
from collections.abc import Callable, Iterator
from itertools import islice
from typing import TypeVar

from django.core.cache import cache
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cadres.caching import data_version
from cadres.models import Cadre, Membership, OrgUnit, Succession, User
from cadres.selectors import unit_get_for_user, units_visible_to
from courses.models import Enrolment, Programme
from courses.selectors import programme_population

from .figures import (
    STEPLEN,
    Report,
    completions_on,
    counted_memberships,
    report_build,
    spells_on,
)
from .models import ReportExport, Snapshot, Target

T = TypeVar("T")


class ReportError(ValueError):
    """The report cannot be drawn as asked; the message says why, in Vietnamese."""


def can_read_reports(user: User) -> bool:
    return user.is_authenticated and (
        user.is_administrator or (user.is_hr_officer and user.scope_unit_id is not None)
    )


def report_root(user: User, unit_id=None) -> OrgUnit:
    """The unit a report starts from: the one asked for if the user may see
    it, else their scope unit (the province's root for an administrator)."""
    if not can_read_reports(user):
        raise Http404
    if unit_id not in (None, ""):
        return unit_get_for_user(user, unit_id)
    if user.is_hr_officer and user.scope_unit_id:
        return user.scope_unit
    root = OrgUnit.get_root_nodes().order_by("path").first()
    if root is None:
        raise Http404
    return root


def ancestor_paths(unit: OrgUnit) -> list[str]:
    return [unit.path[:end] for end in range(STEPLEN, len(unit.path) + 1, STEPLEN)]


def targets_covering(unit: OrgUnit) -> dict[int, Target]:
    """{programme id: the target set on the nearest unit at or above ``unit``}."""
    targets: dict[int, Target] = {}
    covering = Target.objects.filter(unit__path__in=ancestor_paths(unit)).select_related(
        "programme"
    )
    for target in covering.order_by("unit__depth"):
        targets[target.programme_id] = target  # deeper units override
    return targets


def programmes_for_reports() -> list[Programme]:
    return list(Programme.objects.order_by("name", "pk"))


def check_day(root: OrgUnit, day: dt.date) -> None:
    if day > timezone.localdate():
        raise ReportError(_("The date cannot be in the future."))
    if not root.is_valid_on(day):
        if root.valid_from and day < root.valid_from:
            predecessors = ", ".join(
                Succession.objects.filter(successor=root)
                .order_by("predecessor__name")
                .values_list("predecessor__name", flat=True)
            )
            message = _("%(unit)s exists only from %(date)s; choose that date or a later one.") % {
                "unit": root.name,
                "date": root.valid_from.strftime("%d/%m/%Y"),
            }
            if predecessors:
                message += " " + _("Before it, the figures belong to: %(units)s.") % {
                    "units": predecessors
                }
            raise ReportError(message)
        raise ReportError(
            _("%(unit)s ceased to exist on %(date)s; choose an earlier date.")
            % {"unit": root.name, "date": root.valid_to.strftime("%d/%m/%Y")}
        )


def report_for(
    *,
    root: OrgUnit,
    programme: Programme,
    day: dt.date,
    full_time_only: bool = False,
    unit_kind: str = "",
    targets: dict[int, Target] | None = None,
    levels: int | None = None,
) -> Report:
    """The report for a root already scoped with :func:`report_root`, down
    to ``levels`` below it (None: the whole tree)."""
    check_day(root, day)
    if targets is None:
        targets = targets_covering(root)
    target = targets.get(programme.pk)
    source = target or programme
    parts = (
        root.pk,
        root.path,
        programme.pk,
        target.pk if target else 0,
        target.percentage if target else "",
        target.starts_on if target else "",
        target.deadline if target else "",
        source.full_time_only,
        source.positions,
        day.isoformat(),
        full_time_only,
        unit_kind,
        "all" if levels is None else levels,
    )
    return cached(
        "report",
        parts,
        lambda: report_build(
            root=root,
            programme=programme,
            day=day,
            target=target,
            full_time_only=full_time_only,
            unit_kind=unit_kind,
            levels=levels,
        ),
    )


# How long a drawn report is kept. A change of data moves the version on and
# so is seen at once; this bounds what the version does not follow (a unit
# renamed, a replica that lagged behind the primary when the report was drawn).
REPORT_CACHE_SECONDS = 300


def cached(kind: str, parts: tuple, compute: Callable[[], T]) -> T:
    """``compute()``, kept in the cache under what it was drawn from
    (``parts``: the scoped root unit, what is counted and how deep), the
    data version and the language."""
    digest = hashlib.sha256(
        repr((*parts, data_version(), get_language() or "")).encode()
    ).hexdigest()[:32]
    key = f"reports:{kind}:{digest}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, REPORT_CACHE_SECONDS)
    return value


def report_open(report: Report, unit: OrgUnit) -> bool:
    """Fetch the units right under ``unit`` (a unit of ``report``'s tree whose
    children were not fetched) with their figures, and hang them under its
    row. Two queries; False when the unit is not a row of the report."""
    row = next((r for r in report.rows if r.unit_id == unit.pk), None)
    if row is None or row.children or not row.has_hidden_children:
        return False
    branch = report_build(
        root=unit,
        programme=report.programme,
        day=report.day,
        target=report.target,
        full_time_only=report.population.full_time_only,
        unit_kind=report.population.unit_kind,
        courses=report.courses,
        levels=1,
    )
    row.children = branch.root.children
    row.has_hidden_children = False
    for child in _walk(row.children):
        child.level += row.level
    at = report.rows.index(row) + 1
    report.rows[at:at] = list(_walk(row.children))
    return True


def _walk(rows):
    for row in rows:
        yield row
        yield from _walk(row.children)


def cadre_memberships(report: Report, *, incomplete_only: bool = False) -> QuerySet[Membership]:
    """The memberships counted in ``report`` (its whole tree), in name order,
    for the database to paginate: units by path prefix, no list of unit ids.
    ``incomplete_only`` leaves out the cadres the trained fact counts."""
    day = report.day
    memberships = counted_memberships(report.root.path, day, report.population)
    if incomplete_only and report.courses:
        memberships = memberships.exclude(
            cadre_id__in=spells_on(report.programme.pk, day).values("cadre_id")
        )
    return memberships.order_by("cadre__sort_key", "cadre_id", "unit__path")


MEMBER_FIELDS = (
    "cadre_id",
    "cadre__family_name",
    "cadre__given_name",
    "unit_id",
    "unit__name",
    "position",
    "is_full_time",
)


# A list of cadres drawn in one request (the XLSX of a unit's cadres, the
# text of those who have not completed) holds at most this many: past it the
# officer is asked to choose a smaller unit.
CADRE_LIST_MOST = 100_000


def unit_cadre_rows_all(
    report: Report, *, incomplete_only: bool = False, batch: int = 2_000
) -> Iterator[dict]:
    """Every row of :func:`unit_cadre_rows` for the report's members, read
    ``batch`` members at a time: memory stays flat however many there are."""
    members = (
        cadre_memberships(report, incomplete_only=incomplete_only)
        .values_list(*MEMBER_FIELDS)
        .iterator(chunk_size=batch)
    )
    while page := list(islice(members, batch)):
        yield from unit_cadre_rows(report, page)


def unit_cadre_rows(report: Report, members) -> list[dict]:
    """The cadres counted in ``report`` with each required course's state on
    the report day and their last activity, for ``members`` (tuples of
    :data:`MEMBER_FIELDS`, a page of :func:`cadre_memberships`). Three
    queries, plain tuples."""
    day = report.day
    members = list(members)
    in_scope = sorted({member[0] for member in members})
    course_ids = [c for c, _t in report.courses]
    enrolments: dict[tuple[int, int], tuple[int, dt.datetime | None]] = {
        (cadre_id, course_id): (pk, activity)
        for pk, cadre_id, course_id, activity in Enrolment.objects.filter(
            cadre_id__in=in_scope, course_id__in=course_ids
        ).values_list("pk", "cadre_id", "course_id", "last_activity_at")
    }
    done = dict(
        completions_on(day)
        .filter(enrolment__cadre_id__in=in_scope, enrolment__course_id__in=course_ids)
        .values_list("enrolment_id", "completed_at")
    )
    routes = dict(
        spells_on(report.programme.pk, day)
        .filter(cadre_id__in=in_scope)
        .values_list("cadre_id", "route")
    )
    out = []
    for cadre_id, family, given, unit_id, unit_name, position, full_time in members:
        courses = []
        missing = []
        last = None
        for course_id, title in report.courses:
            enrolment_id, activity = enrolments.get((cadre_id, course_id), (None, None))
            completed = done.get(enrolment_id) if enrolment_id else None
            if completed:
                state = "done"
            elif activity:
                state = "started"
            elif enrolment_id:
                state = "enrolled"
            else:
                state = "none"
            if state != "done":
                missing.append(title)
            if activity and (last is None or activity > last):
                last = activity
            courses.append({"title": title, "state": state, "completed_at": completed})
        out.append(
            {
                "cadre_id": cadre_id,
                "name": f"{family} {given}".strip(),
                "unit_id": unit_id,
                "unit_name": unit_name,
                "position": position,
                "is_full_time": full_time,
                "courses": courses,
                "missing": missing,
                "trained": bool(course_ids) and not missing,
                "route": routes.get(cadre_id, ""),
                "last_activity": last,
            }
        )
    return out


def report_export_get_for_user(user: User, pk) -> ReportExport:
    """An export, for the officer who asked for it while they may still read
    its unit's report; anyone else (another officer of the same unit
    included) gets the same 404 as for an export that does not exist."""
    if not can_read_reports(user):
        raise Http404
    export = (
        ReportExport.objects.filter(pk=pk, requested_by=user, unit__in=units_visible_to(user))
        .select_related("unit", "programme", "target")
        .first()
    )
    if export is None:
        raise Http404
    return export


def snapshots_visible_to(user: User) -> QuerySet[Snapshot]:
    return Snapshot.objects.filter(unit__in=units_visible_to(user)).select_related("target", "unit")


def snapshot_get_for_user(user: User, pk) -> Snapshot:
    snapshot = snapshots_visible_to(user).prefetch_related("rows").filter(pk=pk).first()
    if snapshot is None:
        raise Http404
    return snapshot


def snapshots_of_target(target: Target, unit: OrgUnit) -> list[Snapshot]:
    return list(Snapshot.objects.filter(target=target, unit=unit).order_by("as_of", "frozen_at"))


def cadres_with_login_missing(programme: Programme, course_ids: list[int]) -> QuerySet[Cadre]:
    """Cadres of the programme's population today who have an active login and
    lack a completion of at least one required course."""
    from .figures import trained_cadre_ids

    return (
        programme_population(programme)
        .filter(user__isnull=False, user__is_active=True)
        .exclude(pk__in=trained_cadre_ids(course_ids=course_ids, day=timezone.localdate()))
        .select_related("user")
    )
