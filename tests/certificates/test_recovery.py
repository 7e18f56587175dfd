"""Recovery: what a restore or a redelivery leaves is checked, and harmless.

- ``manage.py verify_certificates`` finds a missing or altered PDF, a standing
  completion without its certificate, a gap in the numbers;
- a message redelivered while the first delivery still runs (visibility
  timeout shorter than the task) issues one certificate, once;
- the verify page answers while Redis is down.
"""

import logging
import re
import time

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from cadres.models import Notification
from cadres.services import file_sha256
from certificates.models import Certificate, NumberSequence
from certificates.publisher import publisher
from courses.models import Completion
from tests.factories import make_cadre
from tests.services import artifacts_dir, celery_worker, dead_redis_cache, new_queue

from .helpers import pending_certificates


def _verify(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command("verify_certificates", *args, stdout=out)
    return out.getvalue()


def _verify_fails(*args) -> tuple[str, str]:
    from io import StringIO

    out = StringIO()
    with pytest.raises(CommandError) as error:
        call_command("verify_certificates", *args, stdout=out)
    return out.getvalue(), str(error.value)


@pytest.fixture
def issued(tree, course, complete):
    cadres = [make_cadre(tree["la_bang"]) for _ in range(3)]
    for cadre in cadres:
        complete(cadre, course)
    assert Certificate.objects.filter(status=Certificate.Status.VALID).count() == 3
    return list(Certificate.objects.order_by("pk"))


def test_verify_certificates_passes_when_files_completions_and_numbers_agree(issued):
    out = _verify()
    assert "Đã kiểm tra 3 tệp PDF, 3 ghi nhận hoàn thành: 0 lỗi, 0 đang chờ cấp." in out


def test_verify_certificates_reports_a_pdf_that_does_not_match_its_hash(issued):
    certificate = issued[1]
    storage = certificate.pdf.storage
    name = certificate.pdf.name
    storage.delete(name)
    assert storage.save(name, __import__("io").BytesIO(b"%PDF-1.4 altered")) == name
    out, summary = _verify_fails()
    assert f"LỖI: {certificate.number} (id {certificate.pk}): PDF does not match" in out
    assert "1 lỗi" in summary


def test_verify_certificates_reports_a_pdf_missing_from_storage(issued):
    certificate = issued[0]
    certificate.pdf.storage.delete(certificate.pdf.name)
    out, _ = _verify_fails()
    assert f"{certificate.number} (id {certificate.pk}): PDF missing from storage" in out


def test_verify_certificates_reports_a_completion_without_certificate(issued):
    certificate = issued[2]
    Certificate.objects.filter(pk=certificate.pk).update(
        status=Certificate.Status.REVOKED, revoke_reason="thử"
    )
    out, _ = _verify_fails()
    assert f"completion {certificate.completion_id} " in out
    assert "no certificate" in out


def test_verify_certificates_reports_a_gap_in_the_numbers(issued):
    NumberSequence.objects.update(last=4)
    out, _ = _verify_fails()
    assert "counter at 4, 3 numbered certificates" in out


def test_verify_certificates_counts_pending_as_failure_unless_allowed(course):
    pending_certificates(course, 2)
    out, summary = _verify_fails()
    assert out.count("CHỜ: ") == 2 and "2 đang chờ cấp" in summary
    assert "0 lỗi, 2 đang chờ cấp" in _verify("--allow-pending")


def test_verify_page_answers_while_redis_is_down(settings, issued):
    settings.CACHES = dead_redis_cache()
    response = Client().get(issued[0].get_absolute_url())
    assert response.status_code == 200
    assert issued[0].number in response.content.decode()


@pytest.mark.services
@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_message_redelivered_while_its_first_run_still_renders_issues_once(
    settings, cadre_user, course, administrator
):
    """Visibility timeout 1 s, rendering 8 s: Redis hands the message to the
    second worker while the first still renders it. Both run; one stores."""
    from courses.services import completion_record_manual, enrolment_create

    queue = new_queue()
    env = {
        "CELERY_VISIBILITY_TIMEOUT": "1",
        "CERTIFICATES_RENDERER": "tests.certificates.slow_rendering.SlowCertificateRenderer",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "PRIVATE_MEDIA_ROOT": str(settings.PRIVATE_MEDIA_ROOT),
    }
    with (
        celery_worker(queue=queue, pool="solo", env=env),
        celery_worker(queue=queue, pool="solo", env=env),
    ):
        enrolment = enrolment_create(cadre=cadre_user.cadre, course=course, source="manual")
        completion_record_manual(enrolment=enrolment, by=administrator, reason="Lớp trực tiếp")
        deadline = time.monotonic() + 60
        while not Certificate.objects.filter(status=Certificate.Status.VALID).exists():
            assert time.monotonic() < deadline, "no certificate issued"
            time.sleep(0.2)
        time.sleep(10)  # let the second run finish too
    logs = "".join(p.read_text() for p in artifacts_dir().glob(f"worker-{queue}-*.log"))
    deliveries = len(
        re.findall(r"Task certificates\.tasks\.certificate_issue_task\[\S+\] received", logs)
    )
    assert deliveries >= 2, "the message was delivered again while it ran"
    certificate = Certificate.objects.get()
    assert certificate.status == Certificate.Status.VALID
    assert NumberSequence.objects.get().last == 1
    with certificate.pdf.open("rb") as handle:
        assert file_sha256(handle.read()) == certificate.sha256
    assert Notification.objects.filter(user=cadre_user, kind="certificate_issued").count() == 1
    assert Completion.objects.count() == 1


@pytest.fixture
def broker_down(monkeypatch):
    from tests.services import broker_unreachable

    with broker_unreachable(monkeypatch):
        yield


def test_completing_a_course_while_the_broker_is_down_is_quick_and_left_to_the_sweep(
    tree, course, complete, broker_down, caplog, monkeypatch
):
    cadre = make_cadre(tree["la_bang"])
    complete(make_cadre(tree["la_bang"]), course)  # the first publish sets the producer up
    # Another test in this process may have reconfigured logging.
    monkeypatch.setattr(logging.getLogger("certificates.services"), "disabled", False)
    with caplog.at_level(logging.WARNING, logger="certificates.services"):
        started = time.perf_counter()
        complete(cadre, course)
        elapsed = time.perf_counter() - started
        # The publish is handed to the publishing thread: wait for its outcome.
        assert publisher.flush()
    assert elapsed < 0.3, f"completion took {elapsed:.3f} s with the broker down"
    certificate = Certificate.objects.get(cadre=cadre)
    assert certificate.status == Certificate.Status.PENDING
    assert f"certificate {certificate.pk} not enqueued" in caplog.text
