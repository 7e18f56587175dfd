import datetime as dt

import pytest
from django.utils import timezone

from courses.models import CoursePage, LessonPage
from courses.services import course_index_ensure
from trainings.models import TrainingSession
from trainings.services import session_sync_invitations


@pytest.fixture(autouse=True)
def _site(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.SITE_URL = "https://hocso.example.vn"


def make_course(title: str, slug: str) -> CoursePage:
    """A course with one lesson: without attendance nobody has completed it."""
    course = course_index_ensure().add_child(instance=CoursePage(title=title, slug=slug))
    course.add_child(instance=LessonPage(title="Bài 1", slug="bai-1"))
    return course


@pytest.fixture
def course(db):
    return make_course("An toàn thông tin và phòng chống lừa đảo", "attt-tap-huan")


def make_session(unit, *, course=None, starts_in=dt.timedelta(minutes=5), hours=2, **fields):
    start = timezone.now() + starts_in
    fields.setdefault("title", "Tập huấn kỹ năng số cho cán bộ Mặt trận")
    session = TrainingSession.objects.create(
        organiser_unit=unit,
        invite_unit=fields.pop("invite_unit", unit),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        counts_for_course=course,
        venue="Hội trường Ủy ban MTTQ xã La Bằng",
        **fields,
    )
    session_sync_invitations(session=session)
    return session


@pytest.fixture
def session(tree, course, cadre_user):
    """Starts in five minutes, for La Bằng's cadres, completes ``course``."""
    return make_session(tree["la_bang"], course=course)


@pytest.fixture
def requested(monkeypatch):
    """Certificate requests queued for a worker (recorded here) instead of
    certificates written and issued with their PDFs in the test. Returns a
    function giving the completion ids requested so far."""
    from certificates.publisher import publisher
    from certificates.tasks import certificates_request_task
    from config.celery_app import app

    queued: list[int] = []
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = False
    monkeypatch.setattr(certificates_request_task, "delay", queued.extend)

    def ids() -> list[int]:
        assert publisher.flush()
        return list(queued)

    yield ids
    app.conf.task_always_eager = previous
