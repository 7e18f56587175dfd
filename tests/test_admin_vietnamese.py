"""Every admin page a trainer, reviewer, HR officer and administrator can open
speaks Vietnamese: no English word in visible text, aria-label, title,
placeholder or alt outside the allowlist (product names, formats), and no
string that mixes the two."""

import datetime as dt

import pytest
from django.urls import reverse

from assessments.models import QuestionCategory
from cadres.models import User
from courses.models import LessonPage, Programme
from courses.services import course_index_ensure
from tests.admin_crawl import crawl, english_vocabulary
from tests.assessments.conftest import add_quiz, make_question
from tests.conftest import _user
from tests.courses.conftest import make_course

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_content(tree, trainer):
    course = make_course(course_index_ensure(), slug="an-toan-thong-tin", revisions=True)
    category = QuestionCategory.add_root(name="An toàn thông tin")
    scams = category.add_child(name="Lừa đảo")
    questions = [
        make_question(scams, "Nhận diện cuộc gọi lừa đảo", text="Cuộc gọi giả danh công an?"),
        make_question(category, "Bảo vệ mã OTP", qtype="truefalse", text="Mã OTP là bí mật?"),
    ]
    add_quiz(course, questions, slug="kiem-tra-cuoi-khoa")
    Programme.objects.create(
        name="Kỹ năng số 2026", unit=tree["province"], deadline=dt.date(2026, 12, 31)
    )
    # A lesson waiting in the reviewers' queue.
    lesson = LessonPage.objects.child_of(course).first()
    lesson.title = "Bài 1 (bản mới)"
    revision = lesson.save_revision(user=trainer)
    from wagtail.models import Workflow

    Workflow.objects.get(name="Duyệt nội dung").start(lesson, trainer)
    return {"course": course, "revision": revision}


@pytest.fixture
def vocabulary():
    return english_vocabulary()


def _administrator():
    return _user(User.Role.ADMINISTRATOR, username="quantri.thuong")


@pytest.mark.parametrize("who", ["trainer", "reviewer", "hr_la_bang", "administrator"])
def test_every_admin_page_a_staff_member_opens_is_in_vietnamese(
    client, request, who, admin_content, vocabulary
):
    user = _administrator() if who == "administrator" else request.getfixturevalue(who)
    assert not user.is_superuser
    client.force_login(user)
    statuses, findings = crawl(
        client, start=reverse("wagtailadmin_home"), limit=70, vocabulary=vocabulary
    )
    assert len(statuses) > 5, statuses
    assert not [url for url, status in statuses.items() if status >= 500]
    assert findings == {}, "\n".join(f"{url}: {text!r}" for text, url in findings.items())


def test_the_crawl_finds_english_where_there_is_some(client, trainer, vocabulary, settings):
    """The check can fail: with the admin in English it reports plenty."""
    client.force_login(trainer)
    client.cookies["django_language"] = "en"
    from django.utils import translation
    from wagtail.users.models import UserProfile

    profile = UserProfile.get_for_user(trainer)
    profile.preferred_language = "en"
    profile.save()
    with translation.override("en"):
        _statuses, findings = crawl(client, limit=3, vocabulary=vocabulary)
    assert len(findings) > 10
