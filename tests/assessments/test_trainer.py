"""Results, Moodle-style statistics, regrading, and the question bank in the admin."""

from decimal import Decimal

import pytest

from assessments import selectors, services
from assessments.models import Answer, Question, Regrade
from cadres.models import AuditEvent
from courses.models import Completion, Enrolment
from tests.factories import make_cadre

from .conftest import add_quiz, correct_response, make_question, wrong_response

pytestmark = pytest.mark.django_db


def _take(quiz, course, cadre, right: set[int]):
    Enrolment.objects.get_or_create(cadre=cadre, course=course, defaults={"source": "self"})
    attempt = services.attempt_start(quiz=quiz, cadre=cadre)
    for slot in attempt.slots.select_related("question"):
        response = correct_response(slot) if slot.number in right else wrong_response(slot)
        services.attempt_save(attempt=attempt, slot_number=slot.number, seq=1, response=response)
    return services.attempt_submit(attempt=attempt)


@pytest.fixture
def taken(tree, course, questions):
    quiz = add_quiz(course, questions)
    # Stronger cadres get question 1 right, weaker ones do not; question 5 nobody gets.
    patterns = [{1, 2, 3, 4}, {1, 2, 3}, {1, 2}, {2}, set()]
    cadres = [make_cadre(tree["la_bang"]) for _ in patterns]
    for cadre, right in zip(cadres, patterns, strict=True):
        _take(quiz, course, cadre, right)
    return quiz, cadres


def test_statistics_give_facility_discrimination_and_frequencies(taken):
    quiz, _cadres = taken
    stats = {s.name: s for s in selectors.quiz_statistics(quiz)}
    assert stats["Câu 1"].facility == 60.0
    assert stats["Câu 2"].facility == 80.0
    assert stats["Câu 5"].facility == 0.0 and stats["Câu 5"].discrimination is None
    assert stats["Câu 1"].discrimination > 50
    first = stats["Câu 1"].frequencies
    assert first[0] == ("Đúng 1", 3, True) and first[1] == ("Sai 1", 2, False)


def test_results_list_one_row_per_cadre(taken):
    quiz, cadres = taken
    rows = selectors.quiz_results(quiz)
    assert len(rows) == 5
    assert sum(row["passed"] for row in rows) == 2


def test_regrade_after_a_key_fix_changes_results_and_leaves_an_audit(taken, trainer):
    quiz, cadres = taken
    question = Question.objects.get(name="Câu 5")
    Answer.objects.filter(question=question).update(fraction=Decimal(0))
    Answer.objects.filter(question=question, text="Sai 5").update(fraction=Decimal(100))
    regrade = services.quiz_regrade(quiz=quiz, by=trainer)
    assert regrade.attempts == 5 and regrade.changed == 5
    assert AuditEvent.objects.filter(action="quiz.regrade", actor=trainer).count() == 1
    rows = {row["cadre"].pk: row for row in selectors.quiz_results(quiz)}
    assert rows[cadres[2].pk]["passed"]  # 2 + the corrected question = 3/5 = 60%
    assert Completion.objects.filter(enrolment__cadre=cadres[2]).exists()


def test_regrade_never_removes_a_completion(taken, trainer):
    quiz, cadres = taken
    Answer.objects.filter(question__name="Câu 1", fraction__gt=0).update(fraction=Decimal(0))
    Answer.objects.filter(question__name="Câu 1", text="Khác").update(fraction=Decimal(100))
    services.quiz_regrade(quiz=quiz, by=trainer)
    assert Completion.objects.filter(enrolment__cadre=cadres[0], revoked_at__isnull=True).exists()
    assert Regrade.objects.get().details


def test_trainer_sees_results_and_statistics_pages(client, taken, administrator):
    quiz, _ = taken
    client.force_login(administrator)
    html = client.get(f"/quan-tri/bai-kiem-tra/{quiz.pk}/thong-ke/").content.decode()
    assert "Chỉ số dễ" in html and "Chỉ số phân biệt" in html
    html = client.get(f"/quan-tri/bai-kiem-tra/{quiz.pk}/ket-qua/").content.decode()
    assert "Kết quả được tính" in html
    response = client.post(f"/quan-tri/bai-kiem-tra/{quiz.pk}/cham-lai/")
    assert response.status_code == 302 and Regrade.objects.count() == 1


