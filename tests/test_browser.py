"""A cadre signs in on a phone-sized screen and sees their home page in Vietnamese."""

import pytest

from tests.services import CHROMIUM_ARGS, artifacts_dir, need_chromium

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server, monkeypatch):
    executable = need_chromium()
    # Playwright's sync API runs an event loop in this thread; the ORM calls the
    # test makes meanwhile are ordinary synchronous ones.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        context = browser.new_context(viewport={"width": 360, "height": 800}, locale="vi-VN")
        yield context.new_page()
        browser.close()


def test_cadre_logs_in_on_a_phone_and_sees_home_in_vietnamese(
    page, live_server, cadre_user, password
):
    page.goto(f"{live_server.url}/")
    page.fill("input[name=login]", "hoa")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Xin chào, Nguyễn Thị Hoa"
    assert page.get_by_role("heading", name="Khóa học của tôi").is_visible()
    # Nothing wider than the phone screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    page.screenshot(path=str(artifacts_dir() / "home-360x800.png"), full_page=True)
