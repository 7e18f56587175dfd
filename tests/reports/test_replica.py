"""Reads that scale out: the replica router (on Django's test mirror) and the
report cache under a data version."""

import datetime as dt

import pytest
from django.db import connections, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cadres.caching import data_version
from cadres.models import OrgUnit
from cadres.roster.memberships import Leaver, leavers_apply
from config.routers import read_alias, replica_reads
from reports.figures import report_build
from tests.factories import make_cadre

from .conftest import complete

AS_OF = "31/12/2025"
DAY = dt.date(2025, 12, 31)


@pytest.fixture
def people(tree, courses, programme, target):
    la_bang = make_cadre(tree["la_bang"], family_name="Nguyễn Thị", given_name="Hoa")
    second = make_cadre(tree["la_bang"], family_name="Lý Văn", given_name="Sơn")
    dai_phuc = make_cadre(tree["dai_phuc"], family_name="Dương Văn", given_name="Bình Minh")
    for cadre in (la_bang, dai_phuc):
        complete(cadre, courses[0], dt.date(2025, 8, 1))
        complete(cadre, courses[1], dt.date(2025, 8, 1))
    return {"la_bang": la_bang, "second": second, "dai_phuc": dai_phuc}


def q(programme, **extra):
    return {"programme": programme.pk, "as_of": AS_OF, **extra}


def figures(report):
    return [(row.unit_id, row.in_scope, row.trained) for row in report.rows]


def shown(client, programme, **extra):
    response = client.get(reverse("reports:report"), q(programme, **extra))
    assert response.status_code == 200
    root = response.context["report"].root
    return root.unit_id, root.in_scope, root.trained


# --- The router, on the test mirror -----------------------------------------


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_report_reads_go_to_the_replica_and_see_the_same_rows(
    settings, tree, people, programme, target
):
    settings.REPORTS_READ_REPLICA = True
    args = {
        "root": tree["province"],
        "programme": programme,
        "day": DAY,
        "target": target,
        "levels": 1,
    }
    on_primary = report_build(**args)
    with CaptureQueriesContext(connections["replica"]) as replica, replica_reads():
        assert read_alias() == "replica"
        units = set(OrgUnit.objects.values_list("pk", flat=True))
        on_replica = report_build(**args)
    assert replica.captured_queries  # the figures' own SQL included
    assert any("SUBSTR" in query["sql"].upper() for query in replica.captured_queries)
    assert units == {unit.pk for unit in tree.values()}
    assert figures(on_replica) == figures(on_primary)
    assert on_primary.root.trained == 2


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_reads_after_a_write_and_writes_stay_on_the_primary(settings, tree):
    settings.REPORTS_READ_REPLICA = True
    with CaptureQueriesContext(connections["replica"]) as replica, replica_reads():
        with transaction.atomic():
            OrgUnit.objects.filter(pk=tree["la_bang"].pk).update(name="Ủy ban MTTQ xã La Bằng mới")
            assert read_alias() == "default"
            assert OrgUnit.objects.get(pk=tree["la_bang"].pk).name.endswith("mới")
    assert not replica.captured_queries


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_report_page_reads_the_replica_when_one_is_set(
    settings, client, hr_province, people, programme
):
    settings.REPORTS_READ_REPLICA = True
    client.force_login(hr_province)
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert shown(client, programme)[1:] == (3, 2)
    assert replica.captured_queries


@pytest.mark.django_db(transaction=True, databases=["default", "replica"])
def test_without_a_replica_setting_every_read_stays_on_the_primary(
    settings, client, hr_province, people, programme
):
    settings.REPORTS_READ_REPLICA = False
    client.force_login(hr_province)
    with CaptureQueriesContext(connections["replica"]) as replica:
        with replica_reads():
            assert read_alias() == "default"
        assert shown(client, programme)[1:] == (3, 2)
    assert not replica.captured_queries


# --- The report cache -----------------------------------------------------


def test_a_completion_bumps_the_data_version_and_the_report_shows_it_at_once(
    client, hr_la_bang, people, programme, courses
):
    client.force_login(hr_la_bang)
    assert shown(client, programme)[1:] == (2, 1)
    assert shown(client, programme)[1:] == (2, 1)  # now from the cache
    before = data_version()
    complete(people["second"], courses[0], dt.date(2025, 9, 1))
    complete(people["second"], courses[1], dt.date(2025, 9, 1))
    assert data_version() > before
    assert shown(client, programme)[1:] == (2, 2)


def test_a_membership_change_bumps_the_data_version_and_the_report_shows_it_at_once(
    client, hr_la_bang, people, programme
):
    client.force_login(hr_la_bang)
    assert shown(client, programme)[1:] == (2, 1)
    before = data_version()
    leavers_apply([Leaver(cadre_id=people["second"].pk, on=dt.date(2025, 10, 1))])
    assert data_version() > before
    assert shown(client, programme)[1:] == (1, 1)


def test_a_cached_report_is_reused_while_the_data_does_not_change(
    client, hr_la_bang, people, programme, django_assert_max_num_queries
):
    client.force_login(hr_la_bang)
    drawn = client.get(reverse("reports:report"), q(programme))
    with CaptureQueriesContext(connections["default"]) as cold:
        client.get(reverse("reports:report"), q(programme, full_time="on"))
    with CaptureQueriesContext(connections["default"]) as warm:
        again = client.get(reverse("reports:report"), q(programme))
    assert len(warm.captured_queries) < len(cold.captured_queries)
    assert figures(again.context["report"]) == figures(drawn.context["report"])


def test_an_officer_of_another_unit_never_gets_a_report_cached_for_another_scope(
    client, hr_la_bang, hr_dai_phuc, people, programme, tree
):
    client.force_login(hr_la_bang)
    assert shown(client, programme) == (tree["la_bang"].pk, 2, 1)
    client.force_login(hr_dai_phuc)
    assert shown(client, programme) == (tree["dai_phuc"].pk, 1, 1)
    response = client.get(reverse("reports:report"), q(programme, unit=tree["la_bang"].pk))
    assert response.status_code == 404
