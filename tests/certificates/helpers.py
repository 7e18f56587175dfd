"""Helpers for the certificate reliability tests and benchmark.

``worker_on`` starts a Celery worker on a queue the caller chooses, so a second
worker can take over the messages of one that was killed
(``tests.services.celery_worker`` gives every worker a fresh queue).
``pending_certificates`` makes many completed courses with pending
certificates in a few bulk queries.
"""

import os
import subprocess
import sys
import uuid
from contextlib import contextmanager

from tests.services import (
    BASE_DIR,
    _database_url,
    _wait_ready,
    artifacts_dir,
    need_postgres,
    need_redis,
)


def pending_certificates(course, count: int, *, offset: int = 0) -> list[int]:
    from django.utils import timezone

    from cadres.models import Cadre
    from certificates import services
    from certificates.models import Certificate
    from courses.models import Completion, Enrolment

    cadres = Cadre.objects.bulk_create(
        Cadre(family_name="Nguyễn Thị", given_name=f"Hồng Nhung {offset + i}", sort_key=str(i))
        for i in range(count)
    )
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(cadre=cadre, course=course, source="manual") for cadre in cadres
    )
    now = timezone.now()
    completions = Completion.objects.bulk_create(
        Completion(enrolment=enrolment, completed_at=now, source="manual")
        for enrolment in enrolments
    )
    template = services.template_for(course=course)
    certificates = Certificate.objects.bulk_create(
        Certificate(
            cadre_id=completion.enrolment.cadre_id,
            course=course,
            completion=completion,
            template=template,
            code=services.code_new(),
        )
        for completion in completions
    )
    return [certificate.pk for certificate in certificates]


def forget_result_backend() -> None:
    """Celery 5.7 caches the result backend on ``_backend_cache`` or a thread
    local, not in ``app.__dict__``: drop both so the next use reads the
    current configuration (an eager test earlier may have cached "disabled")."""
    from config.celery_app import app

    app._backend_cache = None
    app._local.__dict__.pop("backend", None)


def new_queue() -> str:
    return f"hocso-test-{uuid.uuid4().hex[:8]}"


@contextmanager
def worker_on(queue: str, *, concurrency: int = 1, pool: str = "prefork", env: dict | None = None):
    from config.celery_app import app

    need_postgres()
    broker = need_redis()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": _database_url(),
        "CELERY_BROKER_URL": broker,
        "CELERY_TASK_ALWAYS_EAGER": "0",
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "CELERY_RESULT_BACKEND": broker,
        **(env or {}),
    }
    name = f"{queue}-{uuid.uuid4().hex[:4]}"
    log = open(artifacts_dir() / f"worker-{name}.log", "w")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queue,
            "-c",
            str(concurrency),
            "-P",
            pool,
            "-n",
            f"{name}@%h",
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "INFO",
        ],
        cwd=BASE_DIR,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    keys = ("task_always_eager", "task_default_queue", "broker_url", "result_backend")
    previous = {key: app.conf[key] for key in keys}
    app.conf.update(
        task_always_eager=False, task_default_queue=queue, broker_url=broker, result_backend=broker
    )
    forget_result_backend()
    app._pool = None
    try:
        _wait_ready(name, process)
        yield process
    finally:
        app.conf.update(previous)
        forget_result_backend()
        app._pool = None
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        log.close()
