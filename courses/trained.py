"""The maintained "trained" fact: per cadre and programme, the spans during
which every required course had a standing completion (:class:`TrainedSpell`).

A completion stands at an instant ``t`` when ``completed_at < t <= revoked_at``
(never revoked: from ``completed_at`` on); a report day stands at the first
instant after it. A cadre is trained for a programme at ``t`` when each
required course has a standing completion; the spans are the intersection,
course by course, of those completion spans. Position, full-time flag and
unit are facts of a membership, not of the cadre, so a target that narrows
its population narrows the memberships a report reads, never this fact.

Kept true three ways:

- :func:`trained_refresh` recomputes a few cadres' spans in the transaction
  that records or revokes a completion (courses' services) or links it to a
  training session (trainings' services);
- :func:`trained_rebuild` recomputes a programme (its required courses
  changed) or everything (``manage.py trained_rebuild``);
- :func:`trained_check` recomputes everything independently, in Python, and
  lists where the table differs (``manage.py trained_rebuild --check``).
"""

import datetime as dt
from collections.abc import Iterable, Iterator

from django.db import connection, transaction
from django.db.models import BooleanField, Case, Q, Value, When

from cadres.caching import data_changed

from . import requirements
from .models import Completion, Enrolment, ProgrammeCourse, TrainedSpell

Route = TrainedSpell.Route
# (completed_at, revoked_at or None, caused by training)
Stand = tuple[dt.datetime, dt.datetime | None, bool]
Spell = tuple[dt.datetime, dt.datetime | None, str]


def _route(origins: frozenset[bool]) -> str:
    if origins == {True}:
        return Route.TRAINING
    if origins == {False}:
        return Route.COURSE
    return Route.BOTH


def _min(a: dt.datetime | None, b: dt.datetime | None) -> dt.datetime | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def spells_of(by_course: dict[int, list[Stand]], course_ids: Iterable[int]) -> list[Spell]:
    """A cadre's trained spells for required ``course_ids`` given their
    completions per course; pure, so the property test can lean on it.

    Intersect the courses' standing spans one course at a time, then merge
    spans that touch. A spell's route is that of the completions standing
    as it began.
    """
    course_ids = list(course_ids)
    if not course_ids:
        return []
    spans: list[tuple[dt.datetime, dt.datetime | None]] | None = None
    for course_id in course_ids:
        pieces = [
            (start, end)
            for start, end, _by_training in by_course.get(course_id, ())
            if end is None or end > start
        ]
        if spans is None:
            spans = pieces
        else:
            spans = [
                (max(a1, a2), end)
                for a1, b1 in spans
                for a2, b2 in pieces
                if (end := _min(b1, b2)) is None or end > max(a1, a2)
            ]
        if not spans:
            return []
    spans.sort(key=lambda span: span[0])
    merged: list[list] = []
    for start, end in spans:
        last = merged[-1] if merged else None
        if last is not None and (last[1] is None or start <= last[1]):
            last[1] = None if last[1] is None or end is None else max(last[1], end)
        else:
            merged.append([start, end])
    return [
        (start, end, _route(_origins_at(by_course, course_ids, start))) for start, end in merged
    ]


def _origins_at(by_course: dict[int, list[Stand]], course_ids, start) -> frozenset[bool]:
    """Whether the completions standing just after ``start`` came by training."""
    return frozenset(
        by_training
        for course_id in course_ids
        for begun, end, by_training in by_course.get(course_id, ())
        if begun <= start and (end is None or end > start)
    )


