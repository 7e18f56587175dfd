"""Sign-in hardening: one login is one counter, and the client address is the
real one only through trusted proxies."""

import pytest
from django.test import RequestFactory, override_settings
from django.urls import reverse

from cadres.accounts.logins import canonical_login
from cadres.models import AuditEvent
from cadres.network import client_ip
from tests.services import cache_clear

pytestmark = pytest.mark.django_db

PHONE = "0912345678"
SPELLINGS = [
    "0912345678",
    "0912 345 678",
    "0912.345.678",
    "0912-345-678",
    "+84912345678",
    "+84 912 345 678",
    "84912345678",
    "(+84) 912-345-678",
]


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache_clear()
    yield
    cache_clear()


@pytest.fixture
def phone_user(cadre_user):
    cadre_user.cadre.phone = PHONE
    cadre_user.cadre.save(update_fields=["phone"])
    return cadre_user


def _login(client, login, password, **extra):
    return client.post(reverse("account_login"), {"login": login, "password": password}, **extra)


def _signed_in(client) -> bool:
    return "_auth_user_id" in client.session


# --- one login, one counter -----------------------------------------------------


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_a_phone_is_one_canonical_login(spelling):
    assert canonical_login(spelling) == PHONE


def test_usernames_and_emails_are_stripped_and_lowercased():
    assert canonical_login("  Hoa ") == "hoa"
    assert canonical_login(" Hoa@Example.VN") == "hoa@example.vn"


JUNK = ["tel:0912345678", "x0912345678 y", "<script>", "a b", "0912 345", "+84 12", "hoa\u202e"]


@pytest.mark.parametrize("junk", JUNK)
def test_strings_that_are_no_username_email_or_phone_are_refused(junk):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        canonical_login(junk)


def test_eight_spellings_of_one_phone_share_one_failed_login_counter(client, phone_user, password):
    for spelling in SPELLINGS[:5]:
        response = _login(client, spelling, "sai-mat-khau-roi")
        assert response.status_code == 200
    # The per-login limit (5 in 5 minutes) is used up: every other spelling,
    # even with the right password, is refused.
    for spelling in SPELLINGS[5:]:
        _login(client, spelling, password)
        assert not _signed_in(client), spelling


def test_other_phones_keep_their_own_counter(client, phone_user, other_cadre_user, password):
    other_cadre_user.cadre.phone = "0987654321"
    other_cadre_user.cadre.save(update_fields=["phone"])
    for _ in range(5):
        _login(client, PHONE, "sai-mat-khau-roi")
    _login(client, "+84 987 654 321", password)
    assert _signed_in(client)


def test_letters_around_a_locked_phone_do_not_sign_in(client, phone_user, password):
    for _ in range(5):
        _login(client, PHONE, "sai-mat-khau-roi")
    for spelling in ["x0912345678", "0912345678x", "tel:0912345678", "sđt 0912345678"]:
        _login(client, spelling, password)
        assert not _signed_in(client), spelling


def test_letters_around_a_phone_never_sign_in_even_unlocked(client, phone_user, password):
    _login(client, "x0912345678", password)
    assert not _signed_in(client)
    _login(client, PHONE, password)
    assert _signed_in(client)


def test_a_login_that_is_not_a_username_email_or_phone_gets_a_vietnamese_message(
    client, phone_user, password
):
    response = _login(client, "tel:0912345678", password)
    assert response.status_code == 200
    assert "Hãy nhập tên đăng nhập, số điện thoại hoặc email" in response.content.decode()
    assert not _signed_in(client)


def test_username_login_is_case_insensitive_through_one_counter(client, cadre_user, password):
    for login in ["hoa", "HOA", " Hoa", "hOa ", "Hoa"]:
        _login(client, login, "sai-mat-khau-roi")
    _login(client, "hoa", password)
    assert not _signed_in(client)


# --- the real client address ----------------------------------------------------


def _request(remote="127.0.0.1", xff=None):
    extra = {"REMOTE_ADDR": remote}
    if xff is not None:
        extra["HTTP_X_FORWARDED_FOR"] = xff
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored():
    assert client_ip(_request("10.0.0.5", "1.2.3.4")) == "10.0.0.5"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_a_trusted_proxy_forwards_the_client_address():
    assert client_ip(_request("127.0.0.1", "1.2.3.4")) == "1.2.3.4"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_a_client_cannot_forge_its_address_through_a_trusted_proxy():
    # The proxy appends the address it saw; anything left of it is the client's word.
    assert client_ip(_request("127.0.0.1", "9.9.9.9, 1.2.3.4")) == "1.2.3.4"
    assert client_ip(_request("127.0.0.1", "not-an-ip, 1.2.3.4")) == "1.2.3.4"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_an_untrusted_peer_cannot_claim_another_address():
    assert client_ip(_request("5.6.7.8", "1.2.3.4")) == "5.6.7.8"


@override_settings(TRUSTED_PROXIES=["127.0.0.1", "10.0.0.0/8"])
def test_a_chain_of_trusted_proxies_by_network():
    assert client_ip(_request("127.0.0.1", "9.9.9.9, 1.2.3.4, 10.1.2.3")) == "1.2.3.4"
    assert client_ip(_request("127.0.0.1", "10.1.2.3, 10.0.0.9")) == "10.1.2.3"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_behind_the_proxy_one_client_cannot_lock_everyone_out(
    client, cadre_user, other_cadre_user, password
):
    attacker = {"HTTP_X_FORWARDED_FOR": "203.0.113.7"}
    for number in range(11):  # 10 failures a minute per address
        _login(client, f"nobody{number}", "sai-mat-khau-roi", **attacker)
    _login(client, "hoa", password, **attacker)
    assert not _signed_in(client)
    _login(client, "minh", password, HTTP_X_FORWARDED_FOR="198.51.100.20")
    assert _signed_in(client)


def test_without_trusted_proxy_a_forged_header_does_not_escape_the_address_limit(
    client, cadre_user, password
):
    for number in range(11):
        _login(
            client, f"nobody{number}", "sai-mat-khau-roi", HTTP_X_FORWARDED_FOR=f"1.1.1.{number}"
        )
    _login(client, "hoa", password, HTTP_X_FORWARDED_FOR="2.2.2.2")
    assert not _signed_in(client)


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_the_audit_log_records_the_client_behind_the_proxy(client, cadre_user, password):
    _login(client, "hoa", password, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert AuditEvent.objects.get(action="auth.login").ip_address == "203.0.113.7"


@override_settings(TRUSTED_PROXIES=["127.0.0.1"], CERTIFICATES_VERIFY_RATE_PER_MINUTE=2)
def test_certificate_verification_limit_counts_each_client_behind_the_proxy():
    from certificates.ratelimit import over_limit

    first = _request("127.0.0.1", "203.0.113.7")
    assert [over_limit(first, "t") for _ in range(3)] == [False, False, True]
    assert not over_limit(_request("127.0.0.1", "198.51.100.20"), "t")
