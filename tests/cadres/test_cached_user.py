"""The signed-in user comes from the cache, yet a change to it counts at once."""

import datetime as dt

from django.test import Client

from cadres.accounts.services import user_set_role
from cadres.models import User
from cadres.services import cadre_deactivate


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    assert client.get("/").status_code == 200  # the user is cached now
    return client


def test_signed_in_user_is_read_without_a_query(cadre_user, django_assert_num_queries):
    from cadres.accounts.backends import PhoneBackend

    _signed_in(cadre_user)
    with django_assert_num_queries(0):
        assert PhoneBackend().get_user(cadre_user.pk) == cadre_user


def test_cadre_who_left_is_signed_out_at_the_next_request(cadre_user):
    client = _signed_in(cadre_user)
    cadre_deactivate(cadre=cadre_user.cadre, on=dt.date(2026, 11, 1))
    response = client.get("/")
    assert response.status_code == 302
    assert "/tai-khoan/" in response["Location"]


def test_cadre_still_on_the_roster_stays_signed_in(cadre_user):
    client = _signed_in(cadre_user)
    assert client.get("/").status_code == 200


def test_new_role_shows_at_once(cadre_user, tree):
    client = _signed_in(cadre_user)
    assert "/bao-cao/" not in client.get("/").content.decode()
    user_set_role(user=cadre_user, role=User.Role.HR_OFFICER, scope_unit=tree["la_bang"])
    assert "/bao-cao/" in client.get("/").content.decode()


def test_changed_password_signs_out_other_sessions(cadre_user):
    client = _signed_in(cadre_user)
    user = User.objects.get(pk=cadre_user.pk)
    user.set_password("mot-mat-khau-moi-2026")
    user.save()
    assert client.get("/").status_code == 302


def test_deleted_user_is_signed_out(cadre_user):
    client = _signed_in(cadre_user)
    User.objects.filter(pk=cadre_user.pk).delete()
    assert client.get("/").status_code == 302