def _by_training() -> Case | Value:
    """Whether a completion was caused by training, from the registered origins."""
    q = Q()
    for origin in requirements.origins():
        q |= Q(pk__in=origin.by_training())
    if not q:
        return Value(False, output_field=BooleanField())
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def _required(*, course_ids=None, programme_ids=None) -> dict[int, list[int]]:
    """{programme id: its required course ids} for the programmes that require
    any of ``course_ids`` (or are in ``programme_ids``; neither: all)."""
    rows = ProgrammeCourse.objects.filter(required=True)
    if course_ids is not None:
        rows = rows.filter(
            programme_id__in=ProgrammeCourse.objects.filter(
                required=True, course_id__in=list(course_ids)
            ).values("programme_id")
        )
    if programme_ids is not None:
        rows = rows.filter(programme_id__in=list(programme_ids))
    out: dict[int, list[int]] = {}
    for programme_id, course_id in rows.order_by("programme_id", "course_id").values_list(
        "programme_id", "course_id"
    ):
        out.setdefault(programme_id, []).append(course_id)
    return out


def _stands(completions) -> Iterator[tuple[int, int, Stand]]:
    """(cadre id, course id, stand) for each completion, in cadre order."""
    for cadre_id, course_id, completed_at, revoked_at, by_training in (
        completions.annotate(by_training=_by_training())
        .order_by("enrolment__cadre_id", "pk")
        .values_list(
            "enrolment__cadre_id",
            "enrolment__course_id",
            "completed_at",
            "revoked_at",
            "by_training",
        )
        .iterator(chunk_size=20000)
    ):
        yield cadre_id, course_id, (completed_at, revoked_at, bool(by_training))


def _truth(required: dict[int, list[int]], completions) -> Iterator[tuple[int, int, Spell]]:
    """(cadre id, programme id, spell), cadre by cadre, from ``completions``."""
    cadre = None
    by_course: dict[int, list[Stand]] = {}

    def flush():
        for programme_id, course_ids in required.items():
            for spell in spells_of(by_course, course_ids):
                yield cadre, programme_id, spell

    for cadre_id, course_id, stand in _stands(completions):
        if cadre_id != cadre:
            if cadre is not None:
                yield from flush()
            cadre, by_course = cadre_id, {}
        by_course.setdefault(course_id, []).append(stand)
    if cadre is not None:
        yield from flush()


def _spell(cadre_id: int, programme_id: int, spell: Spell) -> TrainedSpell:
    start, end, route = spell
    return TrainedSpell(
        cadre_id=cadre_id,
        programme_id=programme_id,
        trained_from=start,
        trained_until=end,
        route=route,
    )


def trained_refresh(*, cadre_ids: Iterable[int], course_ids: Iterable[int]) -> None:
    """Recompute the spells of ``cadre_ids`` for every programme requiring one
    of ``course_ids``. Call it inside the transaction that changed their
    completions: four small queries, none when no programme requires the course."""
    cadre_ids = list(set(cadre_ids))
    data_changed()  # completions changed: course rates and the report alike
    required = _required(course_ids=course_ids)
    if not required or not cadre_ids:
        return
    all_courses = {c for courses in required.values() for c in courses}
    completions = Completion.objects.filter(
        enrolment__cadre_id__in=cadre_ids, enrolment__course_id__in=all_courses
    )
    spells = [_spell(*row) for row in _truth(required, completions)]
    TrainedSpell.objects.filter(programme_id__in=list(required), cadre_id__in=cadre_ids).delete()
    TrainedSpell.objects.bulk_create(spells)


def _origin_sql() -> tuple[str, tuple]:
    """SQL for "caused by training" over completion ``c``, with its params."""
    parts, params = [], []
    for origin in requirements.origins():
        sql, p = origin.by_training().query.sql_with_params()
        parts.append(f"c.id IN ({sql})")
        params += list(p)
    return (" OR ".join(parts) or "1 = 0"), tuple(params)


