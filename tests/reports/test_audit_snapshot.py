"""A frozen snapshot appears in the HR audit log of its unit, and only there."""

import datetime as dt

import pytest
from django.urls import reverse

from cadres.models import AuditEvent
from tests.factories import make_cadre

from .conftest import complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def frozen(client, tree, courses, programme, target, hr_la_bang):
    cadre = make_cadre(tree["la_bang"])
    complete(cadre, courses[0], dt.date(2025, 8, 1))
    client.force_login(hr_la_bang)
    client.post(
        reverse("reports:snapshot_freeze"), {"programme": programme.pk, "as_of": "31/12/2025"}
    )
    return AuditEvent.objects.get(action="report.snapshot")


def test_snapshot_event_is_recorded_against_the_reports_unit(frozen, tree):
    assert frozen.unit_id == tree["la_bang"].pk


def test_officer_sees_their_snapshot_in_the_audit_log_with_its_date(client, frozen, hr_la_bang):
    client.force_login(hr_la_bang)
    page = client.get(reverse("cadres:audit_log")).content.decode()
    assert "Chốt số liệu" in page and "31/12/2025" in page and "report.snapshot" not in page


def test_another_communes_officer_does_not_see_the_snapshot(client, frozen, hr_dai_phuc):
    client.force_login(hr_dai_phuc)
    assert "Chốt số liệu" not in client.get(reverse("cadres:audit_log")).content.decode()
