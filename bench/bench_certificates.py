"""certificate_render_ms, certificate_render_p99_ms, certificate_bytes,
certificate_issue_per_s.

Rendering is timed in-process on a realistic certificate. Throughput is 1,000
issuances end to end (number, render, store, hash, notify) by two worker
processes on Redis against PostgreSQL when both are there; otherwise the same
service called in one process on the database at hand, and the note says so.
"""

import time

from django.db import connection

from certificates import services
from certificates.models import Certificate
from certificates.rendering import CertificateRenderer
from courses.models import CoursePage
from courses.services import course_index_ensure
from tests.certificates.helpers import pending_certificates

from .timing import count_queries, time_requests


def _course() -> CoursePage:
    # After another topic's flush there is no page tree: this rebuilds it.
    return course_index_ensure().add_child(
        instance=CoursePage(
            title="An toàn thông tin và phòng chống lừa đảo trực tuyến", slug="bench-attt"
        )
    )


def _services_available() -> bool:
    if connection.vendor != "postgresql":
        return False
    from tests.services import redis_url

    url = redis_url()
    if not url:
        return False
    import redis

    try:
        return bool(redis.Redis.from_url(url, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


def _throughput_with_workers(course: CoursePage, count: int) -> tuple[float, str]:
    from certificates.tasks import certificate_issue_task
    from config.celery_app import app
    from tests.services import celery_worker

    ids = pending_certificates(course, count, offset=10_000, with_logins=True)
    with celery_worker(concurrency=2):
        start = time.perf_counter()
        with app.producer_or_acquire() as producer:
            for pk in ids:
                certificate_issue_task.apply_async((pk,), producer=producer)
        deadline = time.monotonic() + 1800
        while Certificate.objects.filter(pk__in=ids, status="valid").count() < count:
            if time.monotonic() > deadline:
                raise RuntimeError("issuance did not finish in 30 minutes")
            time.sleep(0.2)
        elapsed = time.perf_counter() - start
    return count / elapsed, (
        f"{count} issuances (number, render, store, SHA-256, in-app notification), two worker "
        f"processes, Redis broker, PostgreSQL; {elapsed:.1f} s"
    )


def _throughput_in_process(course: CoursePage, count: int) -> tuple[float, str]:
    ids = pending_certificates(course, count, offset=10_000, with_logins=True)
    start = time.perf_counter()
    for pk in ids:
        services.certificate_issue(certificate_id=pk)
    elapsed = time.perf_counter() - start
    return count / elapsed, (
        f"no PostgreSQL+Redis: {count} issuances by the service in one process on "
        f"{connection.vendor}, no broker; {elapsed:.1f} s"
    )


def run() -> list[dict]:
    course = _course()
    sample_id = pending_certificates(course, 1)[0]
    services.certificate_issue(certificate_id=sample_id)
    certificate = Certificate.objects.select_related("template").get(pk=sample_id)
    renderer = CertificateRenderer()
    pdf = renderer.render(certificate)
    timing = time_requests(lambda: renderer.render(certificate), n=300, warmup=20)
    counted_id = pending_certificates(course, 1, offset=5_000, with_logins=True)[0]
    queries = count_queries(lambda: services.certificate_issue(certificate_id=counted_id))
    if _services_available():
        per_second, note = _throughput_with_workers(course, 1000)
    else:
        per_second, note = _throughput_in_process(course, 300)
    return [
        {
            "name": "certificate_render_ms",
            "value": timing["median_ms"],
            "unit": "ms",
            "note": "median of 300 warm renders: A4 landscape, Noto Serif subset, QR code",
        },
        {
            "name": "certificate_render_p99_ms",
            "value": timing["p99_ms"],
            "unit": "ms",
            "note": "p99 of the same 300 renders",
        },
        {
            "name": "certificate_bytes",
            "value": len(pdf),
            "unit": "bytes",
            "note": "one certificate, no signature or seal images",
        },
        {
            "name": "certificate_issue_queries",
            "value": queries,
            "unit": "queries",
            "note": "one issuance to a cadre with an account, in-app notification included",
        },
        {
            "name": "certificate_issue_per_s",
            "value": round(per_second, 1),
            "unit": "per_s",
            "note": note,
        },
    ]
