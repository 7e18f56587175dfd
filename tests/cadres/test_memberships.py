"""The membership timeline's rules, which the cadre page, the roster import and
a restructuring all write through (``cadres.roster.memberships``)."""

import datetime as dt

import pytest

from cadres.models import Cadre, Membership
from cadres.roster import memberships
from cadres.roster.memberships import Leaver, MembershipError, Move
from cadres.services import cadre_deactivate, cadre_move
from tests.factories import make_cadre

pytestmark = pytest.mark.django_db

JUL = dt.date(2025, 7, 1)
OCT = dt.date(2026, 10, 1)


def periods(cadre):
    return list(
        cadre.memberships.order_by("valid_from", "pk").values_list(
            "unit_id", "valid_from", "valid_to"
        )
    )


def no_overlap(cadre) -> bool:
    rows = periods(cadre)
    return all(
        earlier_end is not None and earlier_end < later_start
        for (_u, _s, earlier_end), (_u2, later_start, _e) in zip(rows, rows[1:], strict=False)
    )


def test_a_move_closes_the_day_before_and_opens_on_the_day(tree):
    cadre = make_cadre(tree["la_bang"], since=JUL)
    cadre_move(cadre=cadre, unit=tree["lau_sau"], on=OCT)
    assert periods(cadre) == [
        (tree["la_bang"].pk, JUL, dt.date(2026, 9, 30)),
        (tree["lau_sau"].pk, OCT, None),
    ]


def test_a_move_keeps_position_and_full_time_unless_given(tree):
    cadre = make_cadre(tree["la_bang"], position="Chủ tịch", full_time=True)
    cadre_move(cadre=cadre, unit=tree["lau_sau"], on=OCT)
    moved = cadre.memberships.get(valid_to=None)
    assert (moved.position, moved.is_full_time) == ("Chủ tịch", True)
    cadre_move(cadre=cadre, unit=tree["la_bang"], on=OCT + dt.timedelta(days=5), position="Ủy viên")
    assert cadre.memberships.get(valid_to=None).position == "Ủy viên"


def test_the_cadre_page_refuses_a_move_on_or_before_the_open_period_began(tree):
    cadre = make_cadre(tree["la_bang"], since=JUL)
    with pytest.raises(MembershipError):
        cadre_move(cadre=cadre, unit=tree["lau_sau"], on=JUL)
    assert periods(cadre) == [(tree["la_bang"].pk, JUL, None)]


def test_the_cadre_page_refuses_a_move_into_the_same_unit(tree):
    cadre = make_cadre(tree["la_bang"], since=JUL)
    with pytest.raises(MembershipError):
        cadre_move(cadre=cadre, unit=tree["la_bang"], on=OCT)
    assert cadre.memberships.count() == 1


def test_a_move_dated_on_the_first_day_of_the_open_period_corrects_it(tree):
    """The import's case: the same file imported twice on one day, or a
    correction of today's move, never opens a second period."""
    cadre = make_cadre(tree["la_bang"], since=OCT)
    current = memberships.open_memberships([cadre.pk])
    memberships.moves_apply(
        [Move(cadre_id=cadre.pk, unit_id=tree["lau_sau"].pk, on=OCT)], current=current
    )
    assert periods(cadre) == [(tree["lau_sau"].pk, OCT, None)]


def test_a_move_after_the_open_period_began_opens_a_new_one(tree):
    cadre = make_cadre(tree["la_bang"], since=JUL)
    current = memberships.open_memberships([cadre.pk])
    memberships.moves_apply(
        [Move(cadre_id=cadre.pk, unit_id=tree["lau_sau"].pk, on=OCT)], current=current
    )
    assert len(periods(cadre)) == 2 and no_overlap(cadre)


def test_a_move_before_an_announced_move_is_refused(tree):
    cadre = make_cadre(tree["la_bang"], since=JUL)
    announced = dt.date(2030, 1, 1)
    cadre_move(cadre=cadre, unit=tree["lau_sau"], on=announced)
    with pytest.raises(MembershipError):
        cadre_move(cadre=cadre, unit=tree["dai_phuc"], on=dt.date(2029, 6, 1))
    assert len(periods(cadre)) == 2


