"""A cadre finishes a lesson on a 360×800 screen, losing the connection on the way."""

import pytest
from django.urls import reverse

from courses.models import LessonCompletion
from tests.services import PHONE, artifacts_dir, chromium_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser_context(live_server):
    with chromium_browser() as browser:
        context = browser.new_context(**PHONE)
        yield context


def test_cadre_completes_a_lesson_on_a_phone_even_after_losing_the_connection(
    browser_context, live_server, cadre_user, password, enrolment, course
):
    page = browser_context.new_page()
    page.goto(f"{live_server.url}{reverse('account_login')}?next=/khoa-hoc/khoa-thu/bai-1/")
    page.fill("input[name=login]", "hoa")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/khoa-hoc/khoa-thu/bai-1/")
    assert page.locator("h1").inner_text() == "Bài 1"
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts_dir() / "lesson-360x800.png"), full_page=True)

    button = page.get_by_role("button", name="Hoàn thành bài học")
    button.focus()  # keyboard-usable: Enter on the focused button submits
    browser_context.set_offline(True)
    page.keyboard.press("Enter")
    page.get_by_text("Mất kết nối").wait_for()
    assert not LessonCompletion.objects.exists()

    browser_context.set_offline(False)
    page.wait_for_url(f"{live_server.url}/khoa-hoc/khoa-thu/bai-2/", timeout=20_000)
    completion = LessonCompletion.objects.get(enrolment=enrolment)
    assert completion.lesson.slug == "bai-1"
    page.screenshot(path=str(artifacts_dir() / "lesson-2-360x800.png"), full_page=True)
