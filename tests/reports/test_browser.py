"""An HR officer opens the report in a browser, on a desktop and on a phone."""

import datetime as dt

import pytest

from tests.factories import make_cadre
from tests.services import artifacts_dir, chromium_browser

from .conftest import complete

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def browser(live_server):
    with chromium_browser() as browser:
        yield browser


@pytest.fixture
def data(tree, courses, programme, target):
    names = [("Nguyễn Thị", "Hoa"), ("Ma Văn", "Thắng"), ("Hoàng Thị", "Đào"), ("Nông Văn", "Ước")]
    for i, (family, given) in enumerate(names):
        unit = tree["la_bang"] if i < 3 else tree["lau_sau"]
        cadre = make_cadre(unit, family_name=family, given_name=given)
        if i < 2:
            complete(cadre, courses[0], dt.date(2025, 8, 1))
            complete(cadre, courses[1], dt.date(2025, 9, 1 + i))
    make_cadre(tree["dai_phuc"], family_name="Dương Văn", given_name="Bình Minh")


def sign_in(page, live_server, username, password):
    page.goto(f"{live_server.url}/bao-cao/")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/bao-cao/")


@pytest.mark.parametrize("width", [1280, 360])
def test_hr_officer_reads_report_drills_down_and_copies_list(
    browser, live_server, data, hr_la_bang, password, width
):
    context = browser.new_context(viewport={"width": width, "height": 800}, locale="vi-VN")
    page = context.new_page()
    sign_in(page, live_server, "tochuc.labang", password)
    assert page.locator("h1").inner_text() == "Báo cáo bồi dưỡng"
    summary = page.locator(".rp-summary").inner_text()
    assert "50,0%" in summary and "Chậm tiến độ" in summary
    assert "Đại Phúc" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(artifacts_dir() / f"report-{width}x800.png"), full_page=True)
    # The commune's own row and the units right under it; no sideways scroll.
    assert page.locator("table.rp-tree").get_by_text("Ban Công tác Mặt trận xóm Lau Sau").count()
    page.click('.rp-tree a:has-text("Ủy ban MTTQ xã La Bằng")')
    page.wait_for_selector("table.rp-cadres")
    assert "✓ 01/08/2025" in page.content()
    page.screenshot(path=str(artifacts_dir() / f"report-unit-{width}x800.png"), full_page=True)
    page.click("text=Chưa hoàn thành")
    text = page.locator("#rp-text").input_value()
    assert "Hoàng Thị Đào (Phó Chủ tịch)" in text
    page.screenshot(path=str(artifacts_dir() / f"report-incomplete-{width}x800.png"))
    context.close()
