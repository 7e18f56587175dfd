"""Activation codes cannot be guessed in bulk, and a pending code cannot be
told apart by how long the answer takes."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth.hashers import check_password, identify_hasher
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from cadres.accounts import services
from cadres.accounts.services import activation_code_set
from tests.services import cache_clear

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "mot-mat-khau-moi"
TOO_MANY = "Bạn đã thử quá nhiều lần"


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache_clear()
    yield
    cache_clear()


def _activate(client, username, code, remote="127.0.0.1"):
    return client.post(
        reverse("account_activate"),
        {"username": username, "code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        REMOTE_ADDR=remote,
    )


def _wrong(code: str) -> str:
    return "2222222222" if code != "2222222222" else "3333333333"


def test_five_wrong_codes_for_one_username_lock_it_even_from_many_addresses(client, cadre_user):
    code = activation_code_set(user=cadre_user)
    for number in range(5):
        response = _activate(client, "hoa", _wrong(code), remote=f"203.0.113.{number}")
        assert response.status_code == 200
        assert TOO_MANY not in response.content.decode()
    response = _activate(client, "hoa", code, remote="198.51.100.1")
    assert response.status_code == 200
    assert TOO_MANY in response.content.decode()
    cadre_user.refresh_from_db()
    assert cadre_user.activation_code_hash  # not redeemed
    assert not cadre_user.check_password(NEW_PASSWORD)


def test_spellings_of_a_username_share_its_counter(client, cadre_user):
    code = activation_code_set(user=cadre_user)
    for spelling in ["hoa", "HOA", " Hoa", "hOa", "Hoa "]:
        _activate(client, spelling, _wrong(code), remote="203.0.113.9")
    assert TOO_MANY in _activate(client, "hoa", code, remote="198.51.100.1").content.decode()


def test_one_address_cannot_try_codes_for_many_usernames(client, cadre_user):
    code = activation_code_set(user=cadre_user)
    for number in range(20):
        _activate(client, f"khong-co-{number}", "2222222222", remote="203.0.113.7")
    assert TOO_MANY in _activate(client, "hoa", code, remote="203.0.113.7").content.decode()
    # Another address is not affected, and the code still works there.
    response = _activate(client, "hoa", code, remote="198.51.100.1")
    assert response.status_code == 302
    cadre_user.refresh_from_db()
    assert cadre_user.check_password(NEW_PASSWORD)


def test_a_few_wrong_codes_then_the_right_one_still_activates(client, cadre_user):
    code = activation_code_set(user=cadre_user)
    for _ in range(4):
        _activate(client, "hoa", _wrong(code))
    assert _activate(client, "hoa", code).status_code == 302


@override_settings(TRUSTED_PROXIES=["127.0.0.1"])
def test_the_address_limit_counts_the_client_behind_the_proxy(client, cadre_user):
    code = activation_code_set(user=cadre_user)
    for number in range(20):
        client.post(
            reverse("account_activate"),
            {"username": f"x{number}", "code": "2", "password1": "a", "password2": "a"},
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )
    response = client.post(
        reverse("account_activate"),
        {"username": "hoa", "code": code, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        HTTP_X_FORWARDED_FOR="198.51.100.1",
    )
    assert response.status_code == 302


# --- both paths cost the same -------------------------------------------------------


def _redeem_counting_hashes(username: str, code: str):
    with mock.patch("cadres.accounts.services.check_password", wraps=check_password) as spy:
        with pytest.raises(services.ActivationError):
            services.activation_code_redeem(username=username, code=code, new_password=NEW_PASSWORD)
    return spy


def test_every_refusal_hashes_the_code_once_with_the_same_hasher(cadre_user, other_cadre_user):
    code = activation_code_set(user=cadre_user)
    real_algorithm = identify_hasher(cadre_user.activation_code_hash).algorithm
    expired = other_cadre_user
    activation_code_set(user=expired)
    expired.activation_code_expires = timezone.now() - dt.timedelta(days=1)
    expired.save(update_fields=["activation_code_expires"])

    cases = {
        "pending code, wrong guess": ("hoa", _wrong(code)),
        "no such user": ("khong-ton-tai", code),
        "expired code": ("minh", code),
    }
    for case, (username, guess) in cases.items():
        spy = _redeem_counting_hashes(username, guess)
        assert spy.call_count == 1, case
        encoded = spy.call_args.args[1]
        assert identify_hasher(encoded).algorithm == real_algorithm, case


def test_user_without_any_code_costs_one_hash_too(cadre_user):
    spy = _redeem_counting_hashes("hoa", "2222222222")
    assert spy.call_count == 1