def test_cadre_cannot_see_statistics_or_regrade(client, taken, cadre_user):
    quiz, _ = taken
    client.force_login(cadre_user)
    assert client.get(f"/quan-tri/bai-kiem-tra/{quiz.pk}/thong-ke/").status_code in (302, 404)
    assert client.post(f"/quan-tri/bai-kiem-tra/{quiz.pk}/cham-lai/").status_code in (302, 404)
    assert not Regrade.objects.exists()


def test_trainer_group_can_manage_the_question_bank(client, trainer, category):
    question = make_question(category, "Câu thử", text="Nội dung **đậm**", text_format="markdown")
    trainer.is_staff = True
    trainer.save()
    client.force_login(trainer)
    listing = client.get("/quan-tri/snippets/assessments/question/")
    assert listing.status_code == 200 and "Câu thử" in listing.content.decode()
    edit = client.get(f"/quan-tri/snippets/assessments/question/edit/{question.pk}/")
    assert edit.status_code == 200
    assert "không phân biệt dấu tiếng việt" in edit.content.decode().lower()


def test_cadre_cannot_open_the_question_bank(client, cadre_user, category):
    make_question(category, "Câu thử")
    client.force_login(cadre_user)
    assert client.get("/quan-tri/snippets/assessments/question/").status_code in (302, 403)


def test_question_preview_shows_the_learner_view_without_the_key(category):
    question = make_question(
        category, "Câu xem trước", answers=[("Đúng rồi", 100, {"feedback": "BÍ MẬT"}), ("Sai", 0)]
    )
    response = question.make_preview_request()
    response.render()
    html = response.content.decode()
    assert response.status_code == 200
    assert "Đúng rồi" in html and "BÍ MẬT" not in html and "Xem trước" in html


def test_category_can_be_created_under_a_parent_in_the_admin(client, administrator, category):
    client.force_login(administrator)
    response = client.post(
        "/quan-tri/snippets/assessments/questioncategory/add/",
        {"name": "Lừa đảo", "parent": category.pk, "description": ""},
    )
    assert response.status_code == 302
    assert services.category_find(path="An toàn thông tin/Lừa đảo") is not None


def test_quiz_can_be_added_under_a_course_in_the_admin(client, administrator, course):
    client.force_login(administrator)
    response = client.get(f"/quan-tri/pages/add/assessments/quizpage/{course.pk}/")
    html = response.content.decode().lower()
    assert response.status_code == 200
    assert "điểm đạt (%)" in html and "bắt buộc để hoàn thành khóa học" in html


def test_quiz_cannot_be_added_outside_a_course(client, administrator, course):
    client.force_login(administrator)
    index = course.get_parent()
    response = client.get(f"/quan-tri/pages/add/assessments/quizpage/{index.pk}/")
    assert response.status_code in (302, 403)


def test_regrade_reads_the_answer_key_once_whatever_the_number_of_attempts(taken, trainer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    quiz, _cadres = taken
    with CaptureQueriesContext(connection) as queries:
        services.quiz_regrade(quiz=quiz, by=trainer)
    key_reads = [q for q in queries.captured_queries if 'FROM "assessments_answer"' in q["sql"]]
    assert len(key_reads) == 1


def test_regrade_leaves_the_last_activity_of_learners_it_does_not_change(taken, trainer):
    import datetime as dt

    from django.utils import timezone

    quiz, cadres = taken
    before = timezone.now() - dt.timedelta(days=30)
    Enrolment.objects.filter(cadre__in=cadres).update(last_activity_at=before)
    services.quiz_regrade(quiz=quiz, by=trainer)
    assert set(
        Enrolment.objects.filter(cadre__in=cadres).values_list("last_activity_at", flat=True)
    ) == {before}


def test_regrade_that_passes_a_learner_records_their_completion_now(taken, trainer):
    quiz, cadres = taken
    Enrolment.objects.filter(cadre=cadres[2]).update(last_activity_at=None)
    Answer.objects.filter(question__name="Câu 5").update(fraction=Decimal(0))
    Answer.objects.filter(question__name="Câu 5", text="Sai 5").update(fraction=Decimal(100))
    services.quiz_regrade(quiz=quiz, by=trainer)
    enrolment = Enrolment.objects.get(cadre=cadres[2])
    assert enrolment.completed_at is not None and enrolment.last_activity_at is not None
