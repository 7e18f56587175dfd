"""Each staff role gets the admin permissions its job needs from a group a
migration creates; nobody needs to be a superuser."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cadres.accounts.roles import REVIEWER_GROUP, ROLE_GROUPS
from cadres.models import User
from courses.models import Programme
from courses.services import course_index_ensure
from tests.conftest import _user

pytestmark = pytest.mark.django_db


def page_codenames(name):
    group = Group.objects.get(name=name)
    return set(group.page_permissions.values_list("permission__codename", flat=True))


@pytest.fixture
def plain_administrator(tree):
    return _user(User.Role.ADMINISTRATOR, username="quantri.thuong")


@pytest.fixture
def province_programme(tree):
    return Programme.objects.create(
        name="Chuyển đổi số toàn tỉnh", unit=tree["province"], deadline=dt.date(2026, 6, 30)
    )


@pytest.fixture
def commune_programme(tree):
    return Programme.objects.create(name="Bồi dưỡng xã La Bằng", unit=tree["la_bang"])


def test_every_staff_group_exists_with_admin_access():
    for name in [*ROLE_GROUPS.values(), REVIEWER_GROUP]:
        codenames = Group.objects.get(name=name).permissions.values_list("codename", flat=True)
        assert "access_admin" in codenames


def test_reviewers_may_publish_pages_but_trainers_may_not():
    assert "publish_page" in page_codenames(REVIEWER_GROUP)
    assert "publish_page" not in page_codenames(ROLE_GROUPS["trainer"])
    assert "change_page" in page_codenames(ROLE_GROUPS["trainer"])


def test_wagtail_sample_groups_with_english_names_are_gone():
    assert not Group.objects.filter(name__in=["Moderators", "Editors"]).exists()


@pytest.mark.parametrize(
    "url_name",
    [
        "wagtailusers_users:index",
        "wagtailsnippets_reports_target:list",
        "wagtailsnippets_courses_programme:list",
        "wagtailsnippets_assessments_question:list",
        "wagtailimages:index",
        "wagtaildocs:index",
    ],
)
def test_an_administrator_who_is_not_a_superuser_opens_the_admin_screens(
    client, plain_administrator, url_name
):
    assert not plain_administrator.is_superuser
    client.force_login(plain_administrator)
    assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(
    "url_name", ["wagtailusers_users:index", "wagtailsnippets_reports_target:list"]
)
def test_a_trainer_does_not_open_the_administrator_screens(client, trainer, url_name):
    client.force_login(trainer)
    assert client.get(reverse(url_name)).status_code in (302, 403)


def test_an_administrator_who_is_not_a_superuser_may_publish_pages(plain_administrator):
    index = course_index_ensure()
    assert index.permissions_for_user(plain_administrator).can_publish()


def test_commune_hr_officer_lists_province_programmes_that_apply_to_them(
    client, hr_la_bang, province_programme, commune_programme
):
    client.force_login(hr_la_bang)
    html = client.get(reverse("wagtailsnippets_courses_programme:list")).content.decode()
    assert "Chuyển đổi số toàn tỉnh" in html
    assert "Bồi dưỡng xã La Bằng" in html
    assert "30/06/2026" in html
    assert "Không" in html
    assert "False" not in html and "True" not in html
    # The province's programme is read-only here: no edit link, no "Giao".
    assert reverse("wagtailsnippets_courses_programme:edit", args=[province_programme.pk]) not in (
        html
    )
    assert reverse("courses_programme_assign", args=[province_programme.pk]) not in html
    assert reverse("courses_programme_assign", args=[commune_programme.pk]) in html


def test_hr_officer_of_another_commune_does_not_list_a_commune_programme(
    client, hr_dai_phuc, province_programme, commune_programme
):
    client.force_login(hr_dai_phuc)
    html = client.get(reverse("wagtailsnippets_courses_programme:list")).content.decode()
    assert "Chuyển đổi số toàn tỉnh" in html
    assert "Bồi dưỡng xã La Bằng" not in html


def test_commune_hr_officer_reads_but_cannot_edit_or_assign_a_province_programme(
    client, hr_la_bang, province_programme
):
    client.force_login(hr_la_bang)
    pk = province_programme.pk
    inspect = client.get(reverse("wagtailsnippets_courses_programme:inspect", args=[pk]))
    assert inspect.status_code == 200
    assert "Chuyển đổi số toàn tỉnh" in inspect.content.decode()
    edit_url = reverse("wagtailsnippets_courses_programme:edit", args=[pk])
    assert edit_url not in inspect.content.decode()
    assert client.get(reverse("wagtailsnippets_courses_programme:edit", args=[pk])).status_code == (
        404
    )
    assert client.post(reverse("courses_programme_assign", args=[pk])).status_code == 404


def test_province_hr_officer_edits_the_province_programme(client, hr_province, province_programme):
    client.force_login(hr_province)
    url = reverse("wagtailsnippets_courses_programme:edit", args=[province_programme.pk])
    assert client.get(url).status_code == 200


def test_hr_officer_does_not_read_a_programme_of_another_commune(
    client, hr_dai_phuc, commune_programme
):
    client.force_login(hr_dai_phuc)
    url = reverse("wagtailsnippets_courses_programme:inspect", args=[commune_programme.pk])
    assert client.get(url).status_code == 404
