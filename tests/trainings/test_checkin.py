import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from courses.models import Completion
from tests.factories import make_cadre
from trainings import tokens
from trainings.models import Attendance, TrainingCompletion
from trainings.services import CheckInRefused, attendance_check_in, attendance_check_in_code

from .conftest import make_session

pytestmark = pytest.mark.django_db


def _url(session, window=None, signature=None):
    window = tokens.window_at() if window is None else window
    signature = signature or tokens.signature(session.pk, window)
    return reverse("trainings:checkin", args=[session.pk, window, signature])


def test_cadre_scanning_the_current_code_is_present_and_completes_the_course(
    client, cadre_user, session, django_capture_on_commit_callbacks
):
    client.force_login(cadre_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(_url(session))
    assert response.status_code == 200
    assert "Đã điểm danh" in response.content.decode()
    attendance = Attendance.objects.get(session=session, cadre=cadre_user.cadre)
    assert attendance.status == Attendance.Status.PRESENT
    assert attendance.source == Attendance.Source.QR
    completion = Completion.objects.get(enrolment__cadre=cadre_user.cadre)
    assert completion.revoked_at is None
    assert TrainingCompletion.objects.get(completion=completion).session == session


def test_cadre_checking_in_after_the_late_mark_is_late(cadre_user, session):
    at = session.late_from + dt.timedelta(minutes=1)
    result = attendance_check_in(
        session_id=session.pk,
        window=tokens.window_at(at),
        signature=tokens.signature(session.pk, tokens.window_at(at)),
        cadre=cadre_user.cadre,
        at=at,
    )
    assert result.attendance.status == Attendance.Status.LATE


def test_code_from_an_old_window_is_refused_and_nothing_recorded(client, cadre_user, session):
    client.force_login(cadre_user)
    old = tokens.window_at() - 2
    response = client.get(_url(session, window=old))
    assert response.status_code == 403
    assert "Mã điểm danh đã hết hạn" in response.content.decode()
    assert not Attendance.objects.exists()


def test_code_from_the_previous_window_is_still_accepted(client, cadre_user, session):
    client.force_login(cadre_user)
    response = client.get(_url(session, window=tokens.window_at() - 1))
    assert response.status_code == 200
    assert Attendance.objects.filter(cadre=cadre_user.cadre).count() == 1


def test_code_of_another_session_is_refused(client, tree, course, cadre_user, session):
    other = make_session(tree["la_bang"], course=course, title="Buổi khác")
    client.force_login(cadre_user)
    window = tokens.window_at()
    response = client.get(
        reverse("trainings:checkin", args=[session.pk, window, tokens.signature(other.pk, window)])
    )
    assert response.status_code == 403
    assert "không hợp lệ" in response.content.decode()
    assert not Attendance.objects.exists()


def test_replayed_screenshot_after_its_window_is_refused(cadre_user, session):
    scanned = timezone.now()
    window = tokens.window_at(scanned)
    with pytest.raises(CheckInRefused):
        attendance_check_in(
            session_id=session.pk,
            window=window,
            signature=tokens.signature(session.pk, window),
            cadre=cadre_user.cadre,
            at=scanned + dt.timedelta(seconds=3 * tokens.window_seconds()),
        )
    assert not Attendance.objects.exists()


@pytest.mark.parametrize(
    ("offset", "message"),
    [
        (dt.timedelta(hours=-2), "Điểm danh buổi tập huấn này mở lúc"),
        (dt.timedelta(hours=3), "Đã hết thời gian điểm danh"),
    ],
)
def test_check_in_outside_the_open_period_is_refused(client, cadre_user, session, offset, message):
    from django.utils import translation

    at = session.starts_at + offset
    with translation.override("vi"), pytest.raises(CheckInRefused) as refused:
        attendance_check_in(
            session_id=session.pk,
            window=tokens.window_at(at),
            signature=tokens.signature(session.pk, tokens.window_at(at)),
            cadre=cadre_user.cadre,
            at=at,
        )
    assert message in str(refused.value)
    assert not Attendance.objects.exists()


def test_refusal_outside_the_open_period_is_vietnamese_on_the_page(
    client, cadre_user, tree, course
):
    later = make_session(tree["la_bang"], course=course, starts_in=dt.timedelta(hours=5))
    client.force_login(cadre_user)
    response = client.get(_url(later))
    assert response.status_code == 403
    assert "Điểm danh buổi tập huấn này mở lúc" in response.content.decode()
    assert not Attendance.objects.exists()


def test_double_check_in_records_one_attendance(client, cadre_user, session):
    client.force_login(cadre_user)
    first = client.get(_url(session))
    second = client.get(_url(session))
    assert first.status_code == second.status_code == 200
    assert "Bạn đã điểm danh trước đó" in second.content.decode()
    assert Attendance.objects.filter(session=session).count() == 1
    assert Completion.objects.count() == 1


def test_uninvited_cadre_is_a_walk_in_who_counts_only_once_accepted(
    client, other_cadre_user, hr_la_bang, session
):
    client.force_login(other_cadre_user)
    response = client.get(_url(session))
    assert response.status_code == 200
    attendance = Attendance.objects.get(cadre=other_cadre_user.cadre)
    assert attendance.walk_in and not attendance.accepted and not attendance.counts
    assert not Completion.objects.exists()

    client.force_login(hr_la_bang)
    client.post(reverse("trainings:accept", args=[session.pk, attendance.pk]))
    attendance.refresh_from_db()
    assert attendance.accepted and attendance.counts
    assert Completion.objects.filter(enrolment__cadre=other_cadre_user.cadre).exists()


def test_hr_officer_of_another_commune_cannot_accept_a_walk_in(
    client, other_cadre_user, hr_dai_phuc, session
):
    client.force_login(other_cadre_user)
    client.get(_url(session))
    attendance = Attendance.objects.get(cadre=other_cadre_user.cadre)
    client.force_login(hr_dai_phuc)
    response = client.post(reverse("trainings:accept", args=[session.pk, attendance.pk]))
    assert response.status_code == 404
    attendance.refresh_from_db()
    assert not attendance.accepted


def test_a_cadre_checks_in_only_themself_whatever_they_send(client, cadre_user, tree, session):
    colleague = make_cadre(tree["la_bang"], family_name="Ma Văn", given_name="Thắng")
    client.force_login(cadre_user)
    client.get(_url(session) + f"?cadre={colleague.pk}")
    client.post(_url(session), {"cadre": colleague.pk})
    assert list(Attendance.objects.values_list("cadre_id", flat=True)) == [cadre_user.cadre.pk]


def test_a_cadre_cannot_tick_anyone_on_the_attendance_list(client, cadre_user, tree, session):
    colleague = make_cadre(tree["la_bang"], family_name="Ma Văn", given_name="Thắng")
    client.force_login(cadre_user)
    response = client.post(
        reverse("trainings:manage", args=[session.pk]), {f"status-{colleague.pk}": "co_mat"}
    )
    assert response.status_code == 404
    assert not Attendance.objects.exists()


def test_signed_out_scan_is_kept_while_the_cadre_signs_in(client, cadre_user, password, session):
    response = client.get(_url(session))
    assert response.status_code == 302
    assert "/tai-khoan/login/" in response["Location"]
    assert not Attendance.objects.exists()
    client.force_login(cadre_user)
    response = client.get(reverse("trainings:checkin_continue"))
    assert "Đã điểm danh" in response.content.decode()
    assert Attendance.objects.get().cadre == cadre_user.cadre


def test_signed_out_scan_of_an_expired_code_is_refused_before_sign_in(client, session):
    response = client.get(_url(session, window=tokens.window_at() - 3))
    assert response.status_code == 403
    assert "không hợp lệ hoặc đã hết hạn" in response.content.decode()


def test_typed_code_checks_the_cadre_in(client, cadre_user, session):
    client.force_login(cadre_user)
    code = tokens.typed_code(session.pk, tokens.window_at())
    response = client.post(reverse("trainings:checkin_code"), {"code": code})
    assert "Đã điểm danh" in response.content.decode()
    assert Attendance.objects.get().source == Attendance.Source.CODE


def test_wrong_typed_code_is_refused(client, cadre_user, session):
    client.force_login(cadre_user)
    right = tokens.typed_code(session.pk, tokens.window_at())
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = client.post(reverse("trainings:checkin_code"), {"code": wrong})
    assert "Mã không hợp lệ hoặc đã hết hạn" in response.content.decode()
    assert not Attendance.objects.exists()


def test_typed_code_of_an_old_window_is_refused(cadre_user, session):
    old = tokens.typed_code(session.pk, tokens.window_at() - 3)
    with pytest.raises(CheckInRefused):
        attendance_check_in_code(code=old, cadre=cadre_user.cadre)
    assert not Attendance.objects.exists()


def test_account_without_a_roster_entry_cannot_check_in(client, trainer, session):
    client.force_login(trainer)
    response = client.get(_url(session))
    assert response.status_code == 403
    assert not Attendance.objects.exists()
