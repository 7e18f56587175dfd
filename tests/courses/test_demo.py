import pytest

from courses.models import Completion, CourseIndexPage, CoursePage, Enrolment, LessonCompletion

pytestmark = pytest.mark.django_db

SLUGS = [
    "ky-nang-so-co-ban",
    "dinh-danh-dien-tu-vneid",
    "an-toan-thong-tin",
    "mat-tran-so",
    "van-ban-dien-tu-chu-ky-so",
    "giam-sat-phan-bien-so",
    "truyen-thong-so",
    "ung-dung-ai",
]


def test_demo_loads_courses_programmes_and_progress_once():
    from cadres import demo as cadres_demo
    from courses import demo

    cadres_demo.load()
    demo.load()
    counts = (
        Enrolment.objects.count(),
        LessonCompletion.objects.count(),
        Completion.objects.count(),
    )
    demo.load()
    assert (
        Enrolment.objects.count(),
        LessonCompletion.objects.count(),
        Completion.objects.count(),
    ) == counts

    assert CourseIndexPage.objects.get().title == "Danh mục khóa học"
    assert list(CoursePage.objects.order_by("path").values_list("slug", flat=True)) == SLUGS
    assert counts[2] > 0
    hocvien = Enrolment.objects.get(cadre__user__username="hocvien", course__slug=SLUGS[0])
    assert hocvien.lesson_completions.count() == 2
    assert hocvien.completed_at is None
    years = {c.completed_at.year for c in Completion.objects.all()}
    assert years <= {2025, 2026}
