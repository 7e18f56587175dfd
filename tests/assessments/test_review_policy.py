"""The answer key does not leak between attempts: by default a quiz with
attempts left shows the score only; the answers come after the last attempt
or when the quiz closes."""

import pytest
from django.contrib.messages import get_messages
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from assessments import selectors
from assessments.models import Attempt, QuizPage

from .conftest import add_quiz

pytestmark = pytest.mark.django_db

KEY_MARK = "đáp án đúng"  # the label of the right answer, shown only with the answers


def _take(client, quiz) -> Attempt:
    client.post(reverse("assessments:start", args=[quiz.pk]))
    attempt = Attempt.objects.filter(quiz=quiz).order_by("-number").first()
    client.post(reverse("assessments:submit", args=[attempt.pk]))
    attempt.refresh_from_db()
    return attempt


def _review(client, attempt) -> str:
    return client.get(reverse("assessments:review", args=[attempt.pk])).content.decode().lower()


def test_a_new_quiz_with_several_attempts_defaults_to_score_only_until_the_last():
    quiz = QuizPage(title="Q", attempts_allowed=3)
    assert quiz.review_when == QuizPage.ReviewWhen.AFTER_LAST_ATTEMPT


def test_a_blank_first_attempt_does_not_reveal_the_key(
    client, course, questions, enrolled, cadre_user
):
    quiz = add_quiz(course, questions, attempts_allowed=3)
    client.force_login(cadre_user)
    first = _take(client, quiz)
    html = _review(client, first)
    assert "điểm: 0 / 5" in html  # the score is shown
    assert KEY_MARK not in html and "chính xác" not in html
    assert "sau lần làm bài cuối cùng" in html


def test_the_key_is_shown_once_the_last_attempt_is_used(
    client, course, questions, enrolled, cadre_user
):
    quiz = add_quiz(course, questions, attempts_allowed=2)
    client.force_login(cadre_user)
    first = _take(client, quiz)
    assert KEY_MARK not in _review(client, first)
    second = _take(client, quiz)
    assert KEY_MARK in _review(client, second)
    assert KEY_MARK in _review(client, first)


def test_the_key_stays_hidden_while_the_last_attempt_is_in_progress(
    client, course, questions, enrolled, cadre_user
):
    quiz = add_quiz(course, questions, attempts_allowed=2)
    client.force_login(cadre_user)
    first = _take(client, quiz)
    client.post(reverse("assessments:start", args=[quiz.pk]))
    assert Attempt.objects.filter(quiz=quiz, state=Attempt.State.IN_PROGRESS).exists()
    assert KEY_MARK not in _review(client, first)


def test_the_key_is_shown_when_the_quiz_closes_with_attempts_left(
    client, course, questions, enrolled, cadre_user
):
    quiz = add_quiz(
        course, questions, attempts_allowed=3, closes_at=timezone.now() + timezone.timedelta(1)
    )
    client.force_login(cadre_user)
    first = _take(client, quiz)
    assert KEY_MARK not in _review(client, first)
    QuizPage.objects.filter(pk=quiz.pk).update(closes_at=timezone.now())
    assert KEY_MARK in _review(client, first)


def test_unlimited_attempts_keep_the_key_until_the_quiz_closes(
    client, course, questions, enrolled, cadre_user
):
    quiz = add_quiz(course, questions, attempts_allowed=0)
    client.force_login(cadre_user)
    for _ in range(4):
        attempt = _take(client, quiz)
    assert KEY_MARK not in _review(client, attempt)


def test_a_single_attempt_quiz_shows_the_key_after_it(
    client, course, questions, enrolled, cadre_user
):
    quiz = add_quiz(course, questions, attempts_allowed=1)
    client.force_login(cadre_user)
    assert KEY_MARK in _review(client, _take(client, quiz))


def test_the_quiz_page_shows_each_attempts_score_under_the_default(
    client, course, questions, enrolled, cadre_user
):
    quiz = add_quiz(course, questions, attempts_allowed=3)
    client.force_login(cadre_user)
    _take(client, quiz)
    assert "0%" in client.get(quiz.url).content.decode()


def test_another_cadre_cannot_open_the_review(
    client, course, questions, enrolled, cadre_user, other_cadre_user
):
    quiz = add_quiz(course, questions, attempts_allowed=1)
    client.force_login(cadre_user)
    attempt = _take(client, quiz)
    client.force_login(other_cadre_user)
    assert client.get(reverse("assessments:review", args=[attempt.pk])).status_code == 404


def test_answers_allowed_follows_the_policy(course, questions, cadre_user):
    quiz = add_quiz(course, questions, attempts_allowed=2)
    attempt = Attempt(quiz=quiz, cadre=cadre_user.cadre, number=1, state=Attempt.State.FINISHED)
    assert selectors.review_allowed(attempt)
    assert not selectors.answers_allowed(attempt, finished_attempts=1)
    assert selectors.answers_allowed(attempt, finished_attempts=2)


# --- the admin warns the trainer -------------------------------------------------------


def _saved_in_admin(quiz):
    from assessments.wagtail_hooks import warn_about_answer_key_between_attempts

    request = RequestFactory().post("/quan-tri/")
    request.session = {}
    from django.contrib.messages.storage.fallback import FallbackStorage

    request._messages = FallbackStorage(request)
    warn_about_answer_key_between_attempts(request, quiz)
    return [str(m) for m in get_messages(request)]


def test_admin_warns_when_answers_show_immediately_with_attempts_left(course, questions):
    quiz = add_quiz(course, questions, attempts_allowed=3, review_when="immediately")
    messages = _saved_in_admin(quiz)
    assert len(messages) == 1 and "đáp án đúng" in messages[0]


@pytest.mark.parametrize(
    ("fields"),
    [
        {"attempts_allowed": 3},
        {"attempts_allowed": 1, "review_when": "immediately"},
        {"attempts_allowed": 3, "review_when": "immediately", "review_correct_answers": False},
        {"attempts_allowed": 3, "review_when": "never"},
    ],
)
def test_admin_does_not_warn_when_nothing_leaks(course, questions, fields):
    assert _saved_in_admin(add_quiz(course, questions, **fields)) == []


def test_the_warning_runs_after_every_create_and_edit_in_the_admin():
    from wagtail import hooks

    from assessments.wagtail_hooks import warn_about_answer_key_between_attempts

    assert warn_about_answer_key_between_attempts in hooks.get_hooks("after_edit_page")
    assert warn_about_answer_key_between_attempts in hooks.get_hooks("after_create_page")
