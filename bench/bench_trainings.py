"""checkin_p99_ms, checkin_lost, checkin_duplicates, attendee_import_s.

A hall of 500 invited cadres checks in by QR code within 60 seconds, each
twice (the second scan must change nothing), against gunicorn with 2 sync
workers on 127.0.0.1 — PostgreSQL only, since that is the production
database. The load is bounded: the 1,000 scans are spread over the minute as
a hall would send them, at most 16 in flight. Every first check-in completes
the session's course (a real completion, its certificate request queued on a
broker that no worker reads, so issuing is not in the figure).

attendee_import_s: a 2,000-row Zoom participant report (1,000 cadres who each
joined twice) parsed, matched and imported for a session that completes a
course, in this process.
"""

import datetime as dt
import os
import random
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import timezone

from cadres.models import Cadre, Membership, OrgUnit, User
from courses.models import Completion, CoursePage, LessonPage
from courses.services import course_index_ensure
from trainings import tokens
from trainings.attendee_report import parse
from trainings.models import Attendance, TrainingSession
from trainings.services import (
    attendance_import_commit,
    attendance_import_plan,
    session_sync_invitations,
)

from .timing import database_url, free_port, gunicorn_start, p99

HALL = 500
SCANS_PER_CADRE = 2
SPREAD_SECONDS = 60
IN_FLIGHT = 16
REPORT_PEOPLE = 1000


def _course(slug: str) -> CoursePage:
    course = course_index_ensure().add_child(instance=CoursePage(title=f"Khóa {slug}", slug=slug))
    course.add_child(instance=LessonPage(title="Bài 1", slug="bai-1"))
    return course


def _cadres(unit: OrgUnit, count: int, prefix: str, *, logins: bool) -> list[Cadre]:
    cadres = []
    for number in range(count):
        user = (
            User.objects.create_user(
                username=f"{prefix}{number}", email=f"{prefix}{number}@mttq.vn"
            )
            if logins
            else None
        )
        cadres.append(
            Cadre(
                family_name="Nguyễn Văn",
                given_name=f"{prefix.upper()}{number}",
                email=f"{prefix}{number}@mttq.vn",
                user=user,
            )
        )
    for cadre in cadres:
        cadre.fill_derived_fields()
    cadres = Cadre.objects.bulk_create(cadres, batch_size=1000)
    Membership.objects.bulk_create(
        [
            Membership(cadre=c, unit=unit, position="Ủy viên", valid_from=dt.date(2025, 7, 1))
            for c in cadres
        ],
        batch_size=1000,
    )
    return cadres


def _session(unit, course, *, starts_in: dt.timedelta, title: str) -> TrainingSession:
    start = timezone.now() + starts_in
    session = TrainingSession.objects.create(
        title=title,
        organiser_unit=unit,
        invite_unit=unit,
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        counts_for_course=course,
        checkin_close_minutes=120,
    )
    session_sync_invitations(session=session)
    return session


