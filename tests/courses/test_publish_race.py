"""A publish is never undone by an autosave that read the page just before it."""

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import nested_form_data, streamfield

from courses.forms import AsciiSlugPageForm
from courses.models import LessonPage

from .conftest import lessons_of

pytestmark = pytest.mark.django_db

JSON = {"HTTP_ACCEPT": "application/json"}


def autosave_data(lesson, title, **ids):
    return nested_form_data(
        {
            "title": title,
            "slug": lesson.slug,
            "estimated_minutes": 10,
            "body": streamfield([]),
            **ids,
        }
    )


def loaded(lesson):
    revision = lesson.get_latest_revision()
    return {
        "loaded_revision_id": revision.pk,
        "loaded_revision_created_at": revision.created_at.isoformat(),
    }


@pytest.fixture
def publish_in_another_window(monkeypatch, reviewer):
    """Publishes the page while a request is between Wagtail's "is this
    editor out of date?" check and its write: form validation runs there."""

    def arm(lesson, title):
        original = AsciiSlugPageForm.clean_slug
        done = []

        def clean_slug(form):
            if not done:
                done.append(True)
                other = LessonPage.objects.get(pk=lesson.pk)
                other.title = title
                other.save_revision(user=reviewer).publish(user=reviewer)
            return original(form)

        monkeypatch.setattr(AsciiSlugPageForm, "clean_slug", clean_slug)

    return arm


def test_an_autosave_landing_just_after_a_publish_does_not_revert_it(
    client, reviewer, course, publish_in_another_window
):
    lesson = lessons_of(course)[0]
    lesson.save_revision(user=reviewer).publish(user=reviewer)
    url = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    client.force_login(reviewer)
    first = client.post(url, autosave_data(lesson, "Bản nháp A", **loaded(lesson)), **JSON)
    draft_revision_id = first.json()["revision_id"]

    publish_in_another_window(lesson, "Bản đã xuất bản")
    late = client.post(
        url, autosave_data(lesson, "Bản nháp B", overwrite_revision_id=draft_revision_id), **JSON
    )

    assert late.json()["success"] is False
    lesson.refresh_from_db()
    assert lesson.live
    assert lesson.title == "Bản đã xuất bản"
    assert lesson.latest_revision_id == lesson.live_revision_id
    assert not lesson.has_unpublished_changes


def test_a_first_publish_is_not_turned_back_into_a_draft_by_an_earlier_autosave(
    client, reviewer, course, publish_in_another_window
):
    lesson = course.add_child(instance=LessonPage(title="Bài mới", slug="bai-moi", live=False))
    lesson.save_revision(user=reviewer)
    url = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    client.force_login(reviewer)

    publish_in_another_window(lesson, "Bài mới (xuất bản)")
    late = client.post(url, autosave_data(lesson, "Bài mới (nháp)", **loaded(lesson)), **JSON)

    assert late.json()["success"] is False
    lesson.refresh_from_db()
    assert lesson.live
    assert lesson.title == "Bài mới (xuất bản)"
    assert not lesson.has_unpublished_changes


def test_an_autosave_from_the_newest_version_is_still_saved(client, reviewer, course):
    lesson = lessons_of(course)[0]
    lesson.save_revision(user=reviewer).publish(user=reviewer)
    url = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    client.force_login(reviewer)
    first = client.post(url, autosave_data(lesson, "Bản nháp A", **loaded(lesson)), **JSON)
    second = client.post(
        url,
        autosave_data(lesson, "Bản nháp B", overwrite_revision_id=first.json()["revision_id"]),
        **JSON,
    )
    assert second.json()["success"] is True
    lesson.refresh_from_db()
    assert lesson.draft_title == "Bản nháp B"
    assert lesson.has_unpublished_changes
