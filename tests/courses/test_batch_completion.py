"""enrolments_evaluate_completion_many: the completion rule decided for many
enrolments at once (an attendee report's thousand cadres), with the same
outcome as enrolment_evaluate_completion for each, in a fixed number of
queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from courses import requirements, services
from courses.models import Completion, Enrolment, LessonCompletion
from courses.signals import course_completed, courses_completed
from tests.factories import make_cadre

from .conftest import lessons_of, make_course

pytestmark = pytest.mark.django_db


class PassedQuiz:
    """Stands in for the assessments app, without a batch answer: the service
    must then ask it enrolment by enrolment."""

    def __init__(self):
        self.passed: set[int] = set()

    def unmet(self, *, enrolment) -> list[str]:
        return [] if enrolment.pk in self.passed else ["Bài kiểm tra cuối khóa"]


class AttendedHall:
    """Stands in for the trainings app: a route that completes whatever is unmet."""

    def __init__(self):
        self.attended: set[int] = set()

    def satisfied(self, *, enrolment) -> bool:
        return enrolment.cadre_id in self.attended

    def satisfied_many(self, *, enrolments) -> set[int]:
        return {e.pk for e in enrolments if e.cadre_id in self.attended}


@pytest.fixture
def quiz(monkeypatch):
    requirement = PassedQuiz()
    monkeypatch.setattr(requirements, "_registry", [requirement])
    return requirement


@pytest.fixture
def hall(monkeypatch):
    route = AttendedHall()
    monkeypatch.setattr(requirements, "_routes", [route])
    return route


def _enrolments(unit, course, count: int, prefix: str) -> list[Enrolment]:
    cadres = [
        make_cadre(unit, family_name="Lê Văn", given_name=f"{prefix} {n}") for n in range(count)
    ]
    return list(
        services.enrolments_create_many(
            cadre_ids=[c.pk for c in cadres], course_id=course.pk, source=Enrolment.Source.MANUAL
        ).values()
    )


def _lessons_done(enrolment, course):
    """Every lesson recorded, the course not yet decided (as after an outage)."""
    LessonCompletion.objects.bulk_create(
        [LessonCompletion(enrolment=enrolment, lesson=lesson) for lesson in lessons_of(course)]
    )


def test_enrolments_create_many_keeps_existing_enrolments(tree, index, cadre):
    course = make_course(index, slug="ghi-danh")
    before = services.enrolment_create(cadre=cadre, course=course, source=Enrolment.Source.SELF)
    found = services.enrolments_create_many(
        cadre_ids=[cadre.pk, cadre.pk], course_id=course.pk, source=Enrolment.Source.MANUAL
    )
    assert list(found) == [cadre.pk]
    assert found[cadre.pk].pk == before.pk
    assert found[cadre.pk].source == Enrolment.Source.SELF


def test_batch_completes_the_enrolments_whose_rule_is_met(tree, index, quiz, hall):
    course = make_course(index, slug="bai-hoc")
    (done,) = _enrolments(tree["la_bang"], course, 1, "A")
    _lessons_done(done, course)
    quiz.passed.add(done.pk)
    created = services.enrolments_evaluate_completion_many(items=[(done, None)])
    assert [c.enrolment_id for c in created] == [done.pk]


def test_batch_does_not_complete_an_enrolment_whose_rule_is_not_met(tree, index, quiz, hall):
    course = make_course(index, slug="bai-hoc")
    done, missing_quiz = _enrolments(tree["la_bang"], course, 2, "A")
    _lessons_done(done, course)
    _lessons_done(missing_quiz, course)
    quiz.passed.add(done.pk)
    created = services.enrolments_evaluate_completion_many(
        items=[(done, None), (missing_quiz, None)]
    )
    assert [c.enrolment_id for c in created] == [done.pk]
    assert not Completion.objects.filter(enrolment=missing_quiz).exists()


def test_batch_completes_by_a_route_whatever_is_unmet_and_dates_each(tree, index, quiz, hall):
    course = make_course(index, slug="tap-huan")
    first, second, absent = _enrolments(tree["la_bang"], course, 3, "B")
    hall.attended |= {first.cadre_id, second.cadre_id}
    morning = timezone.now() - dt.timedelta(hours=5)
    noon = timezone.now() - dt.timedelta(hours=2)
    created = services.enrolments_evaluate_completion_many(
        items=[(first, morning), (second, noon), (absent, noon)]
    )
    assert sorted(c.enrolment_id for c in created) == sorted([first.pk, second.pk])
    for enrolment, at in ((first, morning), (second, noon)):
        enrolment.refresh_from_db()
        assert enrolment.completed_at == at
        assert Completion.objects.get(enrolment=enrolment).completed_at == at
    absent.refresh_from_db()
    assert absent.completed_at is None
    assert absent.last_activity_at == noon


def test_batch_never_completes_an_enrolment_twice(tree, index, quiz, hall):
    course = make_course(index, slug="mot-lan")
    (enrolment,) = _enrolments(tree["la_bang"], course, 1, "C")
    hall.attended.add(enrolment.cadre_id)
    assert len(services.enrolments_evaluate_completion_many(items=[(enrolment, None)])) == 1
    assert services.enrolments_evaluate_completion_many(items=[(enrolment, None)]) == []
    assert Completion.objects.filter(enrolment=enrolment).count() == 1


def test_batch_tells_listeners_once_on_commit_with_every_new_completion(
    tree, index, quiz, hall, django_capture_on_commit_callbacks
):
    course = make_course(index, slug="tin-hieu")
    enrolments = _enrolments(tree["la_bang"], course, 3, "D")
    hall.attended |= {e.cadre_id for e in enrolments}
    batches, singles = [], []

    def batch(sender, completion_ids, **kwargs):
        batches.append(sorted(completion_ids))

    def single(sender, completion_id, **kwargs):
        singles.append(completion_id)

    courses_completed.connect(batch)
    course_completed.connect(single)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            created = services.enrolments_evaluate_completion_many(
                items=[(e, None) for e in enrolments]
            )
        assert batches == []  # not before the commit
        for callback in callbacks:
            callback()
    finally:
        courses_completed.disconnect(batch)
        course_completed.disconnect(single)
    assert batches == [sorted(c.pk for c in created)]
    assert singles == []


def _queries(unit, index, hall, count: int, slug: str) -> int:
    course = make_course(index, slug=slug)
    enrolments = _enrolments(unit, course, count, slug)
    hall.attended |= {e.cadre_id for e in enrolments[::2]}  # half by the route
    with CaptureQueriesContext(connection) as queries:
        created = services.enrolments_evaluate_completion_many(
            items=[(e, None) for e in enrolments]
        )
    assert len(created) == (count + 1) // 2
    return len(queries.captured_queries)


def test_batch_queries_do_not_grow_with_the_number_of_enrolments(tree, index, quiz, hall):
    few = _queries(tree["la_bang"], index, hall, 10, "muoi")
    many = _queries(tree["la_bang"], index, hall, 50, "nam-muoi")
    # The fake requirement has no batch answer: it is asked per enrolment in
    # Python, without queries.
    assert many == few
    assert many <= 15
