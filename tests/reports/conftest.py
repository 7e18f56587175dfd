import datetime as dt

import pytest
from django.utils import timezone
from wagtail.models import Locale, Page

from courses.models import (
    Completion,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    Programme,
    ProgrammeCourse,
)
from reports.services import target_create

PROGRAMME_NAME = "Kỹ năng số cơ bản 2025"


def at(day: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def complete(cadre, course, on: dt.date, *, revoked_on: dt.date | None = None) -> Completion:
    enrolment, _ = Enrolment.objects.get_or_create(
        cadre=cadre,
        course=course,
        defaults={"source": Enrolment.Source.PROGRAMME, "enrolled_at": at(on, 8)},
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(
        last_activity_at=at(on), completed_at=None if revoked_on else at(on)
    )
    return Completion.objects.create(
        enrolment=enrolment,
        completed_at=at(on),
        source=Completion.Source.RULE,
        revoked_at=at(revoked_on) if revoked_on else None,
    )


def enrol(cadre, course, *, active_on: dt.date | None = None) -> Enrolment:
    return Enrolment.objects.create(
        cadre=cadre,
        course=course,
        source=Enrolment.Source.PROGRAMME,
        last_activity_at=at(active_on) if active_on else None,
    )


@pytest.fixture
def courses(db):
    root = Page.get_first_root_node()
    if root is None:  # a transactional test flushed the tree Wagtail's migration made
        Locale.objects.get_or_create(language_code="vi")
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    index = root.add_child(instance=CourseIndexPage(title="Khóa học", slug="khoa-hoc-test"))
    made = []
    for slug, title in [
        ("ky-nang-so", "Kỹ năng số cơ bản trên điện thoại thông minh"),
        ("an-toan", "An toàn thông tin và phòng chống lừa đảo trực tuyến"),
        ("ai", "Ứng dụng trí tuệ nhân tạo (AI) trong công tác Mặt trận"),
    ]:
        made.append(index.add_child(instance=CoursePage(title=title, slug=slug)))
    return made


@pytest.fixture
def programme(tree, courses):
    programme = Programme.objects.create(name=PROGRAMME_NAME, unit=tree["province"])
    ProgrammeCourse.objects.create(programme=programme, course=courses[0], required=True)
    ProgrammeCourse.objects.create(programme=programme, course=courses[1], required=True)
    ProgrammeCourse.objects.create(programme=programme, course=courses[2], required=False)
    return programme


@pytest.fixture
def target(programme, tree):
    return target_create(
        programme=programme,
        unit=tree["province"],
        percentage=100,
        deadline=dt.date(2025, 12, 31),
        starts_on=dt.date(2025, 1, 1),
    )


@pytest.fixture
def programme_without_target(tree, courses):
    programme = Programme.objects.create(
        name="Chương trình chưa có chỉ tiêu", unit=tree["province"]
    )
    ProgrammeCourse.objects.create(programme=programme, course=courses[0], required=True)
    return programme
