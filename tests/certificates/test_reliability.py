"""Reliability against the real services: PostgreSQL, Redis and Celery workers.

- a worker SIGKILLed while rendering: the certificate is still issued, once;
- 2,000 issuances in parallel: 2,000 distinct numbers without gaps, 2,000 codes;
- the web process dying between commit and enqueue: the sweep issues it.
"""

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections
from django.utils import timezone

from cadres.models import Notification
from certificates import services
from certificates.models import Certificate, NumberSequence
from certificates.tasks import certificate_issue_task, certificates_sweep_task
from courses.models import Completion
from courses.services import enrolment_create
from tests.factories import make_cadre
from tests.services import BASE_DIR, _database_url, celery_worker, need_postgres, new_queue

from .helpers import pending_certificates

pytestmark = [
    pytest.mark.services,
    pytest.mark.slow,
    pytest.mark.django_db(transaction=True),
]


def _wait_for(predicate, *, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def _kill_tree(process) -> None:
    """SIGKILL the worker and every process it started: nothing gets to clean up."""
    children = subprocess.run(  # noqa: S603
        ["pgrep", "-P", str(process.pid)],  # noqa: S607
        capture_output=True,
        text=True,
    ).stdout.split()
    for pid in children:
        os.kill(int(pid), signal.SIGKILL)
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=10)


def test_worker_killed_while_rendering_still_issues_exactly_once(
    tree, cadre_user, course, administrator
):
    from courses.services import completion_record_manual

    queue = new_queue()
    with celery_worker(
        queue=queue,
        pool="solo",
        env={
            "CERTIFICATES_RENDERER": "tests.certificates.slow_rendering.StalledCertificateRenderer"
        },
    ) as worker:
        enrolment = enrolment_create(cadre=cadre_user.cadre, course=course, source="manual")
        completion_record_manual(enrolment=enrolment, by=administrator, reason="Lớp trực tiếp")
        # The number is committed before rendering starts: wait for it, then kill.
        number = _wait_for(
            lambda: Certificate.objects.filter(course=course).exclude(number="").first(),
            timeout=60,
            what="the worker to number the certificate",
        ).number
        time.sleep(0.5)
        _kill_tree(worker)
    certificate = Certificate.objects.get()
    assert certificate.status == Certificate.Status.PENDING and not certificate.pdf

    # A new worker gets the unacknowledged message back (acks_late) and finishes.
    with celery_worker(queue=queue, env={"CELERY_VISIBILITY_TIMEOUT": "2"}):
        _wait_for(
            lambda: Certificate.objects.filter(status=Certificate.Status.VALID).exists(),
            timeout=90,
            what="the redelivered task to issue the certificate",
        )
        # And a sweep that also re-enqueues it changes nothing.
        certificates_sweep_task.delay(0).get(timeout=60)
        certificate_issue_task.delay(certificate.pk).get(timeout=60)
    certificate = Certificate.objects.get()
    assert certificate.status == Certificate.Status.VALID
    assert certificate.number == number
    assert NumberSequence.objects.get().last == 1
    assert Notification.objects.filter(user=cadre_user, kind="certificate_issued").count() == 1


def test_two_thousand_parallel_issuances_get_distinct_gap_free_numbers(course):
    ids = pending_certificates(course, 2000)
    with celery_worker(concurrency=4):
        from config.celery_app import app

        with app.producer_or_acquire() as producer:
            for pk in ids:
                certificate_issue_task.apply_async((pk,), producer=producer)
            # A tenth are delivered twice, as after a redelivery: still one number each.
            for pk in ids[::10]:
                certificate_issue_task.apply_async((pk,), producer=producer)
        _wait_for(
            lambda: Certificate.objects.filter(status=Certificate.Status.VALID).count() == 2000,
            timeout=600,
            what="2,000 certificates",
        )
    year = timezone.localdate().year
    numbers = list(Certificate.objects.values_list("number", flat=True))
    assert sorted(numbers) == [f"{n:05d}/{year}/CN-MTTQ" for n in range(1, 2001)]
    assert len(set(Certificate.objects.values_list("code", flat=True))) == 2000
    assert len(set(Certificate.objects.values_list("sha256", flat=True))) == 2000
    assert NumberSequence.objects.get().last == 2000


