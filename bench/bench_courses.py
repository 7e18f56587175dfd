"""course_page_ms/queries, lesson_page_ms/queries, lesson_complete_queries, lesson_page_rps.

A course of 30 lessons with 50,000 enrolments (and 100,000 lesson
completions) in the database; a logged-in cadre who has done some lessons.
Times are medians over 300 requests through Django's test client. The
throughput is gunicorn (2 sync workers, 127.0.0.1, persistent database
connections) under a bounded 10-second ``wrk`` load with the cadre's session
cookie — PostgreSQL only, since that is the production database.
"""

import datetime as dt
import os
import re
import shutil
import subprocess
import time
import urllib.request

from django.conf import settings
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from cadres.models import Cadre, Membership, OrgUnit, User
from courses.models import CoursePage, Enrolment, LessonCompletion, LessonPage
from courses.services import course_index_ensure, enrolment_create

from .timing import count_queries, database_url, free_port, gunicorn_start, time_requests

LESSONS = 30
ENROLMENTS = 50_000


def _lesson_body(number: int) -> list:
    paragraph = (
        "<p>Kẻ gian thường giả danh cơ quan chức năng, gọi điện yêu cầu chuyển tiền hoặc "
        "cung cấp mã OTP. Cán bộ Mặt trận cần nhận diện thủ đoạn, hướng dẫn bà con khu dân cư "
        "xác minh qua kênh chính thức và báo cơ quan công an khi nghi ngờ.</p>"
    )
    return [
        ("heading", f"Mục {number}.1"),
        *[("paragraph", paragraph) for _ in range(4)],
        ("heading", f"Mục {number}.2"),
        *[("paragraph", paragraph) for _ in range(3)],
        ("callout", {"title": "Ghi nhớ", "body": "<ul><li>Không cung cấp OTP.</li></ul>"}),
        (
            "inline_check",
            {
                "question": "Mã OTP được cung cấp cho ai?",
                "options": ["Nhân viên ngân hàng", "Công an", "Không ai cả"],
                "correct_index": 3,
                "explanation": "OTP chỉ để chính chủ dùng.",
            },
        ),
    ]


def _setup():
    province = OrgUnit.add_root(name="Ủy ban MTTQ tỉnh Thái Nguyên", kind="uy_ban_tinh")
    commune = province.add_child(name="Ủy ban MTTQ xã La Bằng", kind="uy_ban_xa")
    index = course_index_ensure()
    course = index.add_child(instance=CoursePage(title="An toàn thông tin", slug="bench"))
    course.save_revision().publish()
    lessons = []
    for number in range(1, LESSONS + 1):
        lesson = course.add_child(
            instance=LessonPage(
                title=f"Bài {number}", slug=f"bai-{number}", body=_lesson_body(number)
            )
        )
        lesson.save_revision().publish()
        lessons.append(lesson)

    cadres = Cadre.objects.bulk_create(
        [
            Cadre(family_name="Nguyễn Văn", given_name=f"A{i}", sort_key=f"a{i}")
            for i in range(ENROLMENTS - 1)
        ],
        batch_size=5000,
    )
    if not cadres[0].pk:
        cadres = list(Cadre.objects.order_by("pk"))
    Enrolment.objects.bulk_create(
        [Enrolment(cadre=c, course=course, source="programme") for c in cadres], batch_size=5000
    )
    enrolment_ids = list(Enrolment.objects.values_list("pk", flat=True))
    LessonCompletion.objects.bulk_create(
        [
            LessonCompletion(enrolment_id=pk, lesson=lessons[n])
            for pk in enrolment_ids
            for n in (0, 1)
        ],
        batch_size=5000,
    )

    user = User.objects.create_user(username="hocvien")
    learner = Cadre.objects.create(family_name="Nguyễn Thị", given_name="Hoa", user=user)
    Membership.objects.create(
        cadre=learner, unit=commune, is_full_time=True, valid_from=dt.date(2025, 7, 1)
    )
    enrolment = enrolment_create(cadre=learner, course=course, source="programme")
    LessonCompletion.objects.bulk_create(
        [LessonCompletion(enrolment=enrolment, lesson=lesson) for lesson in lessons[:-1]]
    )
    return user, course, lessons


