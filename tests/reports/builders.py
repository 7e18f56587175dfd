"""What the reports tests and the reports benchmark both build: a course
catalogue, the 2025 digital-skills programme over it and the province's
100 % target for it. The benchmark imports these, so its world and the
tests' world cannot drift apart."""

import datetime as dt
from collections.abc import Iterable, Sequence

from wagtail.models import Locale, Page

from cadres.models import OrgUnit
from courses.models import CourseIndexPage, CoursePage, Programme, ProgrammeCourse
from courses.trained import trained_rebuild
from reports.models import Target
from reports.services import target_create

PROGRAMME_NAME = "Kỹ năng số cơ bản 2025"


def course_catalogue(*, slug: str, courses: Iterable[tuple[str, str]]) -> list[CoursePage]:
    """A catalogue page at ``slug`` holding one course per (slug, title)."""
    root = Page.get_first_root_node()
    if root is None:  # a flushed database has lost the tree Wagtail's migration made
        Locale.objects.get_or_create(language_code="vi")
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    index = root.add_child(instance=CourseIndexPage(title="Khóa học", slug=slug))
    return [
        index.add_child(instance=CoursePage(title=title, slug=course_slug))
        for course_slug, title in courses
    ]


def programme_make(
    *,
    unit: OrgUnit,
    required: Sequence[CoursePage],
    optional: Sequence[CoursePage] = (),
    name: str = PROGRAMME_NAME,
) -> Programme:
    programme = Programme.objects.create(name=name, unit=unit)
    for course in required:
        ProgrammeCourse.objects.create(programme=programme, course=course, required=True)
    for course in optional:
        ProgrammeCourse.objects.create(programme=programme, course=course, required=False)
    trained_rebuild(programme_ids=[programme.pk])  # as saving it in the admin does
    return programme


def target_2025(*, programme: Programme, unit: OrgUnit) -> Target:
    """Every cadre trained by 31/12/2025, counted from 01/01/2025."""
    return target_create(
        programme=programme,
        unit=unit,
        percentage=100,
        starts_on=dt.date(2025, 1, 1),
        deadline=dt.date(2025, 12, 31),
    )
