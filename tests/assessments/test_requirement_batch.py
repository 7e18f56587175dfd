"""The required-quiz requirement answers for a batch of enrolments (courses'
batch completion) as it does for each alone."""

import pytest

from assessments import services
from assessments.requirements import required_quizzes_passed
from courses.models import Enrolment

from .conftest import correct_response, wrong_response

pytestmark = pytest.mark.django_db


def _attempt(quiz, cadre, *, passing: bool):
    attempt = services.attempt_start(quiz=quiz, cadre=cadre)
    for slot in attempt.slots.order_by("number"):
        response = correct_response(slot) if passing else wrong_response(slot)
        services.attempt_save(attempt=attempt, slot_number=slot.number, seq=1, response=response)
    services.attempt_submit(attempt=attempt)


def test_batch_finds_nothing_unmet_for_a_cadre_who_passed(quiz, enrolled, cadre_user):
    _attempt(quiz, cadre_user.cadre, passing=True)
    assert required_quizzes_passed.unmet_many(enrolments=[enrolled]) == {enrolled.pk: []}
    assert required_quizzes_passed.unmet(enrolment=enrolled) == []


def test_batch_names_the_quiz_for_a_cadre_who_failed_or_never_tried(
    quiz, course, enrolled, cadre_user, other_cadre_user
):
    _attempt(quiz, cadre_user.cadre, passing=False)
    never = Enrolment.objects.create(cadre=other_cadre_user.cadre, course=course, source="self")
    found = required_quizzes_passed.unmet_many(enrolments=[enrolled, never])
    assert found == {enrolled.pk: [quiz.title], never.pk: [quiz.title]}
    assert required_quizzes_passed.unmet(enrolment=never) == [quiz.title]
