"""The learner's path is continuous: lessons, then the quiz, then what follows."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt
from certificates.models import Certificate
from certificates.services import template_default
from courses import services as course_services
from courses.models import Enrolment, Programme, ProgrammeCourse
from courses.services import course_index_ensure
from tests.courses.conftest import lessons_of, make_course

from .conftest import add_quiz, correct_response, wrong_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def learning(cadre_user, questions):
    """A course of two lessons and a required quiz (pass mark 60 %, 3 attempts)."""
    course = make_course(course_index_ensure(), slug="lo-trinh", lessons=2)
    quiz = add_quiz(course, questions, attempts_allowed=3, slug="kiem-tra-cuoi")
    enrolment = course_services.enrolment_create(
        cadre=cadre_user.cadre, course=course, source=Enrolment.Source.SELF
    )
    return course, quiz, enrolment


def _finish_lessons(enrolment, course):
    for lesson in lessons_of(course):
        course_services.lesson_complete(enrolment=enrolment, lesson=lesson)


def _attempt(client, quiz, *, right: int) -> Attempt:
    client.post(reverse("assessments:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(quiz=quiz, state=Attempt.State.IN_PROGRESS)
    url = reverse("assessments:form", args=[attempt.pk])
    for slot in attempt.slots.order_by("number"):
        response = correct_response(slot) if slot.number <= right else wrong_response(slot)
        data = {"shown": str(slot.number), f"s{slot.number}": "1"}
        data[f"q{slot.number}"] = str(response["choice"])
        client.post(url, data)
    client.post(url, {"shown": "", "finish": "1"})
    attempt.refresh_from_db()
    assert attempt.state == Attempt.State.FINISHED
    return attempt


def _text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_course_outline_lists_the_quiz_after_the_lessons_with_its_state(
    client, cadre_user, learning
):
    course, quiz, enrolment = learning
    client.force_login(cadre_user)

    html = client.get(course.url).content.decode()

    text = _text(html)
    assert text.index("Bài 1") < text.index("Bài 2") < text.index("Bài kiểm tra cuối khóa")
    assert f'href="{quiz.url}"' in html
    assert "Chưa làm" in text


def test_outline_shows_a_failed_quiz_with_attempts_used_then_passed_with_its_score(
    client, cadre_user, learning
):
    course, quiz, enrolment = learning
    client.force_login(cadre_user)
    _finish_lessons(enrolment, course)

    _attempt(client, quiz, right=1)
    failed = _text(client.get(course.url).content.decode())
    _attempt(client, quiz, right=5)
    passed = _text(client.get(course.url).content.decode())

    assert "Chưa đạt · 20% · đã làm 1/3 lần" in failed
    assert "Đạt · 100%" in passed


def test_continue_leads_through_the_lessons_then_to_the_quiz(client, cadre_user, learning):
    course, quiz, enrolment = learning
    client.force_login(cadre_user)
    first, second = lessons_of(course)

    def continue_links():
        home = client.get(reverse("home")).content.decode()
        page = client.get(course.url).content.decode()
        return (
            re.search(r'<a class="btn" href="([^"]+)">Học tiếp', home)
            or re.search(r'<a class="btn" href="([^"]+)">Bắt đầu', home)
        ).group(1), re.search(r'<a class="btn" href="([^"]+)"', page).group(1)

    assert continue_links() == (first.url, first.url)
    course_services.lesson_complete(enrolment=enrolment, lesson=first)
    assert continue_links() == (second.url, second.url)
    course_services.lesson_complete(enrolment=enrolment, lesson=second)
    assert continue_links() == (quiz.url, quiz.url)


def test_continue_on_the_home_page_of_a_course_done_is_gone(client, cadre_user, learning):
    course, quiz, enrolment = learning
    client.force_login(cadre_user)
    _finish_lessons(enrolment, course)
    _attempt(client, quiz, right=5)

    home = client.get(reverse("home")).content.decode()

    assert "Đã hoàn thành ngày" in home and f'href="{quiz.url}"' not in home


def test_last_lesson_leads_to_the_quiz_and_back_to_the_course_once_completed(
    client, cadre_user, learning
):
    course, quiz, enrolment = learning
    client.force_login(cadre_user)
    first, last = lessons_of(course)

    assert f'href="{last.url}" rel="next"' in client.get(first.url).content.decode()
    assert f'href="{quiz.url}" rel="next"' in client.get(last.url).content.decode()
    _finish_lessons(enrolment, course)
    _attempt(client, quiz, right=5)
    html = client.get(last.url).content.decode()
    assert f'href="{quiz.url}" rel="next"' not in html
    assert f'<a href="{course.url}">Về trang khóa học' in html


def test_completing_the_last_lesson_sends_the_learner_to_the_quiz(client, cadre_user, learning):
    course, quiz, enrolment = learning
    client.force_login(cadre_user)
    first, last = lessons_of(course)
    course_services.lesson_complete(enrolment=enrolment, lesson=first)

    response = client.post(
        reverse("courses:lesson_complete", args=[last.pk]), HTTP_ACCEPT="application/json"
    )

    assert response.json()["next_url"] == quiz.url


def test_quiz_page_links_back_to_its_course(client, cadre_user, learning):
    course, quiz, enrolment = learning
    client.force_login(cadre_user)

    html = client.get(quiz.url).content.decode()

    assert f'<a href="{course.url}">← {course.title}</a>' in html


def test_result_of_a_failed_attempt_says_what_is_still_missing(client, cadre_user, learning):
    course, quiz, enrolment = learning
    client.force_login(cadre_user)
    attempt = _attempt(client, quiz, right=1)

    text = _text(client.get(reverse("assessments:review", args=[attempt.pk])).content.decode())

    assert "Để hoàn thành khóa học, bạn còn cần:" in text
    assert "Bài 1" in text and "Bài 2" in text
    assert "Bài kiểm tra cuối khóa (Chưa đạt · 20% · đã làm 1/3 lần)" in text
    assert "Bạn đã hoàn thành khóa học" not in text


def test_result_of_the_passing_attempt_says_the_course_is_complete_and_links_the_certificate(
    client, cadre_user, learning, django_capture_on_commit_callbacks
):
    course, quiz, enrolment = learning
    template_default()
    client.force_login(cadre_user)
    _finish_lessons(enrolment, course)

    with django_capture_on_commit_callbacks(execute=True):
        attempt = _attempt(client, quiz, right=5)
    html = client.get(reverse("assessments:review", args=[attempt.pk])).content.decode()

    assert f"Bạn đã hoàn thành khóa học “{course.title}”." in html
    certificate = Certificate.objects.get(cadre=cadre_user.cadre, course=course)
    assert f"Giấy chứng nhận số {certificate.number} của bạn đã được cấp." in html
    assert f'<a href="{reverse("certificates:mine")}">Chứng nhận của tôi</a>' in html


def test_result_of_another_cadre_shows_nothing_of_their_course(
    client, cadre_user, other_cadre_user, learning
):
    course, quiz, enrolment = learning
    client.force_login(cadre_user)
    attempt = _attempt(client, quiz, right=5)
    client.force_login(other_cadre_user)

    assert client.get(reverse("assessments:review", args=[attempt.pk])).status_code == 404


@pytest.mark.parametrize(("days", "late"), [(-1, True), (0, False), (7, False)])
def test_passed_deadline_is_marked_overdue_on_home_and_course_page(
    client, cadre_user, tree, learning, days, late
):
    course, quiz, enrolment = learning
    programme = Programme.objects.create(
        name="Kỹ năng số 2026",
        unit=tree["province"],
        deadline=timezone.localdate() + dt.timedelta(days=days),
    )
    ProgrammeCourse.objects.create(programme=programme, course=course, required=True)
    Enrolment.objects.filter(pk=enrolment.pk).update(programme=programme)
    client.force_login(cadre_user)

    home = client.get(reverse("home")).content.decode()
    page = client.get(course.url).content.decode()

    assert ("Quá hạn" in home) is late
    assert ("Quá hạn" in page) is late


def test_completed_course_is_never_overdue(client, cadre_user, tree, learning):
    course, quiz, enrolment = learning
    programme = Programme.objects.create(
        name="Kỹ năng số 2026",
        unit=tree["province"],
        deadline=timezone.localdate() - dt.timedelta(days=3),
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(programme=programme)
    client.force_login(cadre_user)
    _finish_lessons(enrolment, course)
    _attempt(client, quiz, right=5)

    assert "Quá hạn" not in client.get(reverse("home")).content.decode()
