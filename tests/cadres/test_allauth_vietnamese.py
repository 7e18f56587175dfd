"""Every allauth page a cadre or staff member sees is in Vietnamese."""

import gettext

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]


def test_login_page_is_in_vietnamese_with_truthful_label(client):
    html = client.get(reverse("account_login")).content.decode()
    assert "Đăng nhập" in html
    assert "Mật khẩu" in html
    assert "Tên đăng nhập, số điện thoại hoặc email" in html
    assert "Ghi nhớ đăng nhập" in html
    assert 'href="/tai-khoan/kich-hoat/"' in html
    assert reverse("account_reset_password") in html
    assert "Sign In" not in html and "Password" not in html


def test_login_page_uses_the_site_layout(client):
    html = client.get(reverse("account_login")).content.decode()
    assert 'lang="vi"' in html
    assert "css/app.css" in html
    assert '<label for="id_login">' in html


def test_successful_sign_in_flashes_a_vietnamese_message(client, cadre_user, password):
    response = client.post(
        reverse("account_login"), {"login": "hoa", "password": password}, follow=True
    )
    html = response.content.decode()
    assert "Đăng nhập thành công với tài khoản hoa." in html
    assert "Successfully signed in" not in html


def test_wrong_password_error_is_in_vietnamese(client, cadre_user):
    response = client.post(reverse("account_login"), {"login": "hoa", "password": "sai-mat-khau"})
    html = response.content.decode()
    assert "Tên đăng nhập hoặc mật khẩu bạn nhập không đúng." in html
    assert "not correct" not in html


def test_sign_out_page_and_message_are_in_vietnamese(client, cadre_user):
    client.force_login(cadre_user)
    assert "Bạn có chắc muốn đăng xuất?" in client.get(reverse("account_logout")).content.decode()
    response = client.post(reverse("account_logout"), follow=True)
    assert "Bạn đã đăng xuất." in response.content.decode()


def test_password_reset_page_and_email_are_in_vietnamese(client, cadre_user):
    cadre_user.email = "hoa@example.vn"
    cadre_user.save()
    html = client.get(reverse("account_reset_password")).content.decode()
    assert "Đặt lại mật khẩu" in html
    assert "Tài khoản chưa có email?" in html
    response = client.post(
        reverse("account_reset_password"), {"email": "hoa@example.vn"}, follow=True
    )
    assert "Chúng tôi đã gửi thư cho bạn." in response.content.decode()
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "Thư đặt lại mật khẩu" in message.subject
    assert "yêu cầu đặt lại mật khẩu" in message.body
    assert "hoa" in message.body


def test_password_reset_from_key_page_is_in_vietnamese(client):
    html = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad-key"}),
        follow=True,
    ).content.decode()
    assert "Mã không hợp lệ" in html


def test_password_change_page_is_in_vietnamese(client, cadre_user):
    client.force_login(cadre_user)
    html = client.get(reverse("account_change_password")).content.decode()
    assert "Đổi mật khẩu" in html and "Mật khẩu hiện tại" in html and "Mật khẩu mới" in html


def test_too_short_new_password_is_refused_in_vietnamese(client, cadre_user, password):
    client.force_login(cadre_user)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": password, "password1": "ngan9chu", "password2": "ngan9chu"},
    )
    assert response.status_code == 200
    assert "10 ký tự" in response.content.decode()
    cadre_user.refresh_from_db()
    assert cadre_user.check_password(password)


def test_english_stays_available(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Sign In" in client.get(reverse("account_login")).content.decode()


def test_allauth_catalogue_is_complete_and_compiled():
    folder = settings.BASE_DIR / "site/locale/allauth/vi/LC_MESSAGES"
    source = (folder / "django.po").read_text(encoding="utf-8")
    assert "#, fuzzy" not in source
    with (folder / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    # msgfmt leaves untranslated entries out of the .mo: every msgid of the
    # .po (283 for allauth 65.22's account and mfa apps) must be in it.
    assert len(catalogue._catalog) - 1 >= source.count("\nmsgid ") - 1 >= 280
