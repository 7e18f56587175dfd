"""Completion figures for a unit subtree on a day: one grouped query for the
per-unit counts, then a roll-up over the tree in Python.

Nothing here knows who is asking; :mod:`reports.selectors` narrows the root
to what the acting user may see before calling :func:`report_build`.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from cadres.models import OrgUnit
from cadres.selectors import memberships_on
from config.routers import read_alias
from courses.models import Completion, Enrolment, Programme, ProgrammeCourse, TrainedSpell

from .models import Status, Target

# Group nodes only hold other units; charts and rankings look through them.
GROUP_KINDS = {
    OrgUnit.Kind.COMMUNE_GROUP,
    OrgUnit.Kind.SOCIO_POLITICAL_GROUP,
}
STEPLEN = OrgUnit.steplen


def day_end(day: dt.date) -> dt.datetime:
    """The first instant after ``day`` in the local time zone."""
    return timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))


def completions_on(day: dt.date) -> QuerySet[Completion]:
    """Completions that stood at the end of ``day``: recorded by then and not
    revoked on or before it."""
    end = day_end(day)
    return Completion.objects.filter(completed_at__lt=end).filter(
        Q(revoked_at__isnull=True) | Q(revoked_at__gte=end)
    )


def trained_cadre_ids(
    *, course_ids: list[int], day: dt.date, among: QuerySet | None = None
) -> QuerySet:
    """Cadres trained for a programme as of ``day``: every required course completed.

    This is the one place that decides "trained". A valid programme
    certificate is issued only on these same completions and is revoked when
    one of them is, so it adds no cadre to this set; should certificates ever
    be granted another way, the OR belongs here.

    ``among`` (cadre ids) narrows the candidates without changing who is
    trained: a commune's report then reads its own cadres' enrolments, not
    the province's.

    An enrolment is unique per cadre and course, so counting enrolments with
    a standing completion counts distinct courses without COUNT(DISTINCT).
    """
    standing = completions_on(day).filter(enrolment_id=OuterRef("pk"))
    enrolments = Enrolment.objects.filter(course_id__in=course_ids)
    if among is not None:
        enrolments = enrolments.filter(cadre_id__in=among)
    return (
        enrolments.filter(Exists(standing))
        .order_by()
        .values("cadre_id")
        .annotate(done=Count("pk"))
        .filter(done=len(course_ids))
        .values("cadre_id")
    )


def units_on(root: OrgUnit, day: dt.date) -> QuerySet[OrgUnit]:
    """The root's subtree as it stood on ``day``."""
    return OrgUnit.objects.filter(
        Q(path__startswith=root.path, depth__gte=root.depth),
        Q(valid_from__isnull=True) | Q(valid_from__lte=day),
        Q(valid_to__isnull=True) | Q(valid_to__gte=day),
    )


@dataclass(frozen=True)
class Population:
    """Who is counted: a target's (or a programme's) filters, narrowed by the
    report's own filters."""

    full_time_only: bool = False
    positions: tuple[str, ...] = ()
    unit_kind: str = ""

    @classmethod
    def of(cls, source, *, full_time_only: bool = False, unit_kind: str = "") -> "Population":
        return cls(
            full_time_only=bool(source.full_time_only or full_time_only),
            positions=tuple(source.position_list),
            unit_kind=unit_kind or "",
        )


@dataclass
class Row:
    unit_id: int
    name: str
    kind: str
    path: str
    level: int
    own_in_scope: int = 0
    own_trained: int = 0
    in_scope: int = 0
    trained: int = 0
    children: list["Row"] = field(default_factory=list)
    gap: int | None = None
    status: str = Status.NO_TARGET
    expected: float | None = None
    # How the trained became so (the rest by their courses alone).
    by_training: int = 0
    by_both: int = 0
    # Units below this row that the report did not fetch (shown on demand).
    has_hidden_children: bool = False

    @property
    def by_course(self) -> int:
        return self.trained - self.by_training - self.by_both

    @property
    def percent(self) -> float | None:
        return self.trained * 100 / self.in_scope if self.in_scope else None

    @property
    def is_group(self) -> bool:
        return self.kind in GROUP_KINDS


