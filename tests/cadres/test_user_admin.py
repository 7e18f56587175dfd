"""Role and scope are set by administrators through the Wagtail user editor,
which calls user_set_role (audited) and offers no unaudited way around it."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cadres.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def edit_url(user):
    return reverse("wagtailusers_users:edit", args=[user.pk])


def form_data(user, **changes):
    data = {
        "username": user.username,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "is_active": "on",
        "password1": "",
        "password2": "",
        "role": user.role,
        "scope_unit": user.scope_unit_id or "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def test_administrator_makes_a_cadre_an_hr_officer_and_it_is_audited(
    client, administrator, cadre_user, tree
):
    client.force_login(administrator)
    response = client.post(
        edit_url(cadre_user),
        form_data(cadre_user, role="hr_officer", scope_unit=tree["la_bang"].pk),
    )
    assert response.status_code == 302
    cadre_user.refresh_from_db()
    assert cadre_user.role == "hr_officer" and cadre_user.scope_unit == tree["la_bang"]
    assert cadre_user.is_staff
    assert list(cadre_user.groups.values_list("name", flat=True)) == ["Cán bộ tổ chức"]
    event = AuditEvent.objects.get(action="account.role_change", actor=administrator)
    assert event.actor == administrator and event.ip_address == "127.0.0.1"
    assert event.data["after"] == {"role": "hr_officer", "scope_unit": tree["la_bang"].pk}


def test_hr_officer_without_scope_is_refused_and_nothing_changes(client, administrator, cadre_user):
    client.force_login(administrator)
    response = client.post(edit_url(cadre_user), form_data(cadre_user, role="hr_officer"))
    assert response.status_code == 200
    assert "Cán bộ tổ chức phải có đơn vị phụ trách." in response.content.decode()
    cadre_user.refresh_from_db()
    assert cadre_user.role == "cadre"
    assert not AuditEvent.objects.filter(action="account.role_change", actor=administrator).exists()


def test_trainer_made_by_the_editor_joins_the_trainer_group(client, administrator, cadre_user):
    client.force_login(administrator)
    client.post(edit_url(cadre_user), form_data(cadre_user, role="trainer"))
    cadre_user.refresh_from_db()
    assert cadre_user.groups.filter(name="Giảng viên").exists()


def test_editor_offers_neither_superuser_flag_nor_role_groups(client, administrator, trainer):
    client.force_login(administrator)
    form = client.get(edit_url(trainer)).context["form"]
    assert "is_superuser" not in form.fields
    offered = set(form.fields["groups"].queryset.values_list("name", flat=True))
    assert not offered & {"Giảng viên", "Cán bộ tổ chức", "Quản trị viên"}


def test_saving_other_fields_keeps_the_role_group(client, administrator, trainer):
    client.force_login(administrator)
    other = Group.objects.create(name="Biên tập tin")
    client.post(edit_url(trainer), form_data(trainer, first_name="Lan", groups=[other.pk]))
    trainer.refresh_from_db()
    assert trainer.first_name == "Lan"
    assert set(trainer.groups.values_list("name", flat=True)) == {"Giảng viên", "Biên tập tin"}
    assert not AuditEvent.objects.filter(
        action="account.role_change", object_repr="giangvien", actor=administrator
    ).exists()


def test_superuser_flag_cannot_be_posted_through_the_editor(client, administrator, cadre_user):
    client.force_login(administrator)
    client.post(edit_url(cadre_user), form_data(cadre_user, is_superuser="on"))
    cadre_user.refresh_from_db()
    assert not cadre_user.is_superuser


@pytest.mark.parametrize("fixture", ["trainer", "hr_la_bang"])
def test_other_staff_cannot_change_roles(client, request, fixture, cadre_user, tree):
    client.force_login(request.getfixturevalue(fixture))
    response = client.post(
        edit_url(cadre_user),
        form_data(cadre_user, role="administrator"),
    )
    assert response.status_code in (302, 403)
    cadre_user.refresh_from_db()
    assert cadre_user.role == User.Role.CADRE


def test_bulk_assign_cannot_hand_out_role_groups(client, administrator, cadre_user):
    client.force_login(administrator)
    trainers, _created = Group.objects.get_or_create(name="Giảng viên")
    url = (
        reverse("wagtail_bulk_action", args=["cadres", "user", "assign_role"])
        + f"?next=/quan-tri/users/&id={cadre_user.pk}"
    )
    response = client.post(url, {"role": trainers.pk})
    assert response.status_code == 200
    assert not cadre_user.groups.filter(name="Giảng viên").exists()


def test_bulk_assign_still_adds_other_groups(client, administrator, cadre_user):
    client.force_login(administrator)
    editors = Group.objects.create(name="Biên tập tin")
    url = (
        reverse("wagtail_bulk_action", args=["cadres", "user", "assign_role"])
        + f"?next=/quan-tri/users/&id={cadre_user.pk}"
    )
    response = client.post(url, {"role": editors.pk})
    assert response.status_code == 302
    assert cadre_user.groups.filter(name="Biên tập tin").exists()