def _rebuild_programme(programme_id: int, course_ids: list[int]) -> None:
    """One programme's spells. Cadres none of whose required-course completions
    was ever revoked have one open spell from their last completion: written
    by one INSERT … SELECT. The rest (a revocation somewhere) go through
    :func:`spells_of`."""
    spell_table = TrainedSpell._meta.db_table
    completion_table = Completion._meta.db_table
    enrolment_table = Enrolment._meta.db_table
    marks = ", ".join(["%s"] * len(course_ids))
    origin, origin_params = _origin_sql()
    # Table names come from the models; every value travels as a parameter.
    sql = (
        f"INSERT INTO {spell_table} (cadre_id, programme_id, trained_from, trained_until, route) "  # noqa: S608
        "SELECT e.cadre_id, %s, MAX(c.completed_at), NULL, "
        f"CASE SUM(CASE WHEN {origin} THEN 1 ELSE 0 END) WHEN 0 THEN %s "
        "WHEN COUNT(*) THEN %s ELSE %s END "
        f"FROM {completion_table} c JOIN {enrolment_table} e ON e.id = c.enrolment_id "
        f"WHERE e.course_id IN ({marks}) "
        "GROUP BY e.cadre_id HAVING COUNT(*) = %s AND COUNT(c.revoked_at) = 0"
    )
    params = (
        programme_id,
        *origin_params,
        Route.COURSE,
        Route.TRAINING,
        Route.BOTH,
        *course_ids,
        len(course_ids),
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
    revoked = list(
        Completion.objects.filter(enrolment__course_id__in=course_ids, revoked_at__isnull=False)
        .order_by()
        .values_list("enrolment__cadre_id", flat=True)
        .distinct()
    )
    required = {programme_id: course_ids}
    for start in range(0, len(revoked), 5000):
        chunk = revoked[start : start + 5000]
        completions = Completion.objects.filter(
            enrolment__cadre_id__in=chunk, enrolment__course_id__in=course_ids
        )
        TrainedSpell.objects.bulk_create(
            [_spell(*row) for row in _truth(required, completions)], batch_size=5000
        )


@transaction.atomic
def trained_rebuild(*, programme_ids: Iterable[int] | None = None) -> int:
    """Recompute the spells of ``programme_ids`` (None: every programme) from
    the completions; returns how many spells there now are."""
    data_changed()
    spells = TrainedSpell.objects.all()
    if programme_ids is not None:
        programme_ids = list(programme_ids)
        spells = spells.filter(programme_id__in=programme_ids)
    spells._raw_delete(spells.db)
    for programme_id, course_ids in _required(programme_ids=programme_ids).items():
        _rebuild_programme(programme_id, course_ids)
    return spells.count()


def trained_check(*, limit: int = 20) -> tuple[int, list[str]]:
    """Recompute every spell in Python, independently of the SQL rebuild, and
    compare with the table: (spells checked, up to ``limit`` differences)."""
    required = _required()
    courses = {c for cs in required.values() for c in cs}
    truth = _truth(required, Completion.objects.filter(enrolment__course_id__in=courses))
    stored = (
        (cadre_id, programme_id, (start, end, route))
        for cadre_id, programme_id, start, end, route in TrainedSpell.objects.order_by(
            "cadre_id", "programme_id", "trained_from"
        )
        .values_list("cadre_id", "programme_id", "trained_from", "trained_until", "route")
        .iterator(chunk_size=20000)
    )
    differences: list[str] = []
    checked = 0
    want = _sorted_by_cadre(truth)
    for expected, actual in _zip_longest(want, stored):
        checked += 1
        if expected != actual:
            differences.append(f"expected {expected}, found {actual}")
            if len(differences) >= limit:
                break
    return checked, differences


def _sorted_by_cadre(rows: Iterator[tuple[int, int, Spell]]) -> Iterator[tuple[int, int, Spell]]:
    """``_truth`` comes cadre by cadre; within a cadre, order by programme and start."""
    batch: list[tuple[int, int, Spell]] = []
    for row in rows:
        if batch and row[0] != batch[0][0]:
            yield from sorted(batch, key=lambda r: (r[1], r[2][0]))
            batch = []
        batch.append(row)
    yield from sorted(batch, key=lambda r: (r[1], r[2][0]))


def _zip_longest(a: Iterator, b: Iterator) -> Iterator[tuple]:
    sentinel = object()
    while True:
        x, y = next(a, sentinel), next(b, sentinel)
        if x is sentinel and y is sentinel:
            return
        yield (None if x is sentinel else x), (None if y is sentinel else y)