@dataclass
class Report:
    root: Row
    rows: list[Row]
    day: dt.date
    programme: Programme
    target: Target | None
    population: Population
    courses: list[tuple[int, str]]
    # How many levels below the root were drawn (None: all of them).
    depth_drawn: int | None = None

    @property
    def levels(self) -> list[list[Row]]:
        by_level: dict[int, list[Row]] = {}
        for row in self.rows:
            by_level.setdefault(row.level, []).append(row)
        return [by_level[level] for level in sorted(by_level)]

    def chart_rows(self) -> list[Row]:
        """The root, then its children with group nodes looked through."""
        out = [self.root]
        stack = list(reversed(self.root.children))
        while stack:
            row = stack.pop()
            if row.is_group:
                stack.extend(reversed(row.children))
            else:
                out.append(row)
        return out


def required_courses(programme: Programme) -> list[tuple[int, str]]:
    return list(
        ProgrammeCourse.objects.filter(programme=programme, required=True)
        .order_by("sort_order", "pk")
        .values_list("course_id", "course__title")
    )


def expected_percent(target: Target, day: dt.date) -> float:
    """Where a straight line from 0 % at ``starts_on`` to the target at the
    deadline stands on ``day``."""
    span = (target.deadline - target.starts_on).days
    if span <= 0 or day >= target.deadline:
        return float(target.percentage)
    elapsed = max(0, (day - target.starts_on).days)
    return target.percentage * elapsed / span


