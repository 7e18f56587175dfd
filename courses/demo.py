"""Demo courses, programmes and progress for ``make run``.

The courses and programmes are data (``demo_data/courses.toml``); the progress
is drawn here, with a fixed seed. Runs after ``cadres.demo``. Idempotent: what
exists is left alone. Progress is recorded through the services, so
completions are real facts with their timestamps (spread over 2025–2026).
"""

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone
from django.utils.html import escape

from cadres.demo import demo_data
from cadres.models import Cadre, OrgUnit

from . import services
from .models import CoursePage, Enrolment, LessonCompletion, LessonPage, Programme, ProgrammeCourse
from .trained import trained_rebuild


def _paragraph(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def _body(lesson: dict) -> list:
    paragraphs, key_points, check = lesson["paragraphs"], lesson["key_points"], lesson.get("check")
    body = [("paragraph", _paragraph(paragraphs[0]))]
    for text in paragraphs[1:]:
        body.append(("paragraph", _paragraph(text)))
    if len(paragraphs) > 1:
        body.insert(1, ("heading", "Nội dung chính"))
    items = "".join(f"<li>{escape(point)}</li>" for point in key_points)
    body.append(("callout", {"title": "Ghi nhớ", "body": f"<ul>{items}</ul>"}))
    if check:
        body.append(
            (
                "inline_check",
                {
                    "question": check["question"],
                    "options": check["options"],
                    "correct_index": check["correct"],
                    "explanation": check["explanation"],
                },
            )
        )
    return body


def _course(index, spec) -> CoursePage:
    course = CoursePage.objects.filter(slug=spec["slug"]).first()
    if course is None:
        course = index.add_child(
            instance=CoursePage(
                title=spec["title"],
                slug=spec["slug"],
                summary=spec["summary"],
                topics=spec["topics"],
                level=spec["level"],
                estimated_minutes=spec["minutes"],
                sequential=True,
            )
        )
    existing = set(LessonPage.objects.child_of(course).values_list("title", flat=True))
    for number, lesson in enumerate(spec["lesson"], start=1):
        if lesson["title"] in existing:
            continue
        course.add_child(
            instance=LessonPage(
                title=lesson["title"],
                slug=f"bai-{number}",
                estimated_minutes=10 + 5 * (len(lesson["paragraphs"]) - 2),
                body=_body(lesson),
            )
        )
    return course


def _programme(spec, unit: OrgUnit, courses: dict[str, CoursePage]) -> Programme:
    programme = Programme.objects.filter(name=spec["name"]).first()
    if programme is None:
        programme = Programme.objects.create(
            name=spec["name"],
            description=spec["description"],
            unit=unit,
            full_time_only=spec["full_time_only"],
            deadline=spec.get("deadline"),
            is_optional=spec["is_optional"],
        )
        for order, slug in enumerate(spec["courses"]):
            ProgrammeCourse.objects.create(
                programme=programme, course=courses[slug], sort_order=order
            )
        trained_rebuild(programme_ids=[programme.pk])  # as saving it in the admin does
    services.programme_assign(programme=programme)
    return programme


def _moment(rng: random.Random, start: dt.datetime, end: dt.datetime) -> dt.datetime:
    return start + (end - start) * rng.random()


def _progress(rng: random.Random, courses: dict[str, CoursePage]) -> None:
    """Cadres at various stages: most started the required courses, many finished."""
    lessons = {
        slug: list(LessonPage.objects.child_of(course).live().order_by("path"))
        for slug, course in courses.items()
    }
    tz = timezone.get_current_timezone()
    first_day = dt.datetime(2025, 8, 1, 8, tzinfo=tz)
    last_day = min(timezone.now(), dt.datetime(2026, 11, 20, 17, tzinfo=tz))
    enrolments = (
        Enrolment.objects.filter(cadre__user__isnull=True)
        .select_related("course", "programme")
        .order_by("cadre_id", "course__path")
    )
    facts: list[LessonCompletion] = []
    finished: list[tuple[Enrolment, dt.datetime]] = []
    for enrolment in enrolments:
        roll = rng.random()
        course_lessons = lessons[enrolment.course.slug]
        if enrolment.programme and enrolment.programme.is_optional:
            done = len(course_lessons) if roll < 0.08 else (1 if roll < 0.2 else 0)
        else:
            done = len(course_lessons) if roll < 0.55 else int(roll * 10) % len(course_lessons)
        if not done:
            continue
        at = _moment(rng, first_day, last_day - dt.timedelta(days=30))
        for lesson in course_lessons[:done]:
            at = min(
                at + dt.timedelta(minutes=rng.randint(8, 40), days=rng.choice([0, 0, 1, 3])),
                last_day,
            )
            facts.append(LessonCompletion(enrolment=enrolment, lesson=lesson, completed_at=at))
        if done == len(course_lessons):
            finished.append((enrolment, at))
    # Lesson facts in bulk (thousands of rows); the course completion is then
    # decided by the service, as it would be after the last lesson.
    LessonCompletion.objects.bulk_create(facts, batch_size=1000, ignore_conflicts=True)
    services.enrolments_evaluate_completion_many(items=finished)


def _learner(courses: dict[str, CoursePage]) -> None:
    """The demo cadre ``hocvien`` is half-way through the first course."""
    learner = Cadre.objects.filter(user__username="hocvien").first()
    if learner is None:
        return
    enrolment = Enrolment.objects.filter(cadre=learner, course=courses["ky-nang-so-co-ban"]).first()
    if enrolment is None:
        return
    tz = timezone.get_current_timezone()
    first = LessonPage.objects.child_of(enrolment.course).live().order_by("path")[:2]
    for day, lesson in enumerate(first):
        at = dt.datetime(2025, 9, 15 + day, 20, 15, tzinfo=tz)
        services.lesson_complete(enrolment=enrolment, lesson=lesson, at=at)


@transaction.atomic
def load() -> None:
    content = demo_data("courses", "courses")
    index = services.course_index_ensure()
    courses = {spec["slug"]: _course(index, spec) for spec in content["course"]}
    province = OrgUnit.get_root_nodes().filter(kind=OrgUnit.Kind.PROVINCE_COMMITTEE).first()
    if province is None:
        return
    for spec in content["programme"]:
        _programme(spec, province, courses)
    if LessonCompletion.objects.exists():
        return
    _progress(random.Random(2025), courses)  # noqa: S311 - demo data, not secrets
    _learner(courses)
