import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import AuditEvent
from courses.models import Completion, Programme, ProgrammeCourse
from tests.factories import make_cadre
from trainings.models import Attendance, TrainingCompletion, TrainingSeries
from trainings.services import attendance_revoke, attendance_set

from .conftest import make_course, make_session

pytestmark = pytest.mark.django_db


def test_hr_officer_ticking_present_completes_the_course(hr_la_bang, cadre_user, session):
    attendance_set(
        session=session, cadre=cadre_user.cadre, status=Attendance.Status.PRESENT, by=hr_la_bang
    )
    assert Completion.objects.filter(enrolment__cadre=cadre_user.cadre, revoked_at=None).exists()


def test_ticking_absent_completes_nothing(hr_la_bang, cadre_user, session):
    attendance_set(
        session=session, cadre=cadre_user.cadre, status=Attendance.Status.ABSENT, by=hr_la_bang
    )
    assert not Completion.objects.exists()


def test_revoking_attendance_revokes_the_completion_it_caused_and_is_audited(
    hr_la_bang, cadre_user, session
):
    attendance = attendance_set(
        session=session, cadre=cadre_user.cadre, status=Attendance.Status.PRESENT, by=hr_la_bang
    )
    attendance_revoke(attendance=attendance, by=hr_la_bang, reason="Ký hộ, không có mặt")
    completion = Completion.objects.get(enrolment__cadre=cadre_user.cadre)
    assert completion.revoked_at is not None
    assert completion.revoke_reason == "Ký hộ, không có mặt"
    assert AuditEvent.objects.filter(action="training.attendance_revoke").exists()


def test_revoking_one_attendance_keeps_the_completion_another_session_still_gives(
    hr_la_bang, cadre_user, tree, course, session
):
    second = make_session(tree["la_bang"], course=course, title="Buổi bổ sung")
    first = attendance_set(
        session=session, cadre=cadre_user.cadre, status=Attendance.Status.PRESENT, by=hr_la_bang
    )
    attendance_set(
        session=second, cadre=cadre_user.cadre, status=Attendance.Status.PRESENT, by=hr_la_bang
    )
    attendance_revoke(attendance=first, by=hr_la_bang, reason="Nhầm buổi")
    assert Completion.objects.filter(enrolment__cadre=cadre_user.cadre, revoked_at=None).exists()


def test_hr_officer_of_another_commune_cannot_revoke(
    client, hr_la_bang, hr_dai_phuc, cadre_user, session
):
    attendance = attendance_set(
        session=session, cadre=cadre_user.cadre, status=Attendance.Status.PRESENT, by=hr_la_bang
    )
    client.force_login(hr_dai_phuc)
    response = client.post(
        reverse("trainings:revoke", args=[session.pk, attendance.pk]), {"reason": "Không"}
    )
    assert response.status_code == 404
    attendance.refresh_from_db()
    assert attendance.revoked_at is None


def test_revoke_without_a_reason_changes_nothing(client, hr_la_bang, cadre_user, session):
    attendance = attendance_set(
        session=session, cadre=cadre_user.cadre, status=Attendance.Status.PRESENT, by=hr_la_bang
    )
    client.force_login(hr_la_bang)
    client.post(reverse("trainings:revoke", args=[session.pk, attendance.pk]), {"reason": " "})
    attendance.refresh_from_db()
    assert attendance.revoked_at is None


def test_series_completes_only_once_the_minimum_share_is_attended(
    hr_la_bang, cadre_user, tree, course
):
    series = TrainingSeries.objects.create(
        title="Lớp 3 ngày",
        organiser_unit=tree["la_bang"],
        counts_for_course=course,
        min_share_percent=66,
    )
    sessions = [
        make_session(
            tree["la_bang"], series=series, title=f"Buổi {n}", starts_in=dt.timedelta(days=n)
        )
        for n in range(3)
    ]
    attendance_set(session=sessions[0], cadre=cadre_user.cadre, status="co_mat", by=hr_la_bang)
    assert not Completion.objects.exists()
    attendance_set(session=sessions[1], cadre=cadre_user.cadre, status="den_muon", by=hr_la_bang)
    completion = Completion.objects.get()
    assert TrainingCompletion.objects.get(completion=completion).series == series


def test_session_for_a_programme_completes_every_required_course(hr_la_bang, cadre_user, tree):
    programme = Programme.objects.create(name="Kỹ năng số 2026", unit=tree["province"])
    courses = [make_course(f"Khóa {n}", f"khoa-ct-{n}") for n in range(2)]
    optional = make_course("Khóa tự chọn", "khoa-tu-chon")
    for course in courses:
        ProgrammeCourse.objects.create(programme=programme, course=course, required=True)
    ProgrammeCourse.objects.create(programme=programme, course=optional, required=False)
    session = make_session(tree["la_bang"], counts_for_programme=programme)
    attendance_set(session=session, cadre=cadre_user.cadre, status="co_mat", by=hr_la_bang)
    completed = set(
        Completion.objects.filter(revoked_at=None).values_list("enrolment__course_id", flat=True)
    )
    assert completed == {course.pk for course in courses}


def test_completion_by_session_counts_in_the_completion_report(hr_la_bang, cadre_user, tree):
    from reports.figures import report_build

    course = make_course("Khóa báo cáo", "khoa-bao-cao")
    programme = Programme.objects.create(name="CT báo cáo", unit=tree["la_bang"])
    ProgrammeCourse.objects.create(programme=programme, course=course, required=True)
    make_cadre(tree["la_bang"], family_name="Ma Văn", given_name="Thắng")
    session = make_session(tree["la_bang"], course=course)
    before = report_build(
        root=tree["la_bang"], programme=programme, day=timezone.localdate(), target=None
    )
    attendance_set(session=session, cadre=cadre_user.cadre, status="co_mat", by=hr_la_bang)
    after = report_build(
        root=tree["la_bang"], programme=programme, day=timezone.localdate(), target=None
    )
    assert after.root.trained == before.root.trained + 1


def test_completion_by_a_past_session_is_dated_on_the_session_day(
    hr_la_bang, cadre_user, tree, course
):
    past = make_session(tree["la_bang"], course=course, starts_in=dt.timedelta(days=-10))
    attendance_set(session=past, cadre=cadre_user.cadre, status="co_mat", by=hr_la_bang)
    assert Completion.objects.get().completed_at == past.starts_at