def gap_for(percentage: int, in_scope: int, trained: int) -> int:
    needed = -(-percentage * in_scope // 100)  # ceil without floats
    return max(0, needed - trained)


def status_for(row: Row, target: Target | None, day: dt.date, expected: float | None) -> str:
    if target is None:
        return Status.NO_TARGET
    if not row.in_scope:
        return Status.EMPTY
    if row.trained * 100 >= target.percentage * row.in_scope:
        return Status.MET
    if day <= target.deadline and expected is not None and row.percent >= expected:
        return Status.ON_TRACK
    return Status.BEHIND


def spells_on(programme_id: int, day: dt.date) -> QuerySet[TrainedSpell]:
    """The maintained trained fact (:mod:`courses.trained`) as it stood at the
    end of ``day``: the cadres then trained for the programme, one spell each."""
    end = day_end(day)
    return TrainedSpell.objects.filter(programme_id=programme_id, trained_from__lt=end).filter(
        Q(trained_until__isnull=True) | Q(trained_until__gte=end)
    )


@dataclass(frozen=True)
class Counts:
    in_scope: int = 0
    trained: int = 0
    by_training: int = 0
    by_both: int = 0


NONE = Counts()


def population_memberships(
    memberships: QuerySet, population: Population, day: dt.date, *, units_checked: bool = True
) -> QuerySet:
    """``memberships`` (already narrowed to the tree) on ``day`` in units valid
    that day, narrowed to the population counted. ``units_checked=False``
    leaves the unit conditions to the caller, who joins the units later,
    once per unit."""
    if population.full_time_only:
        memberships = memberships.filter(is_full_time=True)
    if population.positions:
        memberships = memberships.filter(position__in=population.positions)
    if not units_checked:
        return memberships
    memberships = memberships.filter(
        Q(unit__valid_from__isnull=True) | Q(unit__valid_from__lte=day),
        Q(unit__valid_to__isnull=True) | Q(unit__valid_to__gte=day),
    )
    if population.unit_kind:
        memberships = memberships.filter(unit__kind=population.unit_kind)
    return memberships


def counted_memberships(path: str, day: dt.date, population: Population) -> QuerySet:
    """The memberships a report on the subtree at ``path`` counts on ``day``
    (units found by path prefix, no list of unit ids)."""
    in_tree = memberships_on(day).filter(
        unit__path__startswith=path, unit__depth__gte=len(path) // STEPLEN
    )
    return population_memberships(in_tree, population, day)


def per_unit_sql(
    memberships: QuerySet, *, programme_id: int, day: dt.date, has_courses: bool
) -> tuple[str, tuple]:
    """SQL of (unit_id, n, t, tr, b): per unit, the memberships counted, the
    trained among them, and those trained at a training session or both ways.

    The trained set is joined as a derived table: PostgreSQL hashes it once
    rather than probing it per membership. Both halves are ORM querysets.
    """
    members_sql, members_params = (
        memberships.order_by().values("unit_id", "cadre_id").query.sql_with_params()
    )
    if not has_courses:  # no required course: nobody is trained
        return (
            f"SELECT m.unit_id, COUNT(*) AS n, 0 AS t, 0 AS tr, 0 AS b FROM ({members_sql}) m "  # noqa: S608
            "GROUP BY m.unit_id"
        ), tuple(members_params)
    trained = spells_on(programme_id, day).order_by().values("cadre_id", "route")
    trained_sql, trained_params = trained.query.sql_with_params()
    # Both fragments are compiled querysets; every value travels as a parameter.
    sql = (
        "SELECT m.unit_id, COUNT(*) AS n, COUNT(t.cadre_id) AS t, "  # noqa: S608
        "COUNT(CASE WHEN t.route = %s THEN 1 END) AS tr, "
        "COUNT(CASE WHEN t.route = %s THEN 1 END) AS b "
        f"FROM ({members_sql}) m LEFT JOIN ({trained_sql}) t ON t.cadre_id = m.cadre_id "
        "GROUP BY m.unit_id"
    )
    routes = (TrainedSpell.Route.TRAINING, TrainedSpell.Route.BOTH)
    return sql, (*routes, *members_params, *trained_params)


def unit_counts(
    *,
    root: OrgUnit,
    day: dt.date,
    programme_id: int,
    population: Population,
    levels: int | None = None,
    has_courses: bool = True,
) -> dict[str, Counts]:
    """{unit path: counts} for memberships on ``day`` in units valid that day:
    one grouped query over memberships joined to the trained fact.

    A member of a unit down to ``levels`` below the root counts under that
    unit's path; one deeper counts under its ancestor at that depth (the
    path's prefix), so the query returns one row per unit shown, whatever the
    size of the tree below, and carries no list of unit ids.

    Under a subtree, memberships are found through their units (the path
    index narrows them); under a whole tree, where every unit counts, they
    are counted per unit first and the units joined once per unit.
    """
    whole_tree = root.is_root()
    memberships = memberships_on(day)
    if not whole_tree:
        memberships = memberships.filter(
            unit__path__startswith=root.path, unit__depth__gte=root.depth
        )
    memberships = population_memberships(memberships, population, day, units_checked=not whole_tree)
    per_unit, params = per_unit_sql(
        memberships, programme_id=programme_id, day=day, has_courses=has_courses
    )
    units = units_on(root, day) if whole_tree else OrgUnit.objects.all()
    if whole_tree and population.unit_kind:
        units = units.filter(kind=population.unit_kind)
    units_sql, units_params = units.order_by().values("id", "path").query.sql_with_params()
    # Counted per unit first (integers hash well), then summed under the
    # path prefix of the depth shown: the prefix is cut once per unit, not
    # once per membership.
    key = "u.path" if levels is None else "SUBSTR(u.path, 1, %s)"
    sql = (
        f"SELECT {key}, SUM(x.n), SUM(x.t), SUM(x.tr), SUM(x.b) "  # noqa: S608
        f"FROM ({per_unit}) x JOIN ({units_sql}) u ON u.id = x.unit_id GROUP BY 1"
    )
    params = (*params, *units_params)
    if levels is not None:
        params = ((root.depth + levels) * STEPLEN, *params)
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, params)
        return {path: Counts(*map(int, figures)) for path, *figures in cursor.fetchall()}


def _units_shown(root: OrgUnit, day: dt.date, levels: int | None) -> tuple[list, int | None]:
    """The units valid on ``day`` down to ``levels`` below the root, as
    (pk, name, kind, path, depth, numchild) in tree order, and the levels
    counted once group nodes right below the root are looked through."""
    units_shown = units_on(root, day)
    if levels is not None:
        # One level more than asked where group nodes stand right below the
        # root: they are looked through (the chart shows the communes, not
        # "the communes"). Fetched only then: the level below the deepest
        # shown may hold a hundred times more units.
        groups = units_on(root, day).filter(depth=root.depth + 1, kind__in=GROUP_KINDS)
        units_shown = units_shown.filter(
            Q(depth__lte=root.depth + levels) | Q(Exists(groups), depth=root.depth + levels + 1)
        )
    units = list(
        units_shown.order_by("path").values_list("pk", "name", "kind", "path", "depth", "numchild")
    )
    if levels is not None:
        if any(u[4] == root.depth + 1 and u[2] in GROUP_KINDS for u in units):
            levels += 1
        units = [u for u in units if u[4] <= root.depth + levels]
    return units, levels


