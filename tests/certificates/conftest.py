import pytest
from wagtail.models import Locale, Page

from courses.models import CourseIndexPage, CoursePage, Programme, ProgrammeCourse
from courses.services import completion_record_manual, enrolment_create


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private-media"
    settings.SITE_URL = "https://hocso.example.vn"


@pytest.fixture(autouse=True)
def _fresh_rate_limit(settings):
    from tests.services import cache_clear

    cache_clear()


@pytest.fixture(autouse=True)
def _default_template(request):
    # A transactional test elsewhere may have flushed the migration's data.
    if request.node.get_closest_marker("django_db"):
        from certificates.services import template_default

        template_default()


@pytest.fixture
def catalogue(db):
    # A transactional test flushes what migrations created (locale, root page).
    if not Locale.objects.exists():
        Locale.objects.create(language_code="vi")
    root = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
    return root.add_child(instance=CourseIndexPage(title="Khóa học", slug="khoa-hoc-cn"))


def make_course(catalogue, title: str, slug: str) -> CoursePage:
    return catalogue.add_child(instance=CoursePage(title=title, slug=slug))


@pytest.fixture
def course(catalogue):
    return make_course(catalogue, "An toàn thông tin và phòng chống lừa đảo trực tuyến", "attt")


@pytest.fixture
def complete(administrator, django_capture_on_commit_callbacks):
    """Complete a course for a cadre the way HR records it; runs on-commit work."""

    def _complete(cadre, course):
        enrolment = enrolment_create(cadre=cadre, course=course, source="manual")
        with django_capture_on_commit_callbacks(execute=True):
            completion = completion_record_manual(
                enrolment=enrolment, by=administrator, reason="Hoàn thành lớp trực tiếp"
            )
        return completion

    return _complete


@pytest.fixture
def programme(tree, catalogue):
    programme = Programme.objects.create(name="Chương trình kỹ năng số 2026", unit=tree["province"])
    courses = [
        make_course(catalogue, "Kỹ năng số cơ bản", "ks-co-ban"),
        make_course(catalogue, "Định danh điện tử VNeID", "vneid"),
    ]
    for course in courses:
        ProgrammeCourse.objects.create(programme=programme, course=course, required=True)
    programme.required_courses = courses
    return programme
