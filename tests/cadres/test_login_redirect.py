"""After signing in, each person lands where their work is."""

import pytest
from django.urls import reverse

from tests.services import cache_clear

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_rate_limits():
    cache_clear()


def _sign_in(client, user, password, **query):
    url = reverse("account_login")
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return client.post(url, {"login": user.username, "password": password})


def test_hr_officer_lands_on_their_dashboard(client, hr_la_bang, password):
    response = _sign_in(client, hr_la_bang, password)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:dashboard")
    page = client.get(response["Location"]).content.decode()
    assert "Ủy ban MTTQ xã La Bằng" in page


def test_administrator_lands_on_the_dashboard(client, administrator, password):
    response = _sign_in(client, administrator, password)
    assert response["Location"] == reverse("reports:dashboard")


def test_cadre_still_lands_on_home(client, cadre_user, password):
    response = _sign_in(client, cadre_user, password)
    assert response["Location"] == reverse("home")


def test_trainer_still_lands_on_home(client, trainer, password):
    response = _sign_in(client, trainer, password)
    assert response["Location"] == reverse("home")


def test_a_next_address_still_wins_for_an_hr_officer(client, hr_la_bang, password):
    response = _sign_in(client, hr_la_bang, password, next=reverse("cadres:roster"))
    assert response["Location"] == reverse("cadres:roster")
