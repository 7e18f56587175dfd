"""The score other apps read: a cadre's result on a course's required quizzes."""

from decimal import Decimal

import pytest

from assessments import selectors, services

from .conftest import add_quiz, correct_response, wrong_response

pytestmark = pytest.mark.django_db


def _take(quiz, cadre, right: int):
    attempt = services.attempt_start(quiz=quiz, cadre=cadre)
    for slot in attempt.slots.order_by("number"):
        response = correct_response(slot) if slot.number <= right else wrong_response(slot)
        services.attempt_save(attempt=attempt, slot_number=slot.number, seq=1, response=response)
    return services.attempt_submit(attempt=attempt)


def test_course_score_is_the_best_passing_percentage_of_the_one_quiz(quiz, enrolled, cadre_user):
    cadre = cadre_user.cadre
    _take(quiz, cadre, right=4)  # 80 %
    _take(quiz, cadre, right=3)  # 60 %, lower: the best attempt counts
    assert selectors.course_score(cadre=cadre, course=quiz.get_parent()) == Decimal("80")


def test_course_score_is_the_mean_over_the_required_quizzes(course, questions, enrolled):
    cadre = enrolled.cadre
    first = add_quiz(course, questions, title="Kiểm tra 1", slug="kt-1")
    second = add_quiz(course, questions, title="Kiểm tra 2", slug="kt-2")
    optional = add_quiz(
        course, questions, title="Tự luyện", slug="tu-luyen", required_for_completion=False
    )
    _take(first, cadre, right=5)  # 100 %
    _take(second, cadre, right=4)  # 80 %
    _take(optional, cadre, right=0)  # not required: not counted
    assert selectors.course_score(cadre=cadre, course=course) == Decimal("90")


def test_course_score_is_none_while_a_required_quiz_is_not_passed(quiz, enrolled, cadre_user):
    _take(quiz, cadre_user.cadre, right=2)  # 40 %, pass mark 60 %
    assert selectors.course_score(cadre=cadre_user.cadre, course=quiz.get_parent()) is None


def test_course_score_is_none_for_a_course_without_quizzes(course, enrolled):
    assert selectors.course_score(cadre=enrolled.cadre, course=course) is None


def test_course_score_is_none_when_the_quiz_keeps_the_score_from_the_learner(
    course, questions, enrolled
):
    quiz = add_quiz(course, questions, review_score=False)
    _take(quiz, enrolled.cadre, right=5)
    assert selectors.course_score(cadre=enrolled.cadre, course=course) is None
