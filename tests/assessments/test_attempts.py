"""Starting, saving, submitting and grading attempts, and what each refuses."""

import json
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments import services
from assessments.models import Attempt, AttemptSlot, QuizPage
from courses.models import Completion

from .conftest import add_quiz, correct_response, wrong_response

pytestmark = pytest.mark.django_db


def _save(client, attempt, slot, seq, response, **extra):
    body = {"slot": slot, "seq": seq, "response": response, **extra}
    return client.post(
        reverse("assessments:save", args=[attempt.pk]),
        data=json.dumps(body),
        content_type="application/json",
    )


def _answer_all(attempt, right=5):
    for slot in attempt.slots.order_by("number"):
        response = correct_response(slot) if slot.number <= right else wrong_response(slot)
        services.attempt_save(attempt=attempt, slot_number=slot.number, seq=1, response=response)


def test_enrolled_cadre_passes_and_the_course_completes(quiz, enrolled, cadre_user):
    attempt = services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    _answer_all(attempt, right=4)
    graded = services.attempt_submit(attempt=attempt)
    assert graded.passed is True
    assert graded.percent == Decimal("80")
    assert graded.grade_count == 1
    assert Completion.objects.filter(enrolment=enrolled, revoked_at__isnull=True).count() == 1


def test_failed_attempt_leaves_the_course_incomplete(quiz, enrolled, cadre_user):
    attempt = services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    _answer_all(attempt, right=2)
    graded = services.attempt_submit(attempt=attempt)
    assert graded.passed is False
    assert not Completion.objects.filter(enrolment=enrolled).exists()


def test_requirement_names_the_unpassed_required_quiz(quiz, enrolled):
    from courses.services import enrolment_unmet

    assert enrolment_unmet(enrolment=enrolled) == ["Bài kiểm tra cuối khóa"]


def test_optional_quiz_is_not_required(course, questions, enrolled):
    from courses.services import enrolment_unmet

    add_quiz(course, questions, required_for_completion=False)
    assert enrolment_unmet(enrolment=enrolled) == []


def test_cadre_not_enrolled_cannot_start(quiz, cadre_user):
    with pytest.raises(services.AttemptError):
        services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    assert not Attempt.objects.exists()


def test_start_resumes_the_open_attempt(quiz, enrolled, cadre_user):
    first = services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    again = services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    assert first.pk == again.pk
    assert Attempt.objects.count() == 1


def test_attempt_limit_is_enforced(course, questions, enrolled, cadre_user):
    quiz = add_quiz(course, questions, attempts_allowed=2)
    for _ in range(2):
        services.attempt_submit(attempt=services.attempt_start(quiz=quiz, cadre=cadre_user.cadre))
    with pytest.raises(services.AttemptError):
        services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    assert Attempt.objects.count() == 2


def test_open_attempt_is_unique_in_the_database(quiz, enrolled, cadre_user):
    from django.db import IntegrityError, transaction

    services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    with pytest.raises(IntegrityError), transaction.atomic():
        Attempt.objects.create(quiz=quiz, cadre=cadre_user.cadre, number=2, max_score=1)


def test_questions_and_order_are_frozen_at_start(category, course, enrolled, cadre_user):
    from .conftest import make_question

    for i in range(8):
        make_question(category, f"Ngẫu nhiên {i}", answers=[("A", 100), ("B", 0), ("C", 0)])
    quiz = add_quiz(
        course, [], selection="random", random_category=category, random_count=3,
        shuffle_answers=True,
    )  # fmt: skip
    attempt = services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    frozen = list(attempt.slots.values_list("question_id", "order"))
    assert len(frozen) == 3
    again = services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    assert list(again.slots.values_list("question_id", "order")) == frozen


def test_second_submit_grades_nothing_again(quiz, enrolled, cadre_user):
    attempt = services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    _answer_all(attempt)
    services.attempt_submit(attempt=attempt)
    services.attempt_submit(attempt=attempt)
    attempt.refresh_from_db()
    assert attempt.grade_count == 1


def test_stale_save_does_not_overwrite_a_newer_answer(quiz, enrolled, cadre_user):
    attempt = services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    slot = attempt.slots.get(number=1)
    newer = services.attempt_save(
        attempt=attempt, slot_number=1, seq=5, response=correct_response(slot)
    )
    stale = services.attempt_save(
        attempt=attempt, slot_number=1, seq=4, response=wrong_response(slot)
    )
    assert newer.accepted and not stale.accepted
    assert stale.response == correct_response(slot)
    slot.refresh_from_db()
    assert slot.response == correct_response(slot) and slot.seq == 5


