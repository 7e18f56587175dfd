"""A trainer's edit reaches learners only after a reviewer approves it (1280×800)."""

import pytest
from django.urls import reverse
from wagtail.models import GroupApprovalTask, TaskState

from cadres.accounts.roles import REVIEWER_GROUP
from tests.services import artifacts_dir, chromium_browser

from .conftest import lessons_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "vi-VN"}


def sign_in(browser, live_server, username, password, next_url="/quan-tri/"):
    context = browser.new_context(**DESKTOP)
    page = context.new_page()
    page.goto(f"{live_server.url}{reverse('account_login')}?next={next_url}")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{next_url}")
    return page


def open_actions(page):
    page.locator("footer [data-w-dropdown-target=toggle]").first.click()


def test_trainer_submits_reviewer_approves_and_only_then_learners_see_the_edit(
    staff_groups, live_server, trainer, reviewer, cadre_user, password, enrolment, course
):
    assert GroupApprovalTask.objects.filter(groups__name=REVIEWER_GROUP, active=True).exists()
    lesson = lessons_of(course)[0]
    lesson.save_revision().publish()
    learner_url = f"{live_server.url}/khoa-hoc/khoa-thu/bai-1/"
    shots = artifacts_dir()
    with chromium_browser() as browser:
        author = sign_in(browser, live_server, "giangvien", password)
        author.goto(f"{live_server.url}{reverse('wagtailadmin_explore', args=[course.pk])}")
        author.get_by_role("link", name="Bài 1", exact=True).first.click()
        author.wait_for_url(f"**{reverse('wagtailadmin_pages:edit', args=[lesson.pk])}")
        author.fill("#id_title", "Bài 1: nhận diện lừa đảo (bản mới)")
        open_actions(author)
        # A trainer has no "publish": the only way out is review.
        assert author.locator("button[name=action-publish]").count() == 0
        author.screenshot(path=str(shots / "review-trainer-actions-1280.png"))
        author.click("button[name=action-submit]")
        author.wait_for_url(f"**{reverse('wagtailadmin_explore', args=[course.pk])}")

        learner = sign_in(
            browser, live_server, "hoa", password, next_url="/khoa-hoc/khoa-thu/bai-1/"
        )
        assert learner.locator("h1").inner_text() == "Bài 1"

        checker = sign_in(browser, live_server, "duyet", password)
        checker.get_by_role("link", name="Bài 1: nhận diện lừa đảo (bản mới)").click()
        checker.wait_for_url(f"**{reverse('wagtailadmin_pages:edit', args=[lesson.pk])}")
        open_actions(checker)
        checker.locator(
            "footer button[data-workflow-action-name=approve][data-workflow-action-modal-url]"
        ).click()
        checker.fill("textarea[name=comment]", "Nội dung đúng, đã duyệt.")
        checker.screenshot(path=str(shots / "review-approve-comment-1280.png"))
        checker.locator("[role=dialog] button[type=submit]").last.click()
        checker.wait_for_url(f"**{reverse('wagtailadmin_explore', args=[course.pk])}")

        learner.goto(learner_url)
        assert learner.locator("h1").inner_text() == "Bài 1: nhận diện lừa đảo (bản mới)"
    lesson.refresh_from_db()
    assert lesson.live and not lesson.has_unpublished_changes
    task_state = TaskState.objects.get(workflow_state__object_id=str(lesson.pk))
    assert task_state.status == TaskState.STATUS_APPROVED
    assert task_state.comment == "Nội dung đúng, đã duyệt."
