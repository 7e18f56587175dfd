from decimal import Decimal

import pytest
from django.conf import settings
from wagtail.models import Locale, Page, Site

from assessments.models import Answer, Question, QuestionCategory, QuizPage, QuizQuestion
from courses.models import CourseIndexPage, CoursePage, Enrolment


def make_question(category, name, qtype="single", answers=None, **fields):
    question = Question.objects.create(
        category=category, name=name, qtype=qtype, text=fields.pop("text", name), **fields
    )
    for i, spec in enumerate(answers or [("Đúng", 100), ("Sai", 0)]):
        text, fraction, *rest = spec
        extra = rest[0] if rest else {}
        Answer.objects.create(
            question=question, sort_order=i, text=text, fraction=Decimal(fraction), **extra
        )
    return question


@pytest.fixture
def category(db):
    return QuestionCategory.add_root(name="An toàn thông tin")


@pytest.fixture
def course(db):
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        # A transactional test flushed the pages the migrations made.
        Locale.objects.get_or_create(language_code=settings.LANGUAGE_CODE)
        top = Page.get_first_root_node() or Page.add_root(instance=Page(title="Root", slug="root"))
        home = top.add_child(instance=Page(title="Trang chủ", slug="trang-chu"))
        site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    root = site.root_page
    index = CourseIndexPage(title="Khóa học", slug="khoa-hoc-test")
    root.add_child(instance=index)
    course = CoursePage(
        title="An toàn thông tin",
        slug="an-toan-thong-tin",
        completion_rule=CoursePage.CompletionRule.QUIZZES_ONLY,
    )
    index.add_child(instance=course)
    return course


@pytest.fixture
def questions(category):
    out = []
    for i in range(1, 6):
        out.append(
            make_question(
                category,
                f"Câu {i}",
                answers=[
                    (f"Đúng {i}", 100, {"feedback": "Chính xác"}),
                    (f"Sai {i}", 0),
                    ("Khác", 0),
                ],
            )
        )
    return out


def add_quiz(course, questions, **fields):
    quiz = QuizPage(
        title=fields.pop("title", "Bài kiểm tra cuối khóa"),
        slug=fields.pop("slug", "kiem-tra"),
        pass_mark=fields.pop("pass_mark", Decimal("60")),
        **{"shuffle_questions": False, "shuffle_answers": False, **fields},
    )
    course.add_child(instance=quiz)
    for i, question in enumerate(questions):
        QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=i)
    return QuizPage.objects.get(pk=quiz.pk)


@pytest.fixture
def quiz(course, questions):
    return add_quiz(course, questions)


@pytest.fixture
def enrolled(cadre_user, course):
    return Enrolment.objects.create(cadre=cadre_user.cadre, course=course, source="self")


def correct_response(slot):
    """The right answer for a slot of a single-choice question, read from the key."""
    right = slot.question.answers.filter(fraction__gt=0).first()
    return {"choice": right.pk}


def wrong_response(slot):
    wrong = slot.question.answers.filter(fraction__lte=0).first()
    return {"choice": wrong.pk}
