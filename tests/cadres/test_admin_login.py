"""Wagtail's login is not a side door: it sends everyone to allauth's
rate-limited login."""

import pytest
from django.core.cache import caches
from django.test import override_settings
from django.urls import reverse

from tests.services import need_redis

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]

WAGTAIL_LOGIN = "/quan-tri/login/"


def test_wagtail_login_page_redirects_to_allauth_keeping_next(client):
    response = client.get(WAGTAIL_LOGIN, {"next": "/quan-tri/pages/"})
    assert response.status_code == 302
    assert response["Location"] == "/tai-khoan/login/?next=%2Fquan-tri%2Fpages%2F"


def test_admin_sends_anonymous_visitors_to_allauth_login(client):
    response = client.get("/quan-tri/")
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/login/")


def test_posting_credentials_to_wagtail_login_signs_nobody_in(client, administrator, password):
    response = client.post(WAGTAIL_LOGIN, {"username": "quantri", "password": password})
    assert response.status_code == 302
    assert response["Location"].startswith("/tai-khoan/login/")
    assert "_auth_user_id" not in client.session


def test_wagtail_password_reset_is_closed(client):
    assert client.get("/quan-tri/password_reset/").status_code == 404


def _fail_then_try_right_password(client, door: str, password: str):
    for _ in range(6):
        client.post(door, {"login": "quantri", "username": "quantri", "password": "sai-mat-khau"})
    return client.post(reverse("account_login"), {"login": "quantri", "password": password})


def test_repeated_failures_at_allauth_login_are_rate_limited(client, administrator, password):
    response = _fail_then_try_right_password(client, reverse("account_login"), password)
    assert response.status_code in (200, 429)
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_failures_through_the_wagtail_door_are_never_checked_as_passwords(
    client, administrator, password
):
    # The Wagtail door checks no password, so it cannot be used to guess one;
    # the only place that checks is allauth's, which is throttled above.
    response = _fail_then_try_right_password(client, WAGTAIL_LOGIN, password)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(administrator.pk)


def test_allowed_twin_right_password_signs_in_after_few_failures(client, administrator, password):
    client.post(reverse("account_login"), {"login": "quantri", "password": "sai-mat-khau"})
    response = client.post(reverse("account_login"), {"login": "quantri", "password": password})
    assert response.status_code == 302


def test_rate_limit_holds_in_redis_cache_shared_by_web_nodes(client, administrator, password):
    url = need_redis()
    redis_cache = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "hocso-test-ratelimit",
        }
    }
    with override_settings(CACHES=redis_cache):
        caches["default"].clear()
        try:
            response = _fail_then_try_right_password(client, reverse("account_login"), password)
            assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
            assert "_auth_user_id" not in client.session
        finally:
            caches["default"].clear()


def test_one_phone_number_typed_several_ways_shares_one_failure_budget(
    client, cadre_user, password
):
    phone = cadre_user.cadre.phone
    spellings = [phone, f"+84{phone[1:]}", f"+84 {phone[1:4]} {phone[4:]}", f"84{phone[1:]}"]
    for spelling in spellings + spellings[:2]:
        client.post(reverse("account_login"), {"login": spelling, "password": "sai-mat-khau"})
    response = client.post(
        reverse("account_login"), {"login": f"{phone[:4]}.{phone[4:]}", "password": password}
    )
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()
    assert "_auth_user_id" not in client.session
