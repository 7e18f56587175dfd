"""certificates_issue: many pending certificates issued a batch at a time, as
each would be alone — numbered in order without gaps, a file each, the
holder told once — and the task that hands a long list on in pieces."""

import pytest

from cadres.models import Notification
from certificates import issuing, services, tasks
from certificates.models import Certificate

from .helpers import pending_certificates

pytestmark = pytest.mark.django_db


def _numbers(ids):
    by_pk = Certificate.objects.in_bulk(ids)
    return [int(by_pk[pk].number.split("/")[0]) for pk in ids]


def test_batches_number_in_the_order_given_store_files_and_notify_once(course, monkeypatch):
    monkeypatch.setattr(issuing, "ISSUE_BATCH", 2)
    ids = pending_certificates(course, 5, with_logins=True)
    order = [ids[3], ids[0], ids[4], ids[1], ids[2]]
    issued = services.certificates_issue(certificate_ids=order)
    assert [c.pk for c in issued] == order
    assert _numbers(order) == [1, 2, 3, 4, 5]
    for certificate in Certificate.objects.filter(pk__in=ids):
        assert certificate.status == Certificate.Status.VALID
        assert certificate.sha256 and certificate.pdf.read(5) == b"%PDF-"
    assert Notification.objects.filter(kind="certificate_issued").count() == 5


def test_a_batch_leaves_issued_certificates_as_they_are(course):
    ids = pending_certificates(course, 3, with_logins=True)
    services.certificate_issue(certificate_id=ids[1])
    before = Certificate.objects.get(pk=ids[1])
    issued = services.certificates_issue(certificate_ids=ids)
    assert [c.pk for c in issued] == ids
    after = Certificate.objects.get(pk=ids[1])
    assert (after.number, after.sha256, after.pdf.name) == (
        before.number,
        before.sha256,
        before.pdf.name,
    )
    assert sorted(_numbers(ids)) == [1, 2, 3]
    assert Notification.objects.filter(kind="certificate_issued").count() == 3


def test_a_batch_skips_a_certificate_that_no_longer_exists(course):
    ids = pending_certificates(course, 2)
    Certificate.objects.filter(pk=ids[0]).delete()
    issued = services.certificates_issue(certificate_ids=ids)
    assert [c.pk for c in issued] == [ids[1]]
    with pytest.raises(Certificate.DoesNotExist):
        services.certificate_issue(certificate_id=ids[0])


def test_the_many_task_issues_one_batch_and_hands_the_rest_on(course, monkeypatch):
    monkeypatch.setattr(issuing, "ISSUE_BATCH", 2)
    handed_on = []
    monkeypatch.setattr(tasks.certificate_issue_many_task, "delay", handed_on.append)
    ids = pending_certificates(course, 5)
    assert tasks.certificate_issue_many_task(ids) == 2
    statuses = Certificate.objects.in_bulk(ids)
    assert [statuses[pk].status for pk in ids] == ["valid", "valid"] + ["pending"] * 3
    assert handed_on == [ids[2:]]


def test_the_many_task_with_a_short_list_hands_nothing_on(course, monkeypatch):
    handed_on = []
    monkeypatch.setattr(tasks.certificate_issue_many_task, "delay", handed_on.append)
    ids = pending_certificates(course, 3)
    assert tasks.certificate_issue_many_task(ids) == 3
    assert handed_on == []
    assert set(Certificate.objects.values_list("status", flat=True)) == {"valid"}
