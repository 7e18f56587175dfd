"""The audit log in the Wagtail admin: administrators only, read-only."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import AuditEvent
from cadres.services import audit_record

pytestmark = pytest.mark.django_db

INDEX = "/quan-tri/nhat-ky/"


@pytest.fixture
def events(tree, cadre_user, hr_la_bang):
    login = audit_record(action="auth.login", actor=cadre_user, obj=cadre_user)
    failed = audit_record(action="auth.login_failed", data={"login": "ai-do"})
    moved = audit_record(action="cadre.move", actor=hr_la_bang, unit=tree["dai_phuc"], obj="Hoa")
    old = audit_record(action="auth.login", actor=hr_la_bang, obj=hr_la_bang)
    AuditEvent.objects.filter(pk=old.pk).update(at=timezone.now() - dt.timedelta(days=40))
    return {"login": login, "failed": failed, "moved": moved, "old": old}


def _rows(response) -> str:
    return response.content.decode()


def _listed(response) -> set[str]:
    return {event.action for event in response.context["object_list"]}


def test_administrator_reads_the_audit_log_in_vietnamese(client, administrator, events):
    client.force_login(administrator)
    response = client.get(INDEX)
    assert response.status_code == 200
    html = _rows(response)
    assert "Nhật ký" in html and "Người thực hiện" in html
    assert "Đăng nhập không thành công" in html
    assert {"auth.login", "auth.login_failed", "cadre.move"} <= _listed(response)


@pytest.mark.parametrize("fixture", ["trainer", "hr_la_bang", "cadre_user"])
def test_other_roles_cannot_read_the_audit_log(client, request, fixture, events):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get(INDEX)
    assert response.status_code in (302, 403)
    assert "ai-do" not in _rows(response)


def test_filter_by_action(client, administrator, events):
    client.force_login(administrator)
    assert _listed(client.get(INDEX, {"action": "auth.login_failed"})) == {"auth.login_failed"}


def test_filter_by_unit(client, administrator, events, tree):
    client.force_login(administrator)
    assert _listed(client.get(INDEX, {"unit": tree["dai_phuc"].pk})) == {"cadre.move"}


def test_filter_by_actor_and_date_range(client, administrator, events, hr_la_bang):
    client.force_login(administrator)
    today = timezone.localdate()
    response = client.get(
        INDEX,
        {
            "actor": hr_la_bang.pk,
            "at_from": (today - dt.timedelta(days=1)).isoformat(),
            "at_to": today.isoformat(),
        },
    )
    listed = list(response.context["object_list"])
    assert listed == [events["moved"]]


def test_audit_log_cannot_be_added_to_or_edited(client, administrator, events):
    client.force_login(administrator)
    assert client.get(INDEX + "new/").status_code in (302, 403, 404)
    response = client.post(f"{INDEX}edit/{events['login'].pk}/", {"action": "auth.forged"})
    assert response.status_code in (302, 403, 404)
    events["login"].refresh_from_db()
    assert events["login"].action == "auth.login"


def test_administrator_sees_one_event_in_detail(client, administrator, events):
    client.force_login(administrator)
    response = client.get(reverse("audit:inspect", args=[events["failed"].pk]))
    assert response.status_code == 200
    assert "ai-do" in response.content.decode()
