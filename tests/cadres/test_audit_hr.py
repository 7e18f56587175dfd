"""The HR officer's audit log shows what was done on their units, in Vietnamese."""

import pathlib
import re

import pytest
from django.urls import reverse

from cadres.audit.labels import ACTION_LABELS
from cadres.models import AuditEvent
from cadres.services import audit_record
from tests.factories import make_cadre
from tests.services import cache_clear

pytestmark = pytest.mark.django_db

APPS = ["cadres", "courses", "assessments", "certificates", "reports"]
ROOT = pathlib.Path(__file__).resolve().parents[2]


def _log(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("cadres:audit_log")).content.decode()


def _issue_code(client, hr, cadre) -> str:
    client.force_login(hr)
    page = client.post(reverse("cadres:cadre_activation", args=[cadre.pk])).content.decode()
    return re.search(r'<code class="code">([A-Z0-9-]+)</code>', page).group(1)


def test_login_and_code_issued_are_recorded_against_the_cadres_unit(client, coded_tree, hr_la_bang):
    cadre = make_cadre(coded_tree["lau_sau"], cadre_code="LB9")
    _issue_code(client, hr_la_bang, cadre)
    events = AuditEvent.objects.filter(action__in=["account.create", "account.activation_code"])
    assert {(e.action, e.unit_id) for e in events} == {
        ("account.create", coded_tree["lau_sau"].pk),
        ("account.activation_code", coded_tree["lau_sau"].pk),
    }


def test_officer_sees_logins_and_codes_they_issued_in_vietnamese(client, coded_tree, hr_la_bang):
    cadre = make_cadre(coded_tree["la_bang"], cadre_code="LB9")
    _issue_code(client, hr_la_bang, cadre)
    page = _log(client, hr_la_bang)
    assert "Tạo tài khoản" in page and "Cấp mã kích hoạt" in page
    assert "account.create" not in page and "account.activation_code" not in page


def test_another_communes_officer_does_not_see_those_events(
    client, coded_tree, hr_la_bang, hr_dai_phuc
):
    cadre = make_cadre(coded_tree["la_bang"], cadre_code="LB9")
    _issue_code(client, hr_la_bang, cadre)
    page = _log(client, hr_dai_phuc)
    assert "Tạo tài khoản" not in page and "Cấp mã kích hoạt" not in page


def _activate(client, cadre, code):
    client.logout()
    cache_clear()
    return client.post(
        reverse("account_activate"),
        {
            "username": cadre.phone,
            "code": code,
            "password1": "mot-mat-khau-moi",
            "password2": "mot-mat-khau-moi",
        },
    )


def test_officer_sees_the_cadres_activation(client, coded_tree, hr_la_bang):
    cadre = make_cadre(coded_tree["la_bang"], cadre_code="LB9")
    code = _issue_code(client, hr_la_bang, cadre)
    assert _activate(client, cadre, code).status_code == 302
    event = AuditEvent.objects.get(action="account.activated")
    assert event.unit_id == coded_tree["la_bang"].pk
    assert "Kích hoạt tài khoản" in _log(client, hr_la_bang)


def test_another_communes_officer_does_not_see_the_activation(
    client, coded_tree, hr_la_bang, hr_dai_phuc
):
    cadre = make_cadre(coded_tree["la_bang"], cadre_code="LB9")
    code = _issue_code(client, hr_la_bang, cadre)
    _activate(client, cadre, code)
    assert "Kích hoạt tài khoản" not in _log(client, hr_dai_phuc)


def _actions_in_code() -> set[str]:
    """The actions the apps pass to ``audit_record``, read from their source."""
    found = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            for call in re.finditer(r"audit_record\(", text):
                window = text[call.end() : call.end() + 300]
                line = re.search(r"action=([^\n]*)", window)
                if line:
                    found |= set(re.findall(r'"([a-z_]+\.[a-z_]+)"', line.group(1)))
    return found


def test_every_recorded_action_has_a_vietnamese_label():
    actions = _actions_in_code()
    assert {"account.create", "report.snapshot", "roster.import"} <= actions
    assert actions - set(ACTION_LABELS) == set()


def test_log_page_never_prints_a_raw_action_code(client, coded_tree, hr_la_bang):
    for action in ACTION_LABELS:
        audit_record(action=action, actor=hr_la_bang, unit=coded_tree["la_bang"], obj="Hoa")
    page = _log(client, hr_la_bang)
    for action in ACTION_LABELS:
        assert f">{action}<" not in page and f" {action} " not in page
    assert "Đổi vai trò hoặc đơn vị phụ trách" in page


def test_admin_inspect_page_names_the_action_in_vietnamese(client, administrator, tree):
    event = audit_record(action="account.role_change", actor=administrator, unit=tree["la_bang"])
    client.force_login(administrator)
    page = client.get(f"/quan-tri/nhat-ky/inspect/{event.pk}/").content.decode()
    assert "Đổi vai trò hoặc đơn vị phụ trách" in page and "account.role_change" not in page
