"""Course, lesson and quiz slugs are ASCII: links shared on Zalo stay readable."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from cadres.text import ascii_slug
from courses.models import CoursePage, LessonPage

pytestmark = pytest.mark.django_db


def lesson_form(title, slug):
    return nested_form_data(
        {"title": title, "slug": slug, "estimated_minutes": 10, "body": streamfield([])}
    )


def test_ascii_slug_folds_vietnamese_letters_and_d_with_stroke():
    assert ascii_slug("Sử dụng Zalo an toàn, đúng cách") == "su-dung-zalo-an-toan-dung-cach"
    assert ascii_slug("ĐỊNH DANH ĐIỆN TỬ VNeID") == "dinh-danh-dien-tu-vneid"


def test_a_new_lesson_slug_typed_with_diacritics_is_saved_without_them(client, trainer, course):
    client.force_login(trainer)
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk])
    response = client.post(url, lesson_form("Đường dây nóng", "đường-dây-nóng"))
    assert response.status_code == 302
    assert LessonPage.objects.filter(slug="duong-day-nong").exists()
    assert not LessonPage.objects.filter(slug="đường-dây-nóng").exists()


def test_a_page_created_without_a_slug_takes_an_ascii_one_from_its_title(index):
    course = index.add_child(instance=CoursePage(title="Định danh điện tử và dịch vụ công"))
    assert course.slug == "dinh-danh-dien-tu-va-dich-vu-cong"


def test_an_existing_unicode_slug_is_kept_when_the_page_is_edited(client, trainer, course):
    lesson = course.add_child(instance=LessonPage(title="Bài cũ", slug="bài-cũ"))
    lesson.save_revision().publish()
    client.force_login(trainer)
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]), lesson_form("Bài cũ (sửa)", "bài-cũ")
    )
    assert response.status_code == 302
    lesson.refresh_from_db()
    assert lesson.slug == "bài-cũ"
    assert lesson.url_path.endswith("/bài-cũ/")


def test_the_slug_field_folds_vietnamese_letters_in_the_browser_script(client, trainer, course):
    client.force_login(trainer)
    html = client.get(
        reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk])
    ).content.decode()
    # A false attribute is left out; the script's default is ASCII.
    assert "data-w-slug-allow-unicode-value" not in html
    assert "data-w-slug-formatters-value" in html