def _sessions_opened() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute("SELECT sessions FROM pg_stat_database WHERE datname = current_database()")
        return cursor.fetchone()[0]


def test_a_worker_keeps_its_database_connection_from_task_to_task(course):
    """Celery's Django fixup closes the connection around every task unless told
    otherwise; a new PostgreSQL backend per issuance costs more than the rest of it."""
    ids = pending_certificates(course, 41)
    with celery_worker(concurrency=2):
        certificate_issue_task.delay(ids[0]).get(timeout=60)
        before = _sessions_opened()
        for pk in ids[1:]:
            certificate_issue_task.delay(pk)
        _wait_for(
            lambda: Certificate.objects.filter(status=Certificate.Status.VALID).count() == 41,
            timeout=120,
            what="41 certificates",
        )
        opened = _sessions_opened() - before
    assert opened <= 4  # each worker process connects once (40 without reuse)


def test_number_allocation_under_concurrent_transactions_has_no_gaps_or_repeats():
    """Threads with their own connections race for the counter; a third of the
    transactions roll back after taking a number, which must then be reused."""
    need_postgres()
    from django.db import transaction

    class Rollback(Exception):
        pass

    def allocate(i: int):
        try:
            with transaction.atomic():
                number = services.number_next(issuer="ĐƠN VỊ THỬ", year=2030)
                if i % 3 == 0:
                    raise Rollback
                return number
        except Rollback:
            return None
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        kept = [n for n in pool.map(allocate, range(600)) if n is not None]
    assert sorted(kept) == list(range(1, 401))


SCRIPT = """
import os, sys
import django
django.setup()
from cadres.models import User
from courses.models import Enrolment
from courses.services import completion_record_manual
import certificates.services as services
from certificates.publisher import publisher

def die(*args, **kwargs):
    os._exit(137)

if sys.argv[3] == "before_request":
    services.certificates_request_for_completion = die
else:
    # After commit the request hands the publish to the publishing thread
    # (certificates.publisher): dying there is dying before the enqueue.
    publisher.submit = die
enrolment = Enrolment.objects.get(pk=int(sys.argv[1]))
completion_record_manual(enrolment=enrolment, by=User.objects.get(pk=int(sys.argv[2])), reason="x")
print("survived")
"""


@pytest.mark.parametrize("moment", ["before_request", "before_enqueue"])
def test_web_process_dying_after_commit_is_finished_by_the_sweep(
    tree, course, administrator, moment
):
    need_postgres()
    cadre = make_cadre(tree["la_bang"])
    enrolment = enrolment_create(cadre=cadre, course=course, source="manual")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_TASK_ALWAYS_EAGER": "0",
    }
    died = subprocess.run(  # noqa: S603
        [sys.executable, "-c", SCRIPT, str(enrolment.pk), str(administrator.pk), moment],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert died.returncode == 137, died.stderr
    assert Completion.objects.filter(enrolment=enrolment, revoked_at__isnull=True).exists()
    pending = Certificate.objects.filter(cadre=cadre).count()
    assert pending == (0 if moment == "before_request" else 1)
    connection.close()
    # A worker that connects sweeps at once (config.celery_app.OnConnectTasks).
    with celery_worker():
        _wait_for(
            lambda: Certificate.objects.filter(
                cadre=cadre, status=Certificate.Status.VALID
            ).exists(),
            timeout=60,
            what="the sweep a connecting worker runs to issue the certificate",
        )
    assert Certificate.objects.filter(cadre=cadre).count() == 1
