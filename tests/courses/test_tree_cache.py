"""Pages are served from the tree cache, yet an editor's change shows at once."""

from django.test import Client
from wagtail.models import PageViewRestriction

from cadres.services import notification_mark_read, notification_send
from courses.models import LessonPage

from .conftest import lessons_of

LESSON_URL = "/khoa-hoc/khoa-thu/bai-2/"


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_lesson_page_costs_few_queries_whatever_the_course(
    cadre_user, course, enrolment, django_assert_max_num_queries
):
    client = _client(cadre_user)
    client.get(LESSON_URL)  # fills the tree cache
    # the enrolment joined to the learner's completed lessons (the user is cached)
    with django_assert_max_num_queries(1):
        assert client.get(LESSON_URL).status_code == 200


def test_unpublished_lesson_is_gone_although_it_was_cached(cadre_user, course, enrolment):
    client = _client(cadre_user)
    assert client.get(LESSON_URL).status_code == 200
    lessons_of(course)[1].unpublish()
    assert client.get(LESSON_URL).status_code == 404


def test_republished_title_shows_on_the_lesson_and_its_course(cadre_user, course, enrolment):
    client = _client(cadre_user)
    assert "Bài 2" in client.get("/khoa-hoc/khoa-thu/").content.decode()
    lesson = lessons_of(course)[1]
    lesson.title = "Nhận diện tin nhắn giả mạo"
    lesson.save_revision().publish()
    assert "Nhận diện tin nhắn giả mạo" in client.get(LESSON_URL).content.decode()
    assert "Nhận diện tin nhắn giả mạo" in client.get("/khoa-hoc/khoa-thu/").content.decode()


def test_lesson_added_later_appears_in_the_outline(cadre_user, course, enrolment):
    client = _client(cadre_user)
    assert "Bài 4" not in client.get("/khoa-hoc/khoa-thu/").content.decode()
    course.add_child(instance=LessonPage(title="Bài 4", slug="bai-4"))
    assert "Bài 4" in client.get("/khoa-hoc/khoa-thu/").content.decode()


def test_page_made_private_after_it_was_cached_asks_for_the_password(cadre_user, course, enrolment):
    client = _client(cadre_user)
    assert client.get(LESSON_URL).status_code == 200
    PageViewRestriction.objects.create(
        page=course, restriction_type=PageViewRestriction.PASSWORD, password="mat-khau-lop"
    )
    response = client.get(LESSON_URL)
    assert response.status_code == 200
    assert "mat-khau-lop" not in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_public_lesson_needs_no_password(cadre_user, course, enrolment):
    response = _client(cadre_user).get(LESSON_URL)
    assert 'name="password"' not in response.content.decode()


def test_unread_badge_follows_notifications_sent_and_read(cadre_user, course, enrolment):
    client = _client(cadre_user)
    assert 'class="badge"' not in client.get(LESSON_URL).content.decode()
    notification_send(user=cadre_user, kind="test", title="Có khóa học mới", email=False)
    assert 'class="badge">1<' in client.get(LESSON_URL).content.decode()
    notification_mark_read(user=cadre_user)
    assert 'class="badge"' not in client.get(LESSON_URL).content.decode()