def _tree_rows(
    units: list, counts: dict[str, Counts], root: OrgUnit, levels: int | None
) -> tuple[list[Row], dict[str, Row]]:
    """One row per unit with its own figures, hung under its parent; the
    rows in tree order and the rows by path."""
    deepest = None if levels is None else root.depth + levels
    by_path: dict[str, Row] = {}
    rows: list[Row] = []
    for pk, name, kind, path, depth, numchild in units:
        own = counts.get(path, NONE)
        row = Row(
            unit_id=pk,
            name=name,
            kind=kind,
            path=path,
            level=depth - root.depth,
            own_in_scope=own.in_scope,
            own_trained=own.trained,
            in_scope=own.in_scope,
            trained=own.trained,
            by_training=own.by_training,
            by_both=own.by_both,
            # Children valid on another day only still show a ▸ that opens on nothing.
            has_hidden_children=depth == deepest and numchild > 0,
        )
        parent = by_path.get(path[:-STEPLEN])
        if parent is None and path != root.path:
            # A unit valid on the day under a parent that was not (a data
            # error): its cadres cannot be placed in the tree, so it is skipped.
            continue
        if parent is not None:
            parent.children.append(row)
        by_path[path] = row
        rows.append(row)
    return rows, by_path


def _roll_up(rows: list[Row], by_path: dict[str, Row], root: OrgUnit) -> None:
    """Deepest first: every level sums its own members and its children."""
    for row in sorted(rows, key=lambda r: -r.level):
        parent = by_path.get(row.path[:-STEPLEN]) if row.path != root.path else None
        if parent is not None:
            parent.in_scope += row.in_scope
            parent.trained += row.trained
            parent.by_training += row.by_training
            parent.by_both += row.by_both


def _grade(rows: list[Row], target: Target | None, day: dt.date) -> None:
    """The expected percentage, status and gap of every row against the target."""
    expected = expected_percent(target, day) if target else None
    for row in rows:
        row.expected = expected
        row.status = status_for(row, target, day, expected)
        row.gap = gap_for(target.percentage, row.in_scope, row.trained) if target else None


def report_build(
    *,
    root: OrgUnit,
    programme: Programme,
    day: dt.date,
    target: Target | None,
    full_time_only: bool = False,
    unit_kind: str = "",
    courses: list[tuple[int, str]] | None = None,
    levels: int | None = None,
) -> Report:
    """The report for ``root``'s subtree on ``day``, down to ``levels`` below
    the root (one more through group nodes right below it; None: the whole
    tree). The deepest rows carry the figures of everything under them.
    Three queries at most."""
    if courses is None:
        courses = required_courses(programme)
    population = Population.of(
        target or programme, full_time_only=full_time_only, unit_kind=unit_kind
    )
    units, levels = _units_shown(root, day, levels)
    counts = unit_counts(
        root=root,
        day=day,
        programme_id=programme.pk,
        population=population,
        levels=levels,
        has_courses=bool(courses),
    )
    rows, by_path = _tree_rows(units, counts, root, levels)
    _roll_up(rows, by_path, root)
    if unit_kind:
        rows = _prune_to_kind(by_path[root.path], unit_kind) if root.path in by_path else []
    _grade(rows, target, day)
    root_row = rows[0] if rows else Row(root.pk, root.name, root.kind, root.path, 0)
    return Report(
        root=root_row,
        rows=rows,
        day=day,
        programme=programme,
        target=target,
        population=population,
        courses=courses,
        depth_drawn=levels,
    )


def _prune_to_kind(root: Row, kind: str) -> list[Row]:
    """Keep units of ``kind`` and the units above them; returns pre-order rows.
    A unit whose children were not fetched stays when members of ``kind``
    are counted under it (only they are counted)."""

    def keep(row: Row) -> bool:
        row.children = [child for child in row.children if keep(child)]
        hidden = row.has_hidden_children and row.in_scope > 0
        return row.kind == kind or bool(row.children) or hidden or row is root

    keep(root)
    out: list[Row] = []
    stack = [root]
    while stack:
        row = stack.pop()
        out.append(row)
        stack.extend(reversed(row.children))
    return out
