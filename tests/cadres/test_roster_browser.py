"""The demo HR officer of La Bằng imports a messy spreadsheet through the browser."""

import pytest

from cadres.demo import DEMO_PASSWORD
from cadres.demo import load as load_demo
from cadres.models import Cadre
from tests.services import artifacts_dir, chromium_browser

from .roster_files import messy_xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def page(live_server):
    with chromium_browser() as browser:
        context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="vi-VN")
        yield context.new_page()


def upload_and_check(page, url, path):
    page.goto(f"{url}/can-bo/nhap/")
    page.set_input_files("input[name=file]", str(path))
    page.get_by_role("button", name="Tải lên và kiểm tra").click()
    page.get_by_role("button", name="Kiểm tra tệp (chạy thử)").click()
    page.wait_for_selector("h2:has-text('Kết quả chạy thử')")


def test_la_bang_officer_dry_runs_then_imports_a_messy_file(page, live_server):
    load_demo()
    before = Cadre.objects.count()
    bad, good = artifacts_dir() / "ds-can-bo-loi.xlsx", artifacts_dir() / "ds-can-bo.xlsx"
    bad.write_bytes(messy_xlsx())
    good.write_bytes(messy_xlsx(bad=False))

    page.goto(f"{live_server.url}/")
    page.fill("input[name=login]", "tochuc.labang")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    upload_and_check(page, live_server.url, bad)
    body = page.inner_text("main")
    assert "Bị từ chối: 6" in body
    assert "Ngày “31/02/1980” không tồn tại." in body
    assert "nằm ngoài phạm vi bạn quản lý" in body
    assert page.get_by_role("button", name="Nhập ngay").count() == 0
    page.screenshot(path=str(artifacts_dir() / "roster-dry-run-rejected.png"), full_page=True)

    upload_and_check(page, live_server.url, good)
    page.get_by_role("link", name="Mới: 5").click()
    page.get_by_text("Sửa cách tách họ tên").nth(3).click()
    form = page.locator("form.split").nth(3)
    form.locator("input[name=family_name]").fill("Dương Văn")
    form.locator("input[name=given_name]").fill("Bình Minh")
    form.get_by_role("button", name="Lưu").click()
    page.wait_for_selector("h2:has-text('Kết quả chạy thử')")
    page.screenshot(path=str(artifacts_dir() / "roster-dry-run.png"), full_page=True)
    page.get_by_label("Tạo tài khoản cho cán bộ mới").check()
    page.get_by_role("button", name="Nhập ngay").click()
    page.wait_for_selector("text=Đã nhập: 5 mới")
    page.screenshot(path=str(artifacts_dir() / "roster-imported.png"), full_page=True)

    assert Cadre.objects.count() == before + 5
    assert Cadre.objects.get(cadre_code="LB004").given_name == "Bình Minh"
    page.get_by_role("link", name="Xem danh sách cán bộ").click()
    assert "Dương Văn Bình Minh" in page.inner_text("main")
