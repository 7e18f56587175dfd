"""A whole report's unit figures for an export, read from the database in one
grouped query and handed out a row at a time: nothing holds the tree.

The rows are those of :func:`reports.figures.report_build` with no depth limit
(every unit valid on the day whose ancestors were too, pruned to a unit kind
and the units above it when one is asked for) with the same figures: a unit
counts its own memberships and those of every unit under it. Here the
database sums them — each unit's own counts are added under each of its
ancestors' path prefixes — where the page's build rolls them up in Python.
"""

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import connections
from django.db.models import Max, Q, QuerySet
from django.db.models.functions import Substr

from cadres.models import OrgUnit
from cadres.selectors import memberships_on
from config.routers import read_alias

from .figures import STEPLEN, Population, per_unit_sql, population_memberships, units_on

# Rows fetched from the database at a time.
FETCH = 2000


@dataclass(frozen=True)
class UnitFigures:
    level: int
    name: str
    parent_name: str
    kind: str
    in_scope: int
    trained: int


def _valid_on(day: dt.date) -> Q:
    return Q(Q(valid_from__isnull=True) | Q(valid_from__lte=day)) & Q(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def deepest_depth(root: OrgUnit, day: dt.date) -> int:
    return units_on(root, day).aggregate(deepest=Max("depth"))["deepest"] or root.depth


def placed_units(root: OrgUnit, day: dt.date, deepest: int) -> QuerySet[OrgUnit]:
    """Units of the root's subtree valid on ``day`` under ancestors that were
    too: a unit under one that was not (a data error) has no place in the
    tree, and neither do its cadres. One anti-join per depth."""
    units = units_on(root, day)
    invalid = OrgUnit.objects.filter(path__startswith=root.path).exclude(_valid_on(day))
    for depth in range(root.depth + 1, deepest):
        prefix = f"prefix_{depth}"
        units = units.annotate(**{prefix: Substr("path", 1, depth * STEPLEN)}).exclude(
            Q(depth__gt=depth),
            Q(**{f"{prefix}__in": invalid.filter(depth=depth).values("path")}),
        )
    return units


def kept_units(
    units: QuerySet[OrgUnit], root: OrgUnit, unit_kind: str, deepest: int
) -> QuerySet[OrgUnit]:
    """With a unit kind asked for: units of that kind, the root, and every
    unit with a (placed) unit of that kind under it."""
    if not unit_kind:
        return units
    of_kind = units.filter(kind=unit_kind)
    keep = Q(kind=unit_kind) | Q(depth=root.depth)
    for depth in range(root.depth, deepest):
        above = of_kind.filter(depth__gt=depth).annotate(
            ancestor=Substr("path", 1, depth * STEPLEN)
        )
        keep |= Q(depth=depth, path__in=above.values("ancestor"))
    return units.filter(keep)


@dataclass
class ExportQuery:
    """What an export counts: the report's root, day, programme and population."""

    root: OrgUnit
    day: dt.date
    programme_id: int
    population: Population
    has_courses: bool

    def __post_init__(self):
        self.deepest = deepest_depth(self.root, self.day)
        placed = placed_units(self.root, self.day, self.deepest)
        self.placed = placed
        self.units = kept_units(placed, self.root, self.population.unit_kind, self.deepest)

    def count(self) -> int:
        return self.units.count()

    def _rolled_sql(self) -> tuple[str, tuple]:
        """(key, n, t): each unit's own counts summed under every ancestor's
        path at or below the root (its own path included)."""
        memberships = population_memberships(
            memberships_on(self.day).filter(unit__in=self.placed.values("pk")),
            self.population,
            self.day,
        )
        per_unit, params = per_unit_sql(
            memberships,
            programme_id=self.programme_id,
            day=self.day,
            has_courses=self.has_courses,
        )
        table = OrgUnit._meta.db_table
        own = (
            f"SELECT u.path AS path, u.depth AS depth, x.n AS n, x.t AS t "  # noqa: S608
            f"FROM ({per_unit}) x JOIN {table} u ON u.id = x.unit_id"
        )
        depths = range(self.root.depth, self.deepest + 1)
        spread = " UNION ALL ".join(
            "SELECT SUBSTR(path, 1, %s) AS k, n, t FROM own WHERE depth >= %s" for _ in depths
        )
        spread_params = tuple(v for depth in depths for v in (depth * STEPLEN, depth))
        sql = (
            f"WITH own AS ({own}) "  # noqa: S608
            f"SELECT k, SUM(n) AS n, SUM(t) AS t FROM ({spread}) s GROUP BY k"
        )
        return sql, (*params, *spread_params)

    def rows(self, *, by_level: bool) -> Iterator[UnitFigures]:
        """Every unit of the export with its figures: in tree order, or level
        by level (each level in tree order) when ``by_level``."""
        units_sql, units_params = (
            self.units.order_by().values("depth", "name", "kind", "path").query.sql_with_params()
        )
        rolled_sql, rolled_params = self._rolled_sql()
        table = OrgUnit._meta.db_table
        order = "u.depth, u.path" if by_level else "u.path"
        sql = (
            "SELECT u.depth, u.name, u.kind, COALESCE(p.name, ''), "  # noqa: S608
            "COALESCE(r.n, 0), COALESCE(r.t, 0) "
            f"FROM ({units_sql}) u "
            f"LEFT JOIN {table} p ON u.depth > %s "
            "AND p.path = SUBSTR(u.path, 1, LENGTH(u.path) - %s) "
            f"LEFT JOIN ({rolled_sql}) r ON r.k = u.path "
            f"ORDER BY {order}"
        )
        params = (*units_params, self.root.depth, STEPLEN, *rolled_params)
        # A server-side cursor on PostgreSQL: rows arrive FETCH at a time.
        with connections[read_alias()].chunked_cursor() as cursor:
            cursor.execute(sql, params)
            while batch := cursor.fetchmany(FETCH):
                for depth, name, kind, parent, in_scope, trained in batch:
                    yield UnitFigures(
                        level=depth - self.root.depth,
                        name=name,
                        parent_name=parent,
                        kind=kind,
                        in_scope=int(in_scope),
                        trained=int(trained),
                    )
