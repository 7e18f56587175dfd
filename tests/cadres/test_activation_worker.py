"""A unit's activation codes issued by a real Celery worker from a Redis job,
against PostgreSQL: the page shows the progress, then the list downloads."""

import time

import pytest
from django.urls import reverse

from cadres.models import ActivationCodeBatch
from tests.factories import make_cadre
from tests.services import celery_worker

pytestmark = [pytest.mark.services, pytest.mark.django_db(transaction=True)]


def _wait_done(pk, timeout=120):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        batch = ActivationCodeBatch.objects.get(pk=pk)
        if batch.status not in ActivationCodeBatch.LIVE:
            return batch
        time.sleep(0.3)
    raise AssertionError(f"the list stayed {ActivationCodeBatch.objects.get(pk=pk).status}")


def test_real_worker_issues_a_units_codes_and_the_requester_downloads_them(
    client, coded_tree, hr_la_bang
):
    for n in range(30):
        make_cadre(coded_tree["la_bang"], cadre_code=f"LB{n:02d}")
    client.force_login(hr_la_bang)
    with celery_worker():
        response = client.post(
            reverse("cadres:activation_codes"), {"unit": coded_tree["la_bang"].pk}
        )
        batch = ActivationCodeBatch.objects.get()
        assert response.url == reverse("cadres:activation_batch", args=[batch.pk])
        batch = _wait_done(batch.pk)
    assert (batch.status, batch.done, batch.issued) == ("done", 30, 30)
    download = client.post(reverse("cadres:activation_batch_download", args=[batch.pk]))
    assert download["Content-Type"] == "application/pdf" and download.content[:5] == b"%PDF-"
