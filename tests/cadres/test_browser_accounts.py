"""Sign-in and two-factor enrolment in a real browser on a 360 px screen."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from cadres.models import SecuritySettings
from tests.services import artifacts_dir
from tests.test_browser import page  # noqa: F401  (the shared Chromium fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def no_sideways_scroll(page) -> bool:  # noqa: F811
    return page.evaluate("document.documentElement.scrollWidth") <= 360


def test_login_works_with_the_keyboard_alone(page, live_server, cadre_user, password):  # noqa: F811
    page.goto(f"{live_server.url}/tai-khoan/login/")
    assert page.get_by_label("Tên đăng nhập, số điện thoại hoặc email").is_visible()
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir() / "login-360x800.png"), full_page=True)
    page.get_by_label("Tên đăng nhập, số điện thoại hoặc email").focus()
    page.keyboard.type("hoa")
    page.keyboard.press("Tab")
    page.keyboard.type(password)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Quên mật khẩu?"
    page.keyboard.press("Tab")
    page.keyboard.press("Space")
    assert page.get_by_label("Ghi nhớ đăng nhập").is_checked()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server.url}/")
    assert "Đăng nhập thành công với tài khoản hoa." in page.inner_text("main")


def test_password_reset_page_fits_a_phone(page, live_server):  # noqa: F811
    page.goto(f"{live_server.url}/tai-khoan/password/reset/")
    assert page.get_by_role("heading", name="Đặt lại mật khẩu").is_visible()
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir() / "password-reset-360x800.png"), full_page=True)


def test_required_trainer_enrols_an_authenticator_app(page, live_server, trainer, password):  # noqa: F811
    settings = SecuritySettings.load()
    settings.require_mfa_trainer = True
    settings.save()
    page.goto(f"{live_server.url}/tai-khoan/login/")
    page.fill("input[name=login]", "giangvien")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    # Sent to set up TOTP; allauth first asks for the password once more.
    page.wait_for_url("**/reauthenticate/**")
    assert "Vai trò của bạn bắt buộc dùng xác thực hai lớp" in page.inner_text("main")
    page.get_by_label("Mật khẩu").fill(password)
    page.get_by_role("button", name="Xác nhận").click()
    page.wait_for_url("**/2fa/totp/activate/")
    assert page.get_by_role("heading", name="Bật ứng dụng xác thực").is_visible()
    assert no_sideways_scroll(page)
    page.screenshot(path=str(artifacts_dir() / "mfa-activate-360x800.png"), full_page=True)
    secret = page.input_value("#authenticator_secret")
    page.fill("input[name=code]", format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
    page.get_by_role("button", name="Bật").click()
    page.wait_for_url("**/2fa/recovery-codes/")
    assert "Đã bật ứng dụng xác thực." in page.inner_text("main")
    page.screenshot(path=str(artifacts_dir() / "mfa-recovery-codes-360x800.png"), full_page=True)
    page.goto(f"{live_server.url}/")
    assert page.locator("h1").inner_text() == "Xin chào, giangvien"