def _rps(path: str, session_cookie: str) -> tuple[float, str]:
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    server = gunicorn_start(port=port, env=env)
    url = f"http://127.0.0.1:{port}{path}"
    cookie = f"{settings.SESSION_COOKIE_NAME}={session_cookie}"
    try:
        for _ in range(100):
            try:
                request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
                with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                    body = response.read().decode()
                    assert response.status == 200
                    assert "đã hoàn thành bài học này" in body, "not served as the enrolled cadre"
                break
            except (ConnectionError, OSError):
                time.sleep(0.2)
        # Warm both workers (connections, caches) before measuring.
        subprocess.run(  # noqa: S603
            [
                shutil.which("wrk") or "/usr/bin/wrk",
                "-t2",
                "-c8",
                "-d2s",
                "-H",
                f"Cookie: {cookie}",
                url,
            ],
            capture_output=True,
            check=True,
        )
        result = subprocess.run(  # noqa: S603
            [
                shutil.which("wrk") or "/usr/bin/wrk",
                "-t2",
                "-c16",
                "-d10s",
                "--latency",
                "-H",
                f"Cookie: {cookie}",
                url,
            ],
            capture_output=True,
            text=True,
            check=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=20)
    output = result.stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    p50 = re.search(r"^\s+50%\s+(\S+)", output, re.MULTILINE)
    note = f"gunicorn 2 sync workers, wrk -t2 -c16 -d10s; p50 {p50.group(1) if p50 else '?'}" + (
        f"; {errors.group(1)} non-2xx" if errors else "; all 200"
    )
    return round(rps, 1), note


def _queries_then_on_commit(fn) -> tuple[int, int]:
    """Queries of ``fn`` itself, and of the work it left for after the commit.

    Held in one outer transaction, ``fn``'s on-commit callbacks (with eager
    Celery: issuing the certificate in this process) wait for its end; the
    savepoints the outer transaction turns inner ones into are not counted.
    """
    with CaptureQueriesContext(connection) as everything:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as own:
                fn()
            start = len(everything.captured_queries)

    def counted(queries) -> int:
        return sum(1 for q in queries if "SAVEPOINT" not in q["sql"])

    return counted(own.captured_queries), counted(everything.captured_queries[start:])


def run() -> list[dict]:
    user, course, lessons = _setup()
    client = Client()
    client.force_login(user)
    course_url = "/khoa-hoc/bench/"
    lesson_url = "/khoa-hoc/bench/bai-5/"

    def get_course():
        assert client.get(course_url).status_code == 200

    def get_lesson():
        assert client.get(lesson_url).status_code == 200

    course_timing = time_requests(get_course)
    lesson_timing = time_requests(get_lesson)
    course_queries = count_queries(get_course)
    lesson_queries = count_queries(get_lesson)

    last = lessons[-1]

    def complete():
        response = client.post(
            f"/hoc/bai-hoc/{last.pk}/hoan-thanh/", HTTP_ACCEPT="application/json"
        )
        assert response.json()["course_completed"] is True

    complete_queries, on_commit_queries = _queries_then_on_commit(complete)
    scale = f"{LESSONS} lessons, {ENROLMENTS:,} enrolments".replace(",", ".")
    rows = [
        {
            "name": "course_page_ms",
            "value": course_timing["median_ms"],
            "unit": "ms",
            "note": f"enrolled cadre, {scale}; median of 300, p99 {course_timing['p99_ms']} ms",
        },
        {"name": "course_page_queries", "value": course_queries, "unit": "queries", "note": scale},
        {
            "name": "lesson_page_ms",
            "value": lesson_timing["median_ms"],
            "unit": "ms",
            "note": f"enrolled cadre, {scale}; median of 300, p99 {lesson_timing['p99_ms']} ms",
        },
        {"name": "lesson_page_queries", "value": lesson_queries, "unit": "queries", "note": scale},
        {
            "name": "lesson_complete_queries",
            "value": complete_queries,
            "unit": "queries",
            "note": "POST of the last lesson, including the course-completion decision and "
            "the request's session and user; the certificate task it enqueues on commit "
            f"is not counted ({on_commit_queries} more queries when eager Celery runs it "
            "in the same process)",
        },
    ]
    if connection.vendor == "postgresql":
        # A fresh session for the load: the one above completed the course.
        rps, note = _rps(lesson_url, client.cookies[settings.SESSION_COOKIE_NAME].value)
        rows.append({"name": "lesson_page_rps", "value": rps, "unit": "req/s", "note": note})
    return rows
