"""The overview shows how cadres of the unit fare in each quiz."""

from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from assessments.models import Attempt, QuizPage
from reports.dashboard import quiz_pass_rates
from tests.factories import make_cadre

pytestmark = pytest.mark.django_db


def _quiz(course, title, slug):
    quiz = QuizPage(title=title, slug=slug, pass_mark=Decimal("60"))
    course.add_child(instance=quiz)
    return QuizPage.objects.get(pk=quiz.pk)


def _attempt(quiz, cadre, number, passed):
    return Attempt.objects.create(
        quiz=quiz,
        cadre=cadre,
        number=number,
        state=Attempt.State.FINISHED,
        finished_at=timezone.now(),
        graded_at=timezone.now(),
        max_score=Decimal("10"),
        score=Decimal("8") if passed else Decimal("3"),
        percent=Decimal("80") if passed else Decimal("30"),
        passed=passed,
    )


@pytest.fixture
def results(tree, courses):
    quiz = _quiz(courses[0], "Bài kiểm tra kỹ năng số", "kiem-tra-ky-nang-so")
    hoa = make_cadre(tree["la_bang"], given_name="Hoa")
    mai = make_cadre(tree["lau_sau"], given_name="Mai")
    minh = make_cadre(tree["dai_phuc"], given_name="Minh")
    _attempt(quiz, hoa, 1, False)
    _attempt(quiz, hoa, 2, True)  # passed on the second try
    _attempt(quiz, mai, 1, False)
    _attempt(quiz, minh, 1, True)
    Attempt.objects.create(quiz=quiz, cadre=minh, number=2, max_score=Decimal("10"))  # open
    return quiz


def test_pass_rate_counts_cadres_of_the_subtree_who_passed_at_least_once(tree, results):
    rows = quiz_pass_rates(tree["la_bang"])
    assert [(r["quiz"], r["course"], r["attempted"], r["passed"], r["attempts"]) for r in rows] == [
        (
            "Bài kiểm tra kỹ năng số",
            "Kỹ năng số cơ bản trên điện thoại thông minh",
            2,
            1,
            3,
        )
    ]
    assert rows[0]["percent"] == 50


def test_another_communes_results_are_not_counted(tree, results):
    rows = quiz_pass_rates(tree["dai_phuc"])
    assert [(r["attempted"], r["passed"]) for r in rows] == [(1, 1)]


def test_dashboard_shows_quiz_pass_rates_in_vietnamese(client, results, hr_la_bang, programme):
    client.force_login(hr_la_bang)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Tỷ lệ đạt bài kiểm tra" in page
    assert "Bài kiểm tra kỹ năng số" in page and "50,0" in page
    assert "sẽ hiển thị khi" not in page


def test_dashboard_says_when_no_quiz_was_taken(client, tree, courses, hr_dai_phuc, programme):
    client.force_login(hr_dai_phuc)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert "Chưa có cán bộ nào của đơn vị làm bài kiểm tra." in page
