"""A session's capacity: invitations beyond it are refused as a whole, walk-ins
beyond it wait on the list and cannot be accepted while every seat is held."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_cadre
from trainings import tokens
from trainings.capacity import CapacityExceeded, seats_held
from trainings.models import Attendance, Invitation, TrainingSession
from trainings.services import (
    attendance_accept_walk_in,
    invitation_decline,
    session_sync_invitations,
)

from .conftest import make_session
from .test_authoring import _form

pytestmark = pytest.mark.django_db


@pytest.fixture
def crowd(tree):
    """Three more cadres of La Bằng (with ``cadre_user``: four in the population)."""
    return [
        make_cadre(tree["la_bang"], family_name="Ma Văn", given_name=name)
        for name in ("Thắng", "Tùng", "Lâm")
    ]


def _checkin_url(session):
    window = tokens.window_at()
    return reverse(
        "trainings:checkin", args=[session.pk, window, tokens.signature(session.pk, window)]
    )


def test_inviting_within_the_capacity_invites_everyone(tree, course, cadre_user, crowd):
    session = make_session(tree["la_bang"], course=course, capacity=4)
    assert Invitation.objects.filter(session=session).count() == 4


def test_inviting_beyond_the_capacity_is_refused_and_invites_nobody(
    tree, course, cadre_user, crowd
):
    session = make_session(tree["la_bang"], course=course, capacity=30, title="Hội trường nhỏ")
    Invitation.objects.filter(session=session).delete()
    TrainingSession.objects.filter(pk=session.pk).update(capacity=3)
    session.refresh_from_db()
    with pytest.raises(CapacityExceeded, match="có 3 chỗ; mời thêm 4 người"):
        session_sync_invitations(session=session)
    assert not Invitation.objects.filter(session=session).exists()


def test_a_declined_invitation_gives_its_seat_back(tree, course, cadre_user, crowd):
    session = make_session(tree["la_bang"], course=course, capacity=4)
    newcomer = make_cadre(tree["la_bang"], family_name="Hoàng Thị", given_name="Mai")
    with pytest.raises(CapacityExceeded):
        session_sync_invitations(session=session)
    invitation_decline(
        invitation=Invitation.objects.get(session=session, cadre=crowd[0]), reason="Đi công tác"
    )
    assert session_sync_invitations(session=session) == 1
    assert Invitation.objects.filter(session=session, cadre=newcomer).exists()


def test_saving_a_session_over_capacity_in_the_admin_says_why_nobody_was_invited(
    client, hr_la_bang, tree, course, cadre_user, crowd
):
    client.force_login(hr_la_bang)
    response = client.post(
        reverse("wagtailsnippets_trainings_trainingsession:add"),
        _form(tree, course, capacity=2),
        follow=True,
    )
    assert "có 2 chỗ; mời thêm 4 người" in response.content.decode()
    session = TrainingSession.objects.get()
    assert not Invitation.objects.filter(session=session).exists()


def test_inviting_again_from_the_list_page_over_capacity_shows_the_reason(
    client, hr_la_bang, tree, course, cadre_user, crowd
):
    session = make_session(tree["la_bang"], course=course, capacity=4)
    make_cadre(tree["la_bang"], family_name="Hoàng Thị", given_name="Mai")
    client.force_login(hr_la_bang)
    response = client.post(reverse("trainings:invite", args=[session.pk]))
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("chưa mời thêm ai" in m for m in shown), shown
    assert Invitation.objects.filter(session=session).count() == 4


def test_walk_in_when_every_seat_is_held_is_told_they_are_on_the_waiting_list(
    client, tree, course, cadre_user, other_cadre_user
):
    session = make_session(tree["la_bang"], course=course, capacity=1)
    client.force_login(other_cadre_user)
    response = client.get(_checkin_url(session))
    assert "danh sách chờ" in response.content.decode()
    attendance = Attendance.objects.get(cadre=other_cadre_user.cadre)
    assert attendance.walk_in and not attendance.accepted


def test_walk_in_with_seats_left_is_not_told_the_session_is_full(
    client, tree, course, cadre_user, other_cadre_user
):
    session = make_session(tree["la_bang"], course=course, capacity=2)
    client.force_login(other_cadre_user)
    page = client.get(_checkin_url(session)).content.decode()
    assert "danh sách chờ" not in page
    assert "đơn vị tổ chức sẽ xác nhận" in page


def test_accepting_a_walk_in_is_refused_while_every_seat_is_held(
    client, tree, course, cadre_user, other_cadre_user, hr_la_bang
):
    session = make_session(tree["la_bang"], course=course, capacity=1)
    client.force_login(other_cadre_user)
    client.get(_checkin_url(session))
    walk_in = Attendance.objects.get(cadre=other_cadre_user.cadre)
    client.force_login(hr_la_bang)
    response = client.post(reverse("trainings:accept", args=[session.pk, walk_in.pk]))
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("danh sách chờ" in m for m in shown), shown
    walk_in.refresh_from_db()
    assert not walk_in.accepted


def test_walk_in_is_accepted_once_check_in_closes_with_a_seat_unused(
    tree, course, cadre_user, other_cadre_user, hr_la_bang
):
    session = make_session(
        tree["la_bang"], course=course, capacity=1, starts_in=-dt.timedelta(minutes=100)
    )
    walk_in = Attendance.objects.create(
        session=session,
        cadre=other_cadre_user.cadre,
        status=Attendance.Status.LATE,
        source=Attendance.Source.QR,
        checked_in_at=session.starts_at + dt.timedelta(minutes=20),
        walk_in=True,
        accepted=False,
    )
    assert timezone.now() > session.checkin_closes_at
    assert seats_held(session) == 0  # the invitee never came
    attendance_accept_walk_in(attendance=walk_in, by=hr_la_bang)
    walk_in.refresh_from_db()
    assert walk_in.accepted and walk_in.counts


def test_a_session_without_capacity_accepts_every_walk_in(
    tree, course, cadre_user, other_cadre_user, hr_la_bang
):
    session = make_session(tree["la_bang"], course=course)
    walk_in = Attendance.objects.create(
        session=session,
        cadre=other_cadre_user.cadre,
        status=Attendance.Status.PRESENT,
        source=Attendance.Source.QR,
        checked_in_at=timezone.now(),
        walk_in=True,
        accepted=False,
    )
    attendance_accept_walk_in(attendance=walk_in, by=hr_la_bang)
    walk_in.refresh_from_db()
    assert walk_in.accepted
