"""The overview page's figures: how deep its tree goes, and the courses and
quizzes with the lowest rates. Each is drawn once per data version (the
report cache, :func:`reports.selectors.cached`)."""

import datetime as dt

from django.db.models import Count, Q
from django.utils import timezone
from wagtail.models import Page

from assessments.models import Attempt
from cadres.models import OrgUnit
from cadres.selectors import memberships_on
from courses.models import Enrolment

from .figures import GROUP_KINDS, Report, Row, units_on
from .selectors import cached

# The overview ranks the units furthest behind among at most this many: a
# national tree (100,000 units) ranks its communes, a province all its units.
DASHBOARD_UNITS = 5_000


def drawn_levels(root: OrgUnit, day: dt.date, *, most: int | None = None) -> int | None:
    """How many levels below ``root`` a view of the whole tree (the overview,
    the PDF) draws: all of them (None)
    when the subtree has at most ``most`` units on ``day``, else the most
    levels whose units stay within ``most`` (:data:`DASHBOARD_UNITS`).
    One grouped query."""
    most = most or DASHBOARD_UNITS
    per_depth = dict(units_on(root, day).order_by().values_list("depth").annotate(n=Count("pk")))
    if sum(per_depth.values()) <= most:
        return None
    shown, levels = 0, 0
    for depth in sorted(per_depth):
        shown += per_depth[depth]
        if shown > most:
            break
        levels = depth - root.depth
    return max(levels, 1)


RANKED_OUT_KINDS = GROUP_KINDS | {
    OrgUnit.Kind.PROVINCE_COMMITTEE,
    OrgUnit.Kind.DISTRICT_COMMITTEE,
    OrgUnit.Kind.AGENCY,
}


def furthest_behind(report: Report, *, limit: int = 10) -> list[Row]:
    """Units with the most cadres still needed to meet the target (then the
    lowest share trained). Aggregating nodes — the root, groups, former
    districts — are left out: they would always top the list."""
    rows = [
        row
        for row in report.rows[1:]
        if row.gap and row.kind not in RANKED_OUT_KINDS and row.status != "met"
    ]
    rows.sort(key=lambda r: (-r.gap, r.percent or 0, r.name))
    return rows[:limit]


def course_completion_rates(root: OrgUnit, *, limit: int = 10) -> list[dict]:
    """Courses by share of enrolments completed, lowest first, for cadres
    who are members in ``root``'s subtree today. Kept in the report cache:
    a new enrolment shows within :data:`REPORT_CACHE_SECONDS`, a completion
    at once."""
    return cached("courses", (root.pk, root.path, limit), lambda: _course_rates(root, limit))


def _course_rates(root: OrgUnit, limit: int) -> list[dict]:
    members = memberships_on(timezone.localdate()).filter(
        unit__path__startswith=root.path, unit__depth__gte=root.depth
    )
    # Counted per course id, titles fetched after: joining the page to
    # every enrolment first costs a third of the time on a national tree.
    rows = list(
        Enrolment.objects.filter(cadre_id__in=members.values("cadre_id"))
        .values("course_id")
        .annotate(
            enrolled=Count("pk"),
            completed=Count("pk", filter=Q(completed_at__isnull=False)),
        )
        .order_by()
    )
    titles = dict(
        Page.objects.filter(pk__in=[r["course_id"] for r in rows]).values_list("pk", "title")
    )
    out = [
        {
            "title": titles.get(r["course_id"], ""),
            "enrolled": r["enrolled"],
            "completed": r["completed"],
            "percent": r["completed"] * 100 / r["enrolled"] if r["enrolled"] else 0,
        }
        for r in rows
    ]
    out.sort(key=lambda r: (r["percent"], -r["enrolled"], r["title"]))
    return out[:limit]


def quiz_pass_rates(root: OrgUnit, *, limit: int = 20) -> list[dict]:
    """Each quiz's graded attempts by cadres who are members in ``root``'s
    subtree today: how many cadres tried, how many passed at least once (the
    share is of those), and how many attempts it took. Lowest share first.
    Kept in the report cache, as :func:`course_completion_rates`."""
    return cached("quizzes", (root.pk, root.path, limit), lambda: _quiz_rates(root, limit))


def _quiz_rates(root: OrgUnit, limit: int) -> list[dict]:
    members = memberships_on(timezone.localdate()).filter(
        unit__path__startswith=root.path, unit__depth__gte=root.depth
    )
    rows = list(
        Attempt.objects.filter(cadre_id__in=members.values("cadre_id"), graded_at__isnull=False)
        .values("quiz_id", "quiz__title", "quiz__path")
        .annotate(
            attempted=Count("cadre_id", distinct=True),
            passed=Count("cadre_id", filter=Q(passed=True), distinct=True),
            attempts=Count("pk"),
        )
        .order_by()
    )
    parents = {row["quiz__path"][: -Page.steplen] for row in rows}
    courses = dict(Page.objects.filter(path__in=parents).values_list("path", "title"))
    out = [
        {
            "quiz": row["quiz__title"],
            "course": courses.get(row["quiz__path"][: -Page.steplen], ""),
            "attempted": row["attempted"],
            "passed": row["passed"],
            "attempts": row["attempts"],
            "percent": row["passed"] * 100 / row["attempted"],
        }
        for row in rows
    ]
    out.sort(key=lambda r: (r["percent"], -r["attempted"], r["course"], r["quiz"]))
    return out[:limit]