def test_deadline_closes_and_grades_with_what_was_saved(quiz, enrolled, cadre_user, settings):
    settings.ASSESSMENTS_GRACE_SECONDS = 5
    attempt = services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    _answer_all(attempt, right=5)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timezone.timedelta(seconds=6)
    )
    attempt.refresh_from_db()
    slot = attempt.slots.get(number=1)
    with pytest.raises(services.AttemptClosed):
        services.attempt_save(attempt=attempt, slot_number=1, seq=9, response=wrong_response(slot))
    attempt.refresh_from_db()
    assert attempt.state == "finished" and attempt.closed_by_deadline and attempt.passed
    slot.refresh_from_db()
    assert slot.seq == 1


def test_save_within_the_grace_period_counts(quiz, enrolled, cadre_user, settings):
    settings.ASSESSMENTS_GRACE_SECONDS = 30
    attempt = services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timezone.timedelta(seconds=5)
    )
    attempt.refresh_from_db()
    slot = attempt.slots.get(number=1)
    assert services.attempt_save(
        attempt=attempt, slot_number=1, seq=1, response=correct_response(slot)
    ).accepted


def test_overdue_attempts_are_closed_by_the_periodic_task(quiz, enrolled, cadre_user):
    from assessments.tasks import attempts_close_overdue_task

    attempt = services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    Attempt.objects.filter(pk=attempt.pk).update(
        deadline=timezone.now() - timezone.timedelta(hours=1)
    )
    assert attempts_close_overdue_task() == 1
    assert attempts_close_overdue_task() == 0
    attempt.refresh_from_db()
    assert attempt.state == "finished" and attempt.grade_count == 1


def test_time_limit_sets_a_server_deadline(course, questions, enrolled, cadre_user):
    quiz = add_quiz(course, questions, time_limit_minutes=15)
    attempt = services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    assert abs((attempt.deadline - attempt.started_at).total_seconds() - 900) < 1


def test_closed_quiz_cannot_be_started(course, questions, enrolled, cadre_user):
    quiz = add_quiz(course, questions, closes_at=timezone.now() - timezone.timedelta(days=1))
    with pytest.raises(services.AttemptError):
        services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)


# ------------------------------------------------------------------ views


@pytest.fixture
def started(client, quiz, enrolled, cadre_user):
    client.force_login(cadre_user)
    response = client.post(reverse("assessments:start", args=[quiz.pk]))
    attempt = Attempt.objects.get()
    assert response.url == reverse("assessments:attempt", args=[attempt.pk])
    return attempt


def test_attempt_page_never_contains_the_key(client, started):
    slot = started.slots.get(number=2)
    services.attempt_save(attempt=started, slot_number=2, seq=1, response=correct_response(slot))
    response = client.get(reverse("assessments:attempt", args=[started.pk]) + "?cau=1")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Câu 1" in html and "Đúng 1" in html
    # Ids are whatever the database hands out (on PostgreSQL after a long run they
    # contain "100"), so look for the key's marks, not for the bare number.
    assert "Chính xác" not in html and "fraction" not in html
    assert "quiz-key" not in html and "quiz-fb" not in html
    assert not re.search(r"\b100(?:[.,]0+)?\s*%", html)


