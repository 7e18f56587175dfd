"""A cadre signs in on a phone-sized screen and sees their home page in Vietnamese."""

import pytest

from tests.services import PHONE, artifacts_dir, chromium_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server):
    with chromium_browser() as browser:
        context = browser.new_context(**PHONE)
        yield context.new_page()


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
