"""Concurrent completes on PostgreSQL: one record, and never a lost course completion."""

import pytest

from courses import services
from courses.models import Completion, Enrolment, LessonCompletion, LessonPage
from tests.services import need_postgres, run_together

from .conftest import lessons_of, make_course

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def test_concurrent_completes_of_the_same_lesson_record_once(cadre, index):
    need_postgres()
    course = make_course(index, slug="dong-thoi", lessons=1)
    enrolment = services.enrolment_create(cadre=cadre, course=course, source="self")
    lesson_pk = lessons_of(course)[0].pk

    def complete():
        services.lesson_complete(
            enrolment=Enrolment.objects.select_related("course").get(pk=enrolment.pk),
            lesson=LessonPage.objects.get(pk=lesson_pk),
        )

    assert run_together([complete] * 8) == []
    assert LessonCompletion.objects.filter(enrolment=enrolment).count() == 1
    assert Completion.objects.filter(enrolment=enrolment).count() == 1


def test_concurrent_last_lessons_do_not_lose_the_course_completion(cadre, index):
    """Two lessons finished at the same moment each see the other not yet done
    unless the enrolment is locked: the course would stay open for ever."""
    need_postgres()
    for attempt in range(5):
        course = make_course(index, slug=f"song-song-{attempt}", lessons=2, sequential=False)
        enrolment = services.enrolment_create(cadre=cadre, course=course, source="self")
        pks = [lesson.pk for lesson in lessons_of(course)]

        def complete(pk, enrolment_pk=enrolment.pk):
            services.lesson_complete(
                enrolment=Enrolment.objects.select_related("course").get(pk=enrolment_pk),
                lesson=LessonPage.objects.get(pk=pk),
            )

        assert run_together([lambda pk=pk: complete(pk) for pk in pks]) == []
        assert LessonCompletion.objects.filter(enrolment=enrolment).count() == 2
        assert Completion.objects.filter(enrolment=enrolment).count() == 1