def test_a_move_after_an_announced_move_is_recorded(tree):
    cadre = make_cadre(tree["la_bang"], since=JUL)
    cadre_move(cadre=cadre, unit=tree["lau_sau"], on=dt.date(2030, 1, 1))
    cadre_move(cadre=cadre, unit=tree["dai_phuc"], on=dt.date(2030, 6, 1))
    assert [p[0] for p in periods(cadre)] == [
        tree["la_bang"].pk,
        tree["lau_sau"].pk,
        tree["dai_phuc"].pk,
    ]
    assert no_overlap(cadre)


def test_a_period_with_an_announced_end_passes_the_end_to_its_successor(tree):
    cadre = make_cadre(tree["la_bang"], since=JUL, until=dt.date(2030, 12, 31))
    crossing = {m.cadre_id: m for m in Membership.objects.filter(memberships.crossing(OCT))}
    memberships.moves_apply(
        [Move(cadre_id=cadre.pk, unit_id=tree["dai_phuc"].pk, on=OCT)], current=crossing
    )
    assert periods(cadre) == [
        (tree["la_bang"].pk, JUL, dt.date(2026, 9, 30)),
        (tree["dai_phuc"].pk, OCT, dt.date(2030, 12, 31)),
    ]


def test_leaving_ends_the_open_period_on_the_day_and_switches_the_login_off(tree, cadre_user):
    cadre = cadre_user.cadre
    cadre_deactivate(cadre=cadre, on=OCT)
    cadre.refresh_from_db()
    cadre_user.refresh_from_db()
    assert (cadre.status, cadre.left_on) == (Cadre.Status.LEFT, OCT)
    assert periods(cadre)[-1][2] == OCT
    assert not cadre_user.is_active


def test_leaving_before_the_open_period_began_is_refused(tree):
    cadre = make_cadre(tree["la_bang"], since=OCT)
    with pytest.raises(MembershipError):
        cadre_deactivate(cadre=cadre, on=JUL)
    cadre.refresh_from_db()
    assert cadre.status == Cadre.Status.ACTIVE


def test_leaving_twice_is_refused(tree):
    cadre = make_cadre(tree["la_bang"], since=JUL)
    cadre_deactivate(cadre=cadre, on=OCT)
    with pytest.raises(MembershipError):
        cadre_deactivate(cadre=cadre, on=OCT + dt.timedelta(days=1))
    assert Cadre.objects.get(pk=cadre.pk).left_on == OCT


def test_leavers_in_bulk_take_a_few_queries_not_a_few_each(tree, django_assert_max_num_queries):
    cadres = [make_cadre(tree["la_bang"], since=JUL) for _ in range(30)]
    with django_assert_max_num_queries(8):
        memberships.leavers_apply([Leaver(cadre_id=c.pk, on=OCT) for c in cadres])
    assert Cadre.objects.filter(status=Cadre.Status.LEFT).count() == 30


def test_moving_a_cadre_who_left_brings_them_back(tree):
    """Re-joining, as the roster import already did: a cadre in a unit again is
    active again (the cadre page used to leave them marked as having left)."""
    cadre = make_cadre(tree["la_bang"], since=JUL)
    cadre_deactivate(cadre=cadre, on=OCT)
    cadre_move(cadre=cadre, unit=tree["lau_sau"], on=dt.date(2027, 1, 1))
    cadre.refresh_from_db()
    assert (cadre.status, cadre.left_on) == (Cadre.Status.ACTIVE, None)
    assert periods(cadre)[-1] == (tree["lau_sau"].pk, dt.date(2027, 1, 1), None)


def test_moving_a_leavers_last_period_on_a_restructuring_does_not_bring_them_back(tree):
    cadre = make_cadre(tree["la_bang"], since=JUL)
    cadre_deactivate(cadre=cadre, on=dt.date(2030, 1, 1))
    crossing = {m.cadre_id: m for m in Membership.objects.filter(memberships.crossing(OCT))}
    memberships.moves_apply(
        [Move(cadre_id=cadre.pk, unit_id=tree["dai_phuc"].pk, on=OCT)], current=crossing
    )
    cadre.refresh_from_db()
    assert cadre.status == Cadre.Status.LEFT
    assert periods(cadre)[-1] == (tree["dai_phuc"].pk, OCT, dt.date(2030, 1, 1))
