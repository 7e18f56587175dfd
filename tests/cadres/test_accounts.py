import pytest
from django.urls import reverse

from cadres.accounts.services import activation_code_set
from cadres.models import AuditEvent
from tests.services import cache_clear

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache_clear()


def _login(client, login, password):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def test_cadre_logs_in_with_username(client, cadre_user, password):
    response = _login(client, "hoa", password)
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_cadre_logs_in_with_phone_number(client, cadre_user, password):
    phone = cadre_user.cadre.phone
    assert _login(client, f"+84 {phone[1:4]} {phone[4:]}", password).status_code == 302


def test_cadre_logs_in_with_email(client, cadre_user, password):
    cadre_user.email = "hoa@example.vn"
    cadre_user.save()
    assert _login(client, "hoa@example.vn", password).status_code == 302


def test_wrong_password_is_refused_and_audited(client, cadre_user):
    response = _login(client, "hoa", "sai-mat-khau-roi")
    assert response.status_code == 200
    assert AuditEvent.objects.filter(action="auth.login_failed").exists()


def test_successful_login_is_audited_with_ip(client, cadre_user, password):
    _login(client, "hoa", password)
    event = AuditEvent.objects.get(action="auth.login")
    assert event.actor == cadre_user and event.ip_address == "127.0.0.1"


def test_repeated_failed_logins_are_rate_limited(client, cadre_user, password):
    for _ in range(6):
        _login(client, "hoa", "sai-mat-khau-roi")
    response = _login(client, "hoa", password)
    assert response.status_code in (200, 429)
    assert not client.get(reverse("home")).status_code == 200


def test_signup_is_closed(client):
    response = client.get(reverse("account_signup"))
    assert "Đăng ký" not in response.content.decode() or response.status_code != 200


def test_activation_code_lets_cadre_without_email_set_password(client, cadre_user):
    code = activation_code_set(user=cadre_user)
    response = client.post(
        reverse("account_activate"),
        {
            "username": "hoa",
            "code": code,
            "password1": "mot-mat-khau-moi",
            "password2": "mot-mat-khau-moi",
        },
    )
    assert response.status_code == 302
    assert _login(client, "hoa", "mot-mat-khau-moi").status_code == 302


def test_activation_code_works_once(client, cadre_user):
    code = activation_code_set(user=cadre_user)
    data = {
        "username": "hoa",
        "code": code,
        "password1": "mot-mat-khau-moi",
        "password2": "mot-mat-khau-moi",
    }
    client.post(reverse("account_activate"), data)
    response = client.post(
        reverse("account_activate"),
        {**data, "password1": "khac-hoan-toan-1", "password2": "khac-hoan-toan-1"},
    )
    assert response.status_code == 200
    assert "hết hạn" in response.content.decode()


def test_password_shorter_than_10_is_refused(client, cadre_user):
    code = activation_code_set(user=cadre_user)
    response = client.post(
        reverse("account_activate"),
        {"username": "hoa", "code": code, "password1": "ngan9chu", "password2": "ngan9chu"},
    )
    assert response.status_code == 200
    cadre_user.refresh_from_db()
    assert cadre_user.activation_code_hash
