"""The maintained trained fact equals the recomputed truth: after random
sequences of completions, revocations, attendance, moves, restructurings and
imports, every report figure read through the fact is the one the live
definition (:func:`reports.figures.trained_cadre_ids`) gives, and the rebuild
command's check finds no difference."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cadres.models import Membership, OrgUnit, UnitCode
from cadres.roster.memberships import MembershipError
from cadres.selectors import memberships_on
from cadres.services import cadre_create, cadre_move
from cadres.units.restructuring import restructuring_apply, restructuring_start
from courses.models import Completion, Enrolment, TrainedSpell
from courses.services import completion_record_manual, completion_revoke, enrolment_create
from courses.trained import spells_of, trained_check, trained_rebuild, trained_refresh
from reports.figures import report_build, trained_cadre_ids, units_on
from tests.factories import make_cadre, make_unit
from trainings.models import Attendance, TrainingSession
from trainings.services import attendance_revoke, attendance_set

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)


# --- the pure intersection, against brute force ------------------------------------------

stand = st.tuples(st.integers(0, 40), st.one_of(st.none(), st.integers(0, 40)), st.booleans()).map(
    lambda s: (
        T0 + dt.timedelta(hours=s[0]),
        None if s[1] is None else T0 + dt.timedelta(hours=s[1]),
        s[2],
    )
)


def _stands_at(stands, t) -> list[bool]:
    return [by for start, end, by in stands if start < t and (end is None or t <= end)]


@settings(max_examples=300, deadline=None)
@given(by_course=st.dictionaries(st.sampled_from([1, 2, 3]), st.lists(stand, max_size=3)))
def test_spells_hold_exactly_when_every_required_course_stands(by_course):
    spells = spells_of(by_course, [1, 2, 3])
    for half_hours in range(-1, 2 * 42):
        t = T0 + dt.timedelta(minutes=30 * half_hours)
        truth = all(_stands_at(by_course.get(c, []), t) for c in (1, 2, 3))
        held = [s for s in spells if s[0] < t and (s[1] is None or t <= s[1])]
        assert len(held) == (1 if truth else 0), (t, spells)
    for start, _end, route in spells:
        just_after = start + dt.timedelta(minutes=1)
        origins = {by for c in (1, 2, 3) for by in _stands_at(by_course.get(c, []), just_after)}
        assert route == {frozenset([True]): "training", frozenset([False]): "course"}.get(
            frozenset(origins), "both"
        )


def test_spells_of_a_cadre_missing_one_course_are_none():
    assert spells_of({1: [(T0, None, False)]}, [1, 2]) == []
    assert spells_of({1: [(T0, None, False)], 2: [(T0, None, False)]}, [1, 2]) == [
        (T0, None, "course")
    ]


# --- the database: random sequences through the services -----------------------------------


def _truth(root: OrgUnit, programme, course_ids, day) -> dict[str, tuple[int, int]]:
    """{unit path: (in scope, trained)} for the whole subtree, rolled up, from
    memberships and completions directly."""
    trained = set(
        trained_cadre_ids(course_ids=course_ids, day=day).values_list("cadre_id", flat=True)
    )
    paths = dict(units_on(root, day).values_list("pk", "path"))
    own: dict[str, list[int]] = {path: [0, 0] for path in paths.values()}
    for unit_id, cadre_id in (
        memberships_on(day).filter(unit_id__in=paths).values_list("unit_id", "cadre_id")
    ):
        own[paths[unit_id]][0] += 1
        own[paths[unit_id]][1] += cadre_id in trained
    out: dict[str, tuple[int, int]] = {}
    for path in paths.values():
        below = [v for p, v in own.items() if p.startswith(path)]
        out[path] = (sum(v[0] for v in below), sum(v[1] for v in below))
    return out


def _assert_fact_is_the_truth(root, programme, course_ids, days):
    for day in days:
        truth = _truth(root, programme, course_ids, day)
        whole = report_build(root=root, programme=programme, day=day, target=None)
        assert {row.path: (row.in_scope, row.trained) for row in whole.rows} == truth, day
        top = report_build(root=root, programme=programme, day=day, target=None, levels=1)
        assert {row.path: (row.in_scope, row.trained) for row in top.rows} == {
            row.path: truth[row.path] for row in top.rows
        }, day
    assert trained_check() == (TrainedSpell.objects.count(), [])


op = st.one_of(
    st.tuples(st.just("complete"), st.integers(0, 5), st.integers(0, 1), st.integers(0, 30)),
    st.tuples(st.just("revoke"), st.integers(0, 5), st.integers(0, 1)),
    st.tuples(st.just("attend"), st.integers(0, 5)),
    st.tuples(st.just("unattend"), st.integers(0, 5)),
    st.tuples(st.just("move"), st.integers(0, 5), st.integers(0, 3), st.integers(0, 30)),
    st.tuples(st.just("import"), st.integers(0, 3), st.integers(0, 1), st.integers(0, 30)),
    st.tuples(st.just("restructure")),
)


@pytest.fixture
def world(tree, courses, programme, administrator):
    hoa_binh = make_unit("Ủy ban MTTQ xã Hòa Bình", parent=tree["province"])
    tan_lap = make_unit("Ủy ban MTTQ xã Tân Lập", parent=tree["province"])
    cadres = [
        make_cadre(unit, since=dt.date(2024, 1, 1))
        for unit in (tree["la_bang"], tree["lau_sau"], tree["dai_phuc"], hoa_binh, tan_lap)
    ]
    cadres.append(make_cadre(tree["la_bang"], since=dt.date(2024, 1, 1), full_time=False))
    start = timezone.now() - dt.timedelta(hours=1)
    session = TrainingSession.objects.create(
        title="Tập huấn an toàn thông tin",
        organiser_unit=tree["province"],
        invite_unit=tree["province"],
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        counts_for_course=courses[1],
        venue="Hội trường tỉnh",
    )
    return {
        "tree": tree,
        "units": [tree["la_bang"], tree["lau_sau"], tree["dai_phuc"], hoa_binh],
        "merge": (hoa_binh, tan_lap),
        "cadres": cadres,
        "courses": courses[:2],
        "programme": programme,
        "admin": administrator,
        "session": session,
    }


def _merge(world, today):
    hoa_binh, tan_lap = world["merge"]
    if hoa_binh.valid_to is not None:
        return
    on = today - dt.timedelta(days=10)
    merged = make_unit("Ủy ban MTTQ xã Hòa Lập", parent=world["tree"]["province"], valid_from=on)
    UnitCode.objects.create(unit=hoa_binh, code="90001")
    UnitCode.objects.create(unit=tan_lap, code="90002")
    UnitCode.objects.create(unit=merged, code="90001", valid_from=on)
    table = (
        "new_code,new_name,old_code,old_name,old_district,old_province,note\n"
        "90001,Xã Hòa Lập,90001,Xã Hòa Bình,,,Nhập toàn bộ\n"
        "90001,Xã Hòa Lập,90002,xã Tân Lập,,,Nhập toàn bộ\n"
    ).encode()
    restructuring = restructuring_start(
        data=table, file_name="t.csv", effective_date=on, legal_basis="NQ 1", by=world["admin"]
    )
    restructuring_apply(restructuring=restructuring, by=world["admin"])
    hoa_binh.refresh_from_db()
    world["units"][3] = merged


def _run(world, step, today) -> None:
    kind, *args = step
    cadres, courses, admin = world["cadres"], world["courses"], world["admin"]
    if kind == "complete":
        cadre, course = cadres[args[0]], courses[args[1]]
        enrolment = enrolment_create(cadre=cadre, course=course, source=Enrolment.Source.MANUAL)
        at = timezone.now() - dt.timedelta(days=args[2], hours=1)
        completion_record_manual(enrolment=enrolment, by=admin, reason="Học ngoài", at=at)
    elif kind == "revoke":
        standing = Completion.objects.filter(
            enrolment__cadre=cadres[args[0]], enrolment__course=courses[args[1]], revoked_at=None
        ).first()
        if standing is not None:
            completion_revoke(completion=standing, by=admin, reason="Nhầm")
    elif kind == "attend":
        attendance_set(
            session=world["session"],
            cadre=cadres[args[0]],
            status=Attendance.Status.PRESENT,
            by=admin,
        )
    elif kind == "unattend":
        attendance = Attendance.objects.filter(
            session=world["session"], cadre=cadres[args[0]], revoked_at=None
        ).first()
        if attendance is not None:
            attendance_revoke(attendance=attendance, by=admin, reason="Ký hộ")
    elif kind == "move":
        cadre = cadres[args[0]]
        on = today - dt.timedelta(days=args[2])
        latest = cadre.memberships.order_by("-valid_from").first()
        if latest.valid_to is None and latest.valid_from < on:
            try:
                cadre_move(cadre=cadre, unit=world["units"][args[1]], on=on, by=admin)
            except MembershipError:
                pass  # a move the membership rules refuse changes nothing
    elif kind == "import":
        # A roster import writes cadres and memberships; completions brought
        # from another system are written past the services and refreshed.
        unit = world["units"][args[0]]
        since = today - dt.timedelta(days=args[2])
        cadre = cadre_create(family_name="Lê Văn", given_name="Mới", unit=unit, valid_from=since)
        cadres.append(cadre)
        for course in courses[: args[1] + 1]:
            enrolment = enrolment_create(cadre=cadre, course=course, source=Enrolment.Source.MANUAL)
            Completion.objects.create(
                enrolment=enrolment,
                completed_at=timezone.now() - dt.timedelta(days=args[2]),
                source=Completion.Source.MANUAL,
            )
        trained_refresh(cadre_ids=[cadre.pk], course_ids=[c.pk for c in courses])
    else:
        _merge(world, today)


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(op, min_size=1, max_size=12))
def test_fact_equals_the_recomputation_after_random_sequences(world, steps):
    today = timezone.localdate()
    for step in steps:
        _run(world, step, today)
    days = sorted({today - dt.timedelta(days=n) for n in (0, 1, 2, 5, 11, 20, 31, 400)})
    course_ids = [c.pk for c in world["courses"]]
    _assert_fact_is_the_truth(world["tree"]["province"], world["programme"], course_ids, days)


def test_rebuild_command_restores_a_damaged_fact_and_check_fails_before(world, capsys):
    for step in (
        ("complete", 0, 0, 3),
        ("complete", 0, 1, 2),
        ("attend", 2),
        ("complete", 2, 0, 1),
    ):
        _run(world, step, timezone.localdate())
    assert TrainedSpell.objects.count() == 2
    TrainedSpell.objects.filter(cadre=world["cadres"][0]).update(trained_until=timezone.now())
    with pytest.raises(CommandError):
        call_command("trained_rebuild", "--check")
    call_command("trained_rebuild")
    assert "equal" in capsys.readouterr().out
    call_command("trained_rebuild", "--check")
    routes = dict(TrainedSpell.objects.values_list("cadre_id", "route"))
    assert routes == {world["cadres"][0].pk: "course", world["cadres"][2].pk: "both"}


def test_a_check_of_an_intact_fact_passes_and_of_a_missing_spell_fails(world):
    for step in (("complete", 1, 0, 3), ("complete", 1, 1, 2)):
        _run(world, step, timezone.localdate())
    assert trained_check() == (1, [])
    TrainedSpell.objects.all().delete()
    checked, differences = trained_check()
    assert differences


def test_rebuild_of_a_programme_whose_courses_changed_follows_the_new_courses(world):
    for step in (("complete", 0, 0, 3),):
        _run(world, step, timezone.localdate())
    assert not TrainedSpell.objects.exists()  # one of two required courses
    world["programme"].programme_courses.filter(course=world["courses"][1]).update(required=False)
    trained_rebuild(programme_ids=[world["programme"].pk])
    assert list(TrainedSpell.objects.values_list("cadre_id", flat=True)) == [world["cadres"][0].pk]
    assert Membership.objects.exists()
