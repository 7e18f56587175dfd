import datetime as dt

import pytest

from reports import demo
from reports.models import Snapshot, Target
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_demo_does_nothing_without_the_programme(tree):
    demo.load()
    assert not Target.objects.exists()


def test_demo_sets_the_province_target_and_freezes_snapshots_once(tree, programme):
    UserFactory(username="tochuc.tinh")
    demo.load()
    demo.load()
    target = Target.objects.get()
    assert (target.unit, target.percentage, target.deadline) == (
        tree["province"],
        100,
        dt.date(2025, 12, 31),
    )
    assert list(Snapshot.objects.order_by("as_of").values_list("as_of", flat=True)) == [
        dt.date(2025, 9, 30),
        dt.date(2025, 12, 31),
    ]


def test_admin_lists_targets(client, administrator, tree, target):
    client.force_login(administrator)
    response = client.get("/quan-tri/snippets/reports/target/")
    assert response.status_code == 200
    assert "Kỹ năng số cơ bản 2025" in response.content.decode()
