"""The demo question bank and quizzes load once, on top of a course tree."""

import pytest
from wagtail.models import Page

from assessments import demo
from assessments.models import Attempt, Question, QuestionCategory, QuizPage
from courses.models import Completion, CourseIndexPage, CoursePage, Enrolment
from tests.factories import make_cadre

pytestmark = pytest.mark.django_db


def test_demo_without_courses_loads_only_the_question_bank():
    demo.load()
    assert Question.objects.count() == 30
    assert QuestionCategory.objects.count() == 3
    assert not QuizPage.objects.exists()


def test_demo_adds_quizzes_and_attempts_and_is_idempotent(tree):
    root = Page.get_first_root_node()
    index = root.add_child(instance=CourseIndexPage(title="Khóa học", slug="khoa-hoc"))
    safety = index.add_child(
        instance=CoursePage(
            title="An toàn thông tin",
            slug="an-toan-thong-tin",
            completion_rule=CoursePage.CompletionRule.QUIZZES_ONLY,
        )
    )
    ai = index.add_child(instance=CoursePage(title="Ứng dụng AI", slug="ung-dung-ai"))
    cadres = [make_cadre(tree["la_bang"]) for _ in range(6)]
    for cadre in cadres:
        Enrolment.objects.create(cadre=cadre, course=safety, source="self")
        Enrolment.objects.create(cadre=cadre, course=ai, source="self")
    done = Enrolment.objects.get(cadre=cadres[0], course=ai)
    Completion.objects.create(enrolment=done, source=Completion.Source.MANUAL, reason="demo")

    demo.load()
    counts = (Question.objects.count(), QuizPage.objects.count(), Attempt.objects.count())
    demo.load()
    assert (Question.objects.count(), QuizPage.objects.count(), Attempt.objects.count()) == counts
    assert counts[:2] == (30, 2)

    safety_quiz = QuizPage.objects.child_of(safety).get()
    assert safety_quiz.live and safety_quiz.quiz_questions.count() == 10
    assert list(Page.objects.get(pk=safety.pk).get_children())[-1].pk == safety_quiz.pk
    ai_quiz = QuizPage.objects.child_of(ai).get()
    assert ai_quiz.selection == "random" and ai_quiz.random_count == 5
    # The completion recorded before the quiz existed has a passed attempt behind it.
    assert Attempt.objects.filter(quiz=ai_quiz, cadre=cadres[0], passed=True).exists()
    assert Attempt.objects.filter(passed=False).exists()
    assert Attempt.objects.filter(quiz=safety_quiz, passed=True).exists()
    assert not Attempt.objects.filter(state="in_progress").exists()
    # Passing the required quiz of a quiz-only course completes it.
    passer = Attempt.objects.filter(quiz=safety_quiz, passed=True).first().cadre
    assert Completion.objects.filter(enrolment__cadre=passer, enrolment__course=safety).exists()
