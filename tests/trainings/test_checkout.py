"""The optional check-out code: attendance a cadre wrote themself counts, when
the session requires it, only with both check-in and check-out."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Completion
from trainings import tokens
from trainings.models import Attendance
from trainings.services import (
    CheckOutRefused,
    attendance_check_in,
    attendance_check_out,
    attendance_check_out_code,
    attendance_set,
)

from .conftest import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def ending(tree, course, cadre_user):
    """Started 1 h 55 min ago, ends in five minutes, requires check-out."""
    return make_session(
        tree["la_bang"],
        course=course,
        starts_in=-dt.timedelta(minutes=115),
        requires_checkout=True,
    )


def _check_in(session, cadre, *, minutes_after_start=2):
    at = session.starts_at + dt.timedelta(minutes=minutes_after_start)
    window = tokens.window_at(at)
    return attendance_check_in(
        session_id=session.pk,
        window=window,
        signature=tokens.signature(session.pk, window),
        cadre=cadre,
        at=at,
    )


def _out_url(session, window=None, signature=None):
    window = tokens.window_at() if window is None else window
    signature = signature or tokens.checkout_signature(session.pk, window)
    return reverse("trainings:checkout", args=[session.pk, window, signature])


def test_check_in_alone_does_not_count_when_the_session_requires_check_out(cadre_user, ending):
    result = _check_in(ending, cadre_user.cadre)
    assert result.attendance.status == Attendance.Status.PRESENT
    assert result.attendance.awaits_checkout and not result.attendance.counts
    assert not Completion.objects.exists()


def test_check_in_alone_counts_when_the_session_does_not_require_check_out(
    tree, course, cadre_user
):
    session = make_session(tree["la_bang"], course=course, starts_in=-dt.timedelta(minutes=115))
    result = _check_in(session, cadre_user.cadre)
    assert result.attendance.counts
    assert Completion.objects.filter(enrolment__cadre=cadre_user.cadre).exists()


def test_scanning_the_check_out_code_completes_the_course(
    client, cadre_user, ending, django_capture_on_commit_callbacks
):
    _check_in(ending, cadre_user.cadre)
    client.force_login(cadre_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(_out_url(ending))
    assert response.status_code == 200
    assert "Đã điểm danh ra" in response.content.decode()
    attendance = Attendance.objects.get(session=ending, cadre=cadre_user.cadre)
    assert attendance.checked_out_at is not None and attendance.counts
    assert Completion.objects.get(enrolment__cadre=cadre_user.cadre).revoked_at is None


def test_check_in_page_tells_the_cadre_to_check_out_at_the_end(client, cadre_user, tree, course):
    session = make_session(tree["la_bang"], course=course, requires_checkout=True)
    client.force_login(cadre_user)
    window = tokens.window_at()
    response = client.get(
        reverse(
            "trainings:checkin", args=[session.pk, window, tokens.signature(session.pk, window)]
        )
    )
    assert "Buổi tập huấn này yêu cầu điểm danh ra" in response.content.decode()


def test_check_in_code_is_refused_at_check_out_and_nothing_recorded(client, cadre_user, ending):
    _check_in(ending, cadre_user.cadre)
    client.force_login(cadre_user)
    window = tokens.window_at()
    response = client.get(_out_url(ending, window, tokens.signature(ending.pk, window)))
    assert response.status_code == 403
    assert "Mã điểm danh ra không hợp lệ cho buổi tập huấn này" in response.content.decode()
    assert Attendance.objects.get().checked_out_at is None
    assert not Completion.objects.exists()


def test_check_out_code_does_not_check_anyone_in(client, cadre_user, session):
    client.force_login(cadre_user)
    window = tokens.window_at()
    response = client.get(
        reverse(
            "trainings:checkin",
            args=[session.pk, window, tokens.checkout_signature(session.pk, window)],
        )
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_old_check_out_code_is_refused(client, cadre_user, ending):
    _check_in(ending, cadre_user.cadre)
    client.force_login(cadre_user)
    response = client.get(_out_url(ending, window=tokens.window_at() - 2))
    assert response.status_code == 403
    assert "Mã điểm danh ra đã hết hạn" in response.content.decode()
    assert Attendance.objects.get().checked_out_at is None


def test_check_out_code_of_another_session_is_refused(client, tree, course, cadre_user, ending):
    other = make_session(
        tree["la_bang"], course=course, starts_in=-dt.timedelta(minutes=115), title="Buổi khác"
    )
    _check_in(ending, cadre_user.cadre)
    client.force_login(cadre_user)
    window = tokens.window_at()
    response = client.get(_out_url(ending, window, tokens.checkout_signature(other.pk, window)))
    assert response.status_code == 403
    assert Attendance.objects.get().checked_out_at is None


@pytest.mark.parametrize(
    ("minutes_from_end", "message"),
    [(-30, "Điểm danh ra buổi tập huấn này mở lúc"), (45, "Đã hết thời gian điểm danh ra")],
)
def test_check_out_outside_its_period_is_refused(cadre_user, ending, minutes_from_end, message):
    _check_in(ending, cadre_user.cadre)
    at = ending.ends_at + dt.timedelta(minutes=minutes_from_end)
    window = tokens.window_at(at)
    with pytest.raises(CheckOutRefused, match=message):
        attendance_check_out(
            session_id=ending.pk,
            window=window,
            signature=tokens.checkout_signature(ending.pk, window),
            cadre=cadre_user.cadre,
            at=at,
        )
    assert Attendance.objects.get().checked_out_at is None


def test_check_out_without_a_check_in_is_refused_and_creates_nothing(client, cadre_user, ending):
    client.force_login(cadre_user)
    response = client.get(_out_url(ending))
    assert response.status_code == 403
    assert "Bạn chưa điểm danh vào buổi tập huấn này" in response.content.decode()
    assert not Attendance.objects.exists()


def test_double_check_out_keeps_the_first_time(client, cadre_user, ending):
    _check_in(ending, cadre_user.cadre)
    client.force_login(cadre_user)
    client.get(_out_url(ending))
    first = Attendance.objects.get().checked_out_at
    response = client.get(_out_url(ending))
    assert "Bạn đã điểm danh ra trước đó" in response.content.decode()
    assert Attendance.objects.get().checked_out_at == first
    assert Completion.objects.count() == 1


def test_typed_check_out_code_checks_the_cadre_out(client, cadre_user, ending):
    _check_in(ending, cadre_user.cadre)
    client.force_login(cadre_user)
    code = tokens.checkout_typed_code(ending.pk, tokens.window_at())
    response = client.post(reverse("trainings:checkout_code"), {"code": code})
    assert "Đã điểm danh ra" in response.content.decode()
    assert Attendance.objects.get().counts


def test_typed_check_in_code_is_refused_on_the_check_out_page(client, cadre_user, ending):
    _check_in(ending, cadre_user.cadre)
    client.force_login(cadre_user)
    code = tokens.typed_code(ending.pk, tokens.window_at())
    response = client.post(reverse("trainings:checkout_code"), {"code": code})
    assert "Mã không hợp lệ hoặc đã hết hạn" in response.content.decode()
    assert Attendance.objects.get().checked_out_at is None


def test_typed_check_out_code_of_an_old_window_is_refused(cadre_user, ending):
    _check_in(ending, cadre_user.cadre)
    with pytest.raises(CheckOutRefused):
        attendance_check_out_code(
            code=tokens.checkout_typed_code(ending.pk, tokens.window_at() - 3),
            cadre=cadre_user.cadre,
        )
    assert Attendance.objects.get().checked_out_at is None


def test_signed_out_check_out_scan_is_kept_while_the_cadre_signs_in(client, cadre_user, ending):
    _check_in(ending, cadre_user.cadre)
    response = client.get(_out_url(ending))
    assert response.status_code == 302
    assert Attendance.objects.get().checked_out_at is None
    client.force_login(cadre_user)
    response = client.get(reverse("trainings:checkout_continue"))
    assert "Đã điểm danh ra" in response.content.decode()
    assert Attendance.objects.get().counts


def test_signed_out_scan_of_an_expired_check_out_code_is_refused_before_sign_in(client, ending):
    response = client.get(_out_url(ending, window=tokens.window_at() - 3))
    assert response.status_code == 403
    assert "Mã điểm danh ra không hợp lệ hoặc đã hết hạn" in response.content.decode()


def test_organiser_ticking_the_sheet_needs_no_check_out(hr_la_bang, cadre_user, ending):
    attendance = attendance_set(
        session=ending, cadre=cadre_user.cadre, status=Attendance.Status.PRESENT, by=hr_la_bang
    )
    assert attendance.counts
    assert Completion.objects.filter(enrolment__cadre=cadre_user.cadre).exists()


def test_trainer_switches_the_qr_page_to_the_check_out_code(client, trainer, ending):
    client.force_login(trainer)
    page = client.get(reverse("trainings:qr", args=[ending.pk]) + "?ra=1").content.decode()
    assert "ĐIỂM DANH RA" in page and "<svg" in page
    assert "/tap-huan/diem-danh-ra/" in page
    assert tokens.checkout_typed_code(ending.pk, tokens.window_at()) in page
    assert "Đang mở điểm danh ra" in page
    data = client.get(reverse("trainings:qr_data", args=[ending.pk]) + "?ra=1").json()
    assert f"/tap-huan/ra/{ending.pk}/" in data["url"] and data["open"]


def test_cadre_cannot_open_the_check_out_qr_page(client, cadre_user, ending):
    client.force_login(cadre_user)
    response = client.get(reverse("trainings:qr", args=[ending.pk]) + "?ra=1")
    assert response.status_code == 404


def test_check_out_after_the_course_completed_another_way_changes_nothing_else(cadre_user, ending):
    _check_in(ending, cadre_user.cadre)
    at = timezone.now()
    window = tokens.window_at(at)
    result = attendance_check_out(
        session_id=ending.pk,
        window=window,
        signature=tokens.checkout_signature(ending.pk, window),
        cadre=cadre_user.cadre,
        at=at,
    )
    assert result.created and len(result.completions) == 1


def test_period_report_counts_a_self_check_in_only_once_checked_out(
    client, hr_la_bang, tree, cadre_user, ending
):
    from trainings.selectors import unit_period_summary

    day = timezone.localtime(ending.starts_at).date()
    _check_in(ending, cadre_user.cadre)
    assert unit_period_summary(hr_la_bang, tree["la_bang"], day, day)["attended"] == 0
    client.force_login(cadre_user)
    client.get(_out_url(ending))
    assert unit_period_summary(hr_la_bang, tree["la_bang"], day, day)["attended"] == 1


def test_session_list_counts_a_self_check_in_only_once_checked_out(
    client, hr_la_bang, cadre_user, ending
):
    from trainings.selectors import sessions_list_for_organiser

    _check_in(ending, cadre_user.cadre)
    assert sessions_list_for_organiser(hr_la_bang).get(pk=ending.pk).attended == 0
    client.force_login(cadre_user)
    client.get(_out_url(ending))
    assert sessions_list_for_organiser(hr_la_bang).get(pk=ending.pk).attended == 1


def test_period_report_lists_a_cadre_whose_check_in_awaits_check_out_as_never_present(
    client, hr_la_bang, tree, cadre_user, ending
):
    from trainings.selectors import unit_period_summary

    day = timezone.localtime(ending.starts_at).date()
    _check_in(ending, cadre_user.cadre)
    never = unit_period_summary(hr_la_bang, tree["la_bang"], day, day)["never"]
    assert cadre_user.cadre in never
    client.force_login(cadre_user)
    client.get(_out_url(ending))
    never = unit_period_summary(hr_la_bang, tree["la_bang"], day, day)["never"]
    assert cadre_user.cadre not in never
