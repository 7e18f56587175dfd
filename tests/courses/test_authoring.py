"""Trainers author courses in the Wagtail admin: create, moderate, preview, copy."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from wagtail.models import Page, WorkflowState
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from cadres.accounts.roles import ROLE_GROUPS
from courses.models import CoursePage, LessonPage

from .conftest import lessons_of

pytestmark = pytest.mark.django_db


def lesson_form(title="Nhận diện tin giả", slug="tin-gia", **extra):
    return nested_form_data(
        {
            "title": title,
            "slug": slug,
            "estimated_minutes": 10,
            "body": streamfield(
                [
                    ("heading", "Tin giả là gì"),
                    ("paragraph", rich_text("<p>Tin giả lan truyền nhanh trên mạng.</p>")),
                ]
            ),
            **extra,
        }
    )


def test_trainer_group_has_admin_access_and_page_permissions():
    group = Group.objects.get(name=ROLE_GROUPS["trainer"])
    codenames = set(group.permissions.values_list("codename", flat=True))
    assert "access_admin" in codenames
    page_codenames = set(group.page_permissions.values_list("permission__codename", flat=True))
    assert {"add_page", "change_page"} <= page_codenames
    # Trainers submit for review; the "Duyệt nội dung" group publishes.
    assert "publish_page" not in page_codenames
    collection_codenames = set(
        group.collection_permissions.values_list("permission__codename", flat=True)
    )
    assert {"add_image", "choose_image", "add_document", "choose_document"} <= collection_codenames


def test_trainer_opens_the_admin_but_a_learner_does_not(client, trainer, cadre_user):
    client.force_login(trainer)
    assert client.get("/quan-tri/").status_code == 200
    client.force_login(cadre_user)
    assert client.get("/quan-tri/").status_code == 302


def test_trainer_adds_a_lesson_and_submits_it_for_review_then_it_is_published(
    client, trainer, reviewer, course
):
    client.force_login(trainer)
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, lesson_form(**{"action-submit": "Submit"}))
    assert response.status_code == 302
    lesson = LessonPage.objects.get(slug="tin-gia")
    assert not lesson.live
    state = WorkflowState.objects.get(base_content_type__isnull=False, object_id=str(lesson.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS

    task_state = state.current_task_state
    assert task_state.task.specific.user_can_access_editor(lesson, reviewer)
    task_state.task.specific.on_action(task_state, reviewer, "approve")
    lesson.refresh_from_db()
    assert lesson.live
    assert "Tin giả lan truyền" in str(lesson.body.render_as_block())


def test_trainer_cannot_publish_a_lesson_without_review(client, trainer, course):
    client.force_login(trainer)
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk])
    client.post(url, lesson_form(**{"action-publish": "Publish"}))
    assert not LessonPage.objects.get(slug="tin-gia").live


def test_reviewer_publishes_a_lesson_directly(client, reviewer, course):
    lesson = lessons_of(course)[0]
    client.force_login(reviewer)
    url = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    client.post(url, lesson_form(title="Bài 1 (duyệt)", slug="bai-1", **{"action-publish": "1"}))
    lesson.refresh_from_db()
    assert lesson.live
    assert lesson.title == "Bài 1 (duyệt)"


def test_trainer_previews_a_lesson_before_publishing(client, trainer, course):
    lesson = lessons_of(course)[0]
    client.force_login(trainer)
    url = reverse("wagtailadmin_pages:preview_on_edit", args=[lesson.pk])
    data = lesson_form(title="Bài 1 (bản nháp)", slug="bai-1")
    assert client.post(url, data).json()["is_valid"] is True
    html = client.get(url).content.decode()
    assert "Tin giả lan truyền nhanh" in html
    lesson.refresh_from_db()
    assert lesson.title == "Bài 1"


def test_trainer_previews_a_new_lesson_before_saving_it(client, trainer, course):
    client.force_login(trainer)
    url = reverse("wagtailadmin_pages:preview_on_add", args=["courses", "lessonpage", course.pk])
    assert client.post(url, lesson_form()).json()["is_valid"] is True
    response = client.get(url)
    assert response.status_code == 200
    assert "Tin giả lan truyền nhanh" in response.content.decode()
    assert not LessonPage.objects.filter(slug="tin-gia").exists()


def test_trainer_previews_a_new_course_before_saving_it(client, trainer, index):
    client.force_login(trainer)
    url = reverse("wagtailadmin_pages:preview_on_add", args=["courses", "coursepage", index.pk])
    data = nested_form_data(
        {
            "title": "Chuyển đổi số cho cán bộ Mặt trận",
            "slug": "chuyen-doi-so",
            "summary": "Khóa học mới, chưa lưu.",
            "estimated_minutes": 30,
            "level": "basic",
            "topics": "",
            "sequential": "on",
            "completion_rule": "lessons_only",
        }
    )
    assert client.post(url, data).json()["is_valid"] is True
    response = client.get(url)
    assert response.status_code == 200
    assert "Khóa học mới, chưa lưu." in response.content.decode()


def test_learner_cannot_add_a_lesson(client, cadre_user, course):
    client.force_login(cadre_user)
    url = reverse("wagtailadmin_pages:add", args=["courses", "lessonpage", course.pk])
    client.post(url, lesson_form(**{"action-publish": "Publish"}))
    assert not LessonPage.objects.filter(slug="tin-gia").exists()


def test_trainer_copies_a_course_with_its_lessons_for_a_new_edition(client, trainer, course, index):
    client.force_login(trainer)
    response = client.post(
        reverse("wagtailadmin_pages:copy", args=[course.pk]),
        {
            "new_title": "Khóa học khoa-thu (2026)",
            "new_slug": "khoa-thu-2026",
            "new_parent_page": index.pk,
            "copy_subpages": "on",
        },
    )
    assert response.status_code == 302
    copy = CoursePage.objects.get(slug="khoa-thu-2026")
    assert [lesson.title for lesson in lessons_of(copy)] == ["Bài 1", "Bài 2", "Bài 3"]
    assert Page.objects.get(pk=course.pk).title == "Khóa học khoa-thu"
