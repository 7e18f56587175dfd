import pytest

from trainings.models import Attendance, TrainingCompletion, TrainingSession

pytestmark = pytest.mark.django_db


def test_demo_has_a_past_session_with_attendance_and_an_upcoming_one_once():
    from cadres import demo as cadres_demo
    from courses import demo as courses_demo
    from trainings import demo

    cadres_demo.load()
    courses_demo.load()
    demo.load()
    counts = (TrainingSession.objects.count(), Attendance.objects.count())
    demo.load()
    assert (TrainingSession.objects.count(), Attendance.objects.count()) == counts

    past, upcoming = TrainingSession.objects.order_by("starts_at")
    statuses = set(Attendance.objects.filter(session=past).values_list("status", flat=True))
    assert statuses == {"co_mat", "den_muon", "vang_co_ly_do", "vang"}
    assert TrainingCompletion.objects.filter(session=past).exists()
    assert upcoming.invitations.filter(cadre__user__username="hocvien").exists()
    assert not Attendance.objects.filter(session=upcoming).exists()
