"""The "full-time cadres only" control says what the figures are, and is only
offered when it changes them."""

import datetime as dt

import pytest
from django.urls import reverse

from reports.models import Target
from tests.factories import make_cadre

from .conftest import complete

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(tree, courses, programme):
    full = make_cadre(tree["la_bang"], full_time=True, given_name="Chuyên")
    part = make_cadre(tree["la_bang"], full_time=False, given_name="Kiêm")
    for course in courses[:2]:
        complete(full, course, dt.date(2025, 8, 1))
    return {"full": full, "part": part}


def _report(client, hr, programme, **extra):
    client.force_login(hr)
    return client.get(
        reverse("reports:report"), {"programme": programme.pk, "as_of": "31/12/2025", **extra}
    )


def test_target_of_full_time_cadres_says_so_and_offers_no_checkbox(
    client, staff, programme, target, hr_la_bang
):
    Target.objects.filter(pk=target.pk).update(full_time_only=True)
    response = _report(client, hr_la_bang, programme)
    page = response.content.decode()
    assert 'name="full_time"' not in page
    assert "Chỉ tiêu này chỉ tính cán bộ chuyên trách" in page
    report = response.context["report"]
    assert (report.root.in_scope, report.root.trained) == (1, 1)


def test_a_forged_full_time_flag_on_such_a_target_changes_nothing(
    client, staff, programme, target, hr_la_bang
):
    Target.objects.filter(pk=target.pk).update(full_time_only=True)
    response = _report(client, hr_la_bang, programme, full_time="on")
    assert (response.context["report"].root.in_scope, response.context["r"].params) == (
        1,
        {"programme": programme.pk, "as_of": "31/12/2025"},
    )


def test_target_of_everyone_offers_the_checkbox_and_it_narrows_the_figures(
    client, staff, programme, target, hr_la_bang
):
    everyone = _report(client, hr_la_bang, programme)
    page = everyone.content.decode()
    assert 'name="full_time"' in page
    assert "Số liệu tính mọi cán bộ thuộc đối tượng" in page
    assert everyone.context["report"].root.in_scope == 2
    narrowed = _report(client, hr_la_bang, programme, full_time="on")
    assert narrowed.context["report"].root.in_scope == 1
    assert narrowed.context["r"].params["full_time"] == "on"