def _checkin_bench(province: OrgUnit) -> list[dict]:
    hall = province.add_child(name="Hội trường tỉnh", kind="uy_ban_xa")
    course = _course("bench-checkin")
    cadres = _cadres(hall, HALL, "hall", logins=True)
    session = _session(hall, course, starts_in=dt.timedelta(minutes=5), title="Tập huấn 500")
    cookies = []
    for cadre in Cadre.objects.filter(pk__in=[c.pk for c in cadres]).select_related("user"):
        client = Client()
        client.force_login(cadre.user)
        cookies.append(client.cookies[settings.SESSION_COOKIE_NAME].value)

    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_TASK_ALWAYS_EAGER": "false",
        "CELERY_BROKER_URL": "memory://",
    }
    server = gunicorn_start(port=port, env=env)
    base = f"http://127.0.0.1:{port}"

    def get(path: str, cookie: str) -> tuple[int, str, float]:
        request = urllib.request.Request(  # noqa: S310
            base + path, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}"}
        )
        start = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                body = response.read().decode()
                status = response.status
        except urllib.error.HTTPError as exc:
            body, status = exc.read().decode(), exc.code
        return status, body, (time.perf_counter() - start) * 1000

    def scan(cookie: str) -> tuple[int, str, float]:
        window = tokens.window_at()
        return get(
            f"/tap-huan/d/{session.pk}/{window}/{tokens.signature(session.pk, window)}/", cookie
        )

    try:
        for _ in range(150):
            try:
                get("/tai-khoan/login/", "")
                break
            except OSError:
                time.sleep(0.2)
        rng = random.Random(16)  # noqa: S311 - a load pattern, not a secret
        plan = []
        for cookie in cookies:
            first = rng.uniform(0, SPREAD_SECONDS - 12)
            plan += [(first, cookie), (first + rng.uniform(1, 10), cookie)]
        plan.sort()
        latencies, failures, lock = [], [], threading.Lock()
        began = time.perf_counter()

        def fire(item):
            when, cookie = item
            delay = when - (time.perf_counter() - began)
            if delay > 0:
                time.sleep(delay)
            status, body, ms = scan(cookie)
            with lock:
                latencies.append(ms)
                if status != 200 or "Đã điểm danh" not in body:
                    failures.append(status)

        with ThreadPoolExecutor(max_workers=IN_FLIGHT) as pool:
            list(pool.map(fire, plan))
        elapsed = time.perf_counter() - began
    finally:
        server.terminate()
        server.wait(timeout=20)

    latencies.sort()
    p99_ms = p99(latencies)
    p50 = latencies[len(latencies) // 2]
    rows = Attendance.objects.filter(session=session)
    distinct = rows.values("cadre_id").distinct().count()
    lost = HALL - distinct
    completions = Completion.objects.filter(enrolment__course=course, revoked_at=None)
    duplicates = (rows.count() - distinct) + (
        completions.count() - completions.values("enrolment_id").distinct().count()
    )
    note = (
        f"{HALL} cadres × {SCANS_PER_CADRE} scans over {elapsed:.0f} s, ≤{IN_FLIGHT} in flight, "
        f"gunicorn 2 sync workers; p50 {p50:.1f} ms; {len(failures)} failed responses; "
        f"{completions.count()} courses completed"
    )
    return [
        {"name": "checkin_p99_ms", "value": round(p99_ms, 1), "unit": "ms", "note": note},
        {"name": "checkin_lost", "value": lost, "unit": "cadres", "note": note},
        {"name": "checkin_duplicates", "value": duplicates, "unit": "rows", "note": note},
    ]


def _zoom_report(session: TrainingSession, cadres: list[Cadre]) -> bytes:
    start = timezone.localtime(session.starts_at)

    def stamp(minutes: int) -> str:
        return (start + dt.timedelta(minutes=minutes)).strftime("%m/%d/%Y %I:%M:%S %p")

    lines = [
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,"
        "Recording Consent,In Waiting Room"
    ]
    for cadre in cadres:
        lines.append(f"{cadre.full_name},{cadre.email},{stamp(0)},{stamp(55)},55,No,,No")
        lines.append(
            f"{cadre.full_name} (điện thoại),{cadre.email},{stamp(60)},{stamp(118)},58,No,,No"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def _import_bench(province: OrgUnit) -> list[dict]:
    commune = province.add_child(name="Ủy ban MTTQ xã Trực Tuyến", kind="uy_ban_xa")
    course = _course("bench-import")
    cadres = _cadres(commune, REPORT_PEOPLE, "online", logins=False)
    session = _session(
        commune, course, starts_in=dt.timedelta(hours=-3), title="Hội nghị trực tuyến"
    )
    officer = User.objects.create_user(username="bench-officer", is_superuser=True)
    data = _zoom_report(session, cadres)
    start = time.perf_counter()
    report = parse(data)
    plan = attendance_import_plan(
        session=session, participants=[p.as_json() for p in report.participants]
    )
    counts = attendance_import_commit(session=session, plan=plan, by=officer)
    seconds = time.perf_counter() - start
    assert counts["present"] == REPORT_PEOPLE, counts
    completed = Completion.objects.filter(enrolment__course=course).count()
    return [
        {
            "name": "attendee_import_s",
            "value": round(seconds, 2),
            "unit": "s",
            "note": f"Zoom CSV, {2 * REPORT_PEOPLE:,} rows, {REPORT_PEOPLE:,} cadres matched by "
            f"email, {completed:,} course completions".replace(",", "."),
        }
    ]


def run() -> list[dict]:
    from config.celery_app import app as celery_app

    # Certificates are issued by workers in production: queue the tasks (on an
    # in-memory broker nobody reads) instead of rendering them in this process.
    celery_app.conf.task_always_eager = False
    province = OrgUnit.add_root(name="Ủy ban MTTQ tỉnh Thái Nguyên", kind="uy_ban_tinh")
    rows = _import_bench(province)
    if connection.vendor == "postgresql":
        rows = _checkin_bench(province) + rows
    else:
        print("  checkin_* need PostgreSQL (set DATABASE_URL); skipped")
    return rows