def test_all_on_one_page_layout_shows_every_question(
    client, course, questions, enrolled, cadre_user
):
    quiz = add_quiz(course, questions, layout="all", slug="mot-trang")
    client.force_login(cadre_user)
    client.post(reverse("assessments:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(quiz=quiz)
    html = client.get(reverse("assessments:attempt", args=[attempt.pk])).content.decode()
    assert all(f"Câu {i}" in html for i in range(1, 6))


def test_json_save_is_accepted(client, started):
    slot = started.slots.get(number=1)
    response = _save(client, started, 1, 1, correct_response(slot))
    assert response.status_code == 200 and response.json()["accepted"] is True


def test_another_cadres_attempt_is_not_found(client, started, other_cadre_user):
    client.force_login(other_cadre_user)
    slot = started.slots.get(number=1)
    assert client.get(reverse("assessments:attempt", args=[started.pk])).status_code == 404
    assert _save(client, started, 1, 1, correct_response(slot)).status_code == 404
    assert client.post(reverse("assessments:submit", args=[started.pk])).status_code == 404
    assert client.get(reverse("assessments:review", args=[started.pk])).status_code == 404
    slot.refresh_from_db()
    started.refresh_from_db()
    assert slot.response is None and started.state == "in_progress"


def test_answer_to_a_question_not_in_the_attempt_is_refused(client, started):
    assert _save(client, started, 99, 1, {"choice": 1}).status_code == 400
    other = AttemptSlot.objects.exclude(attempt=started).first()
    assert other is None
    slot = started.slots.get(number=1)
    foreign_answer = started.slots.get(number=2).order[0]
    assert _save(client, started, 1, 1, {"choice": foreign_answer}).status_code == 400
    slot.refresh_from_db()
    assert slot.response is None


def test_forged_score_field_is_refused(client, started):
    slot = started.slots.get(number=1)
    response = _save(client, started, 1, 1, correct_response(slot), score=100)
    assert response.status_code == 400
    slot.refresh_from_db()
    started.refresh_from_db()
    assert slot.response is None and started.score is None


def test_forged_score_in_the_form_post_is_refused(client, started):
    url = reverse("assessments:form", args=[started.pk])
    response = client.post(url, {"shown": "1", "s1": "1", "q1": "", "score": "100", "finish": "1"})
    assert response.status_code == 400
    started.refresh_from_db()
    assert started.state == "in_progress" and started.score is None


def test_save_after_the_deadline_is_refused(client, started, settings):
    settings.ASSESSMENTS_GRACE_SECONDS = 0
    Attempt.objects.filter(pk=started.pk).update(
        deadline=timezone.now() - timezone.timedelta(seconds=1)
    )
    slot = started.slots.get(number=1)
    assert _save(client, started, 1, 1, correct_response(slot)).status_code == 409
    slot.refresh_from_db()
    assert slot.response is None


def test_start_beyond_the_attempt_limit_is_refused(client, course, questions, enrolled, cadre_user):
    quiz = add_quiz(course, questions, attempts_allowed=1, slug="mot-lan")
    client.force_login(cadre_user)
    client.post(reverse("assessments:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(quiz=quiz)
    client.post(reverse("assessments:submit", args=[attempt.pk]))
    response = client.post(reverse("assessments:start", args=[quiz.pk]), follow=True)
    assert "Bạn đã dùng hết số lần làm bài" in response.content.decode()
    assert Attempt.objects.filter(quiz=quiz).count() == 1


def test_malformed_json_is_a_400(client, started):
    url = reverse("assessments:save", args=[started.pk])
    for body in [
        "{",
        "[]",
        '{"slot": "1", "seq": 1, "response": {}}',
        '{"slot": 1, "seq": -1, "response": {}}',
    ]:
        assert client.post(url, data=body, content_type="application/json").status_code == 400


def test_form_path_with_a_page_number_that_is_not_a_number_is_a_400(client, started):
    url = reverse("assessments:form", args=[started.pk])
    response = client.post(url, {"shown": "1", "s1": "1", "q1": "", "go": "²"})
    assert response.status_code == 400


def test_form_path_saves_and_submits_without_javascript(client, started):
    slot = started.slots.get(number=1)
    url = reverse("assessments:form", args=[started.pk])
    response = client.post(
        url, {"shown": "1", "s1": "1", "q1": str(correct_response(slot)["choice"]), "go": "2"}
    )
    assert response.status_code == 302 and response.url.endswith("?cau=2")
    slot.refresh_from_db()
    assert slot.response == correct_response(slot)
    response = client.post(url, {"shown": "2", "s2": "1", "q2": "", "finish": "1"})
    assert response.url == reverse("assessments:review", args=[started.pk])
    started.refresh_from_db()
    assert started.state == "finished"


def test_review_shows_key_only_when_the_policy_allows(
    client, course, questions, enrolled, cadre_user
):
    quiz = add_quiz(course, questions, review_when="never", slug="khong-xem")
    client.force_login(cadre_user)
    client.post(reverse("assessments:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(quiz=quiz)
    client.post(reverse("assessments:submit", args=[attempt.pk]))
    html = client.get(reverse("assessments:review", args=[attempt.pk])).content.decode()
    assert "Chưa đạt" in html and "đáp án đúng" not in html.lower() and "Chính xác" not in html


def test_review_after_close_waits_for_the_close(client, course, questions, enrolled, cadre_user):
    closes = timezone.now() + timezone.timedelta(days=1)
    quiz = add_quiz(course, questions, review_when="after_close", closes_at=closes, slug="sau")
    client.force_login(cadre_user)
    client.post(reverse("assessments:start", args=[quiz.pk]))
    attempt = Attempt.objects.get(quiz=quiz)
    client.post(reverse("assessments:submit", args=[attempt.pk]))
    html = client.get(reverse("assessments:review", args=[attempt.pk])).content.decode()
    assert "sau khi bài kiểm tra đóng" in html and "Chính xác" not in html
    quiz.closes_at = timezone.now() - timezone.timedelta(seconds=1)
    quiz.save()
    html = client.get(reverse("assessments:review", args=[attempt.pk])).content.decode()
    assert "đáp án đúng" in html


def test_review_immediately_shows_feedback_and_key(client, started):
    QuizPage.objects.filter(pk=started.quiz_id).update(review_when="immediately")
    slot = started.slots.get(number=1)
    _save(client, started, 1, 1, correct_response(slot))
    client.post(reverse("assessments:submit", args=[started.pk]))
    html = client.get(reverse("assessments:review", args=[started.pk])).content.decode()
    assert "Chính xác" in html and "đáp án đúng" in html


def test_quiz_page_offers_start_to_an_enrolled_cadre(client, quiz, enrolled, cadre_user):
    client.force_login(cadre_user)
    html = client.get(quiz.url).content.decode()
    assert "Bắt đầu làm bài" in html


def test_quiz_page_tells_a_cadre_not_enrolled_to_enrol(client, quiz, cadre_user):
    client.force_login(cadre_user)
    html = client.get(quiz.url).content.decode()
    assert "Bắt đầu làm bài" not in html and "đăng ký khóa học" in html


def _used_attempts(quiz, cadre, allowed):
    """``allowed`` attempts started and finished, then all but the last removed."""
    QuizPage.objects.filter(pk=quiz.pk).update(attempts_allowed=allowed)
    quiz.refresh_from_db()
    for _n in range(allowed):
        attempt = services.attempt_start(quiz=quiz, cadre=cadre)
        services.attempt_finish(attempt=attempt)
    Attempt.objects.filter(quiz=quiz, cadre=cadre).exclude(number=allowed).delete()


def test_quiz_page_offers_no_start_when_the_service_would_refuse_it(
    client, quiz, enrolled, cadre_user
):
    """The page counts attempts as attempt_start does (the highest number), so it
    never offers a button that answers "all attempts used"."""
    _used_attempts(quiz, cadre_user.cadre, 2)
    with pytest.raises(services.AttemptError):
        services.attempt_start(quiz=quiz, cadre=cadre_user.cadre)
    client.force_login(cadre_user)
    html = client.get(quiz.url).content.decode()
    assert reverse("assessments:start", args=[quiz.pk]) not in html
    assert "Bạn đã dùng hết số lần làm bài" in html


def test_quiz_page_offers_a_retry_while_attempts_are_left(client, quiz, enrolled, cadre_user):
    _used_attempts(quiz, cadre_user.cadre, 2)
    QuizPage.objects.filter(pk=quiz.pk).update(attempts_allowed=3)
    client.force_login(cadre_user)
    html = client.get(quiz.url).content.decode()
    assert reverse("assessments:start", args=[quiz.pk]) in html


def _attempt_reads(queries) -> int:
    """Statements that read the attempt row itself (the lock, on PostgreSQL)."""
    return sum(
        1
        for q in queries
        if q["sql"].lstrip().upper().startswith("SELECT")
        and 'FROM "assessments_attempt"' in q["sql"]
    )


def _form_post(client, attempt, numbers, seq):
    data = {"shown": ",".join(map(str, numbers))}
    for number in numbers:
        slot = attempt.slots.get(number=number)
        data[f"s{number}"] = str(seq)
        data[f"q{number}"] = str(correct_response(slot)["choice"])
    return client.post(reverse("assessments:form", args=[attempt.pk]), data)


def test_form_path_saves_every_shown_answer_under_one_lock_of_the_attempt(client, started):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as one:
        _form_post(client, started, [1], seq=1)
    with CaptureQueriesContext(connection) as five:
        _form_post(client, started, [1, 2, 3, 4, 5], seq=2)
    assert _attempt_reads(five.captured_queries) == _attempt_reads(one.captured_queries)
    assert AttemptSlot.objects.filter(attempt=started, seq=2).count() == 5


def test_form_path_keeps_the_other_answers_when_one_is_refused(client, started):
    url = reverse("assessments:form", args=[started.pk])
    right = str(correct_response(started.slots.get(number=1))["choice"])
    response = client.post(url, {"shown": "1,2", "s1": "1", "q1": right, "s2": "1", "q2": "7"})
    assert response.status_code == 302
    assert AttemptSlot.objects.get(attempt=started, number=1).seq == 1
    assert AttemptSlot.objects.get(attempt=started, number=2).seq == 0
