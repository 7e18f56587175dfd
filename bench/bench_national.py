"""``make bench-national`` (opt-in, PostgreSQL only): the completion report
for a national rollout — 1,000,000 cadres in 34 provinces, 3,321 communes
and 100,000 residential committees (103,356 units), 20 courses, 6 enrolments
per cadre (4 required), ~80 % of them completed, 1 % of completions revoked.

The world (bench/national_world.py) is written with SQL, so it is built in
minutes. Figures: report_national_page_ms (median of 5, top of the
tree), report_national_province_ms (one province), report_national_as_of_ms,
report_national_html_kb, report_national_peak_mb (the process's peak RSS
above its resident size before the views), report_national_xlsx_s (the XLSX
export job over the whole tree, in-process; its peak RSS in the note),
report_national_fact_rebuild_s
and report_national_fact_check_s (``manage.py trained_rebuild`` and its check).
"""

import os
import resource
import statistics
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.utils import timezone

from cadres.accounts.services import user_set_role
from cadres.models import Cadre, OrgUnit, User
from courses.models import Completion, Enrolment
from courses.trained import trained_check, trained_rebuild

from .bench_reports import export_job_seconds
from .national_world import COMMUNES, PROVINCES, RESIDENTIAL, world_build
from .timing import (
    database_url,
    free_port,
    gunicorn_start,
    p99,
    time_requests,
    wait_until_serving,
)


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _reset_peak() -> bool:
    """Reset VmHWM (Linux): the peak then measures the views alone."""
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")
        return True
    except OSError:
        return False


def _peak_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _officers(provinces: list[int], national: User) -> list[User]:
    """The national officer and one HR officer for each of nine provinces."""
    officers = [national]
    for number, unit_id in enumerate(provinces[:9]):
        officer = User.objects.create(username=f"bench.tinh{number}")
        user_set_role(
            user=officer, role=User.Role.HR_OFFICER, scope_unit=OrgUnit.objects.get(pk=unit_id)
        )
        officers.append(officer)
    return officers


def _concurrent(officers: list[User], path: str, *, rounds: int = 5) -> dict:
    """Each officer opens their report at the same moment, ``rounds`` times,
    against gunicorn (2 sync workers) sharing a Redis cache that is emptied
    before each round: every view draws its figures. Times in milliseconds."""
    import redis

    cache_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9")
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": database_url(),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "REDIS_URL": cache_url,
    }
    cookies = []
    for officer in officers:
        client = Client()
        client.force_login(officer)
        cookies.append(
            f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"
        )
    url = f"http://127.0.0.1:{port}{path}"

    def fetch(cookie: str) -> float:
        started = time.perf_counter()
        request = urllib.request.Request(url, headers={"Cookie": cookie})  # noqa: S310
        with urllib.request.urlopen(request, timeout=120) as response:  # noqa: S310
            body = response.read()
            assert response.status == 200 and b"rp-tree" in body, response.status
        return (time.perf_counter() - started) * 1000

    server = gunicorn_start(port=port, env=env)
    samples: list[float] = []
    try:
        wait_until_serving(f"http://127.0.0.1:{port}/tai-khoan/login/")
        with ThreadPoolExecutor(len(cookies)) as pool:
            list(pool.map(fetch, cookies))  # warm both workers (imports, connections)
            for _ in range(rounds):
                redis.Redis.from_url(cache_url).flushdb()
                samples.extend(pool.map(fetch, cookies))
    finally:
        server.terminate()
        server.wait(timeout=30)
    samples.sort()
    return {
        "p99_ms": round(p99(samples), 1),
        "median_ms": round(statistics.median(samples), 1),
        "n": len(samples),
    }


def _xlsx_job(officer: User, root_id: int, programme_id: int) -> tuple[float, float, str]:
    """The national XLSX as a job (the task's function, in this process):
    seconds, peak RSS above the process before it, and what was written."""
    idle_mb = _rss_mb()
    exact = _reset_peak()
    seconds, export = export_job_seconds(
        officer=officer, unit=OrgUnit.objects.get(pk=root_id), programme_id=programme_id
    )
    peak_mb = round(_peak_mb() - idle_mb, 1)
    size_mb = export.file.size / 2**20
    print(f"  national XLSX: {seconds:.1f} s, {size_mb:.1f} MB, +{peak_mb} MB peak", flush=True)
    note = (
        f"the export job writing the whole tree ({export.total:,} units, "
        f"{size_mb:.1f} MB file) in-process"
    ) + ("" if exact else " (peak not resettable: an upper bound)")
    return seconds, peak_mb, note


def run() -> list[dict]:
    if connection.vendor != "postgresql":
        print("  bench-national needs PostgreSQL (DATABASE_URL); skipped")
        return []
    started = time.monotonic()
    connection.set_autocommit(True)
    programme_id, root_id, provinces, officer = world_build()
    province_id = provinces[len(provinces) // 2]
    built_s = time.monotonic() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    rebuild_started = time.monotonic()
    spells = trained_rebuild()
    rebuild_s = time.monotonic() - rebuild_started
    print(f"  fact rebuilt: {spells:,} spells in {rebuild_s:.1f} s", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    client = Client()
    client.force_login(officer)
    today = timezone.localdate()
    page_url = f"/bao-cao/?programme={programme_id}&as_of={today:%d/%m/%Y}"
    province_url = f"{page_url}&unit={province_id}"
    as_of_url = f"/bao-cao/?programme={programme_id}&as_of=30/09/2025"
    sizes: list[int] = []

    def get(url, *, cold=True):
        if cold:  # the figures computed, not read from the report cache
            cache.clear()
        response = client.get(url)
        assert response.status_code == 200, response.status_code
        assert b"rp-tree" in response.content
        sizes.append(len(response.content))
        return response

    idle_mb = _rss_mb()
    exact_peak = _reset_peak()
    page = time_requests(lambda: get(page_url), n=5, warmup=1)
    html_kb = round(max(sizes) / 1024, 1)
    province = time_requests(lambda: get(province_url), n=5, warmup=1)
    as_of = time_requests(lambda: get(as_of_url), n=5, warmup=1)
    cached = time_requests(lambda: get(page_url, cold=False), n=20, warmup=1)

    def overview():
        cache.clear()
        response = client.get("/bao-cao/tong-quan/")
        assert response.status_code == 200 and b"rp-chart-wrap" in response.content
        sizes.append(len(response.content))

    dashboard = time_requests(overview, n=3, warmup=0)
    peak_mb = round(_peak_mb() - idle_mb, 1)
    concurrent = _concurrent(
        _officers(provinces, officer), f"/bao-cao/?programme={programme_id}&as_of={today:%d/%m/%Y}"
    )
    xlsx_s, xlsx_peak_mb, xlsx_note = _xlsx_job(officer, root_id, programme_id)
    check_started = time.monotonic()
    checked, differences = trained_check()
    check_s = time.monotonic() - check_started
    assert not differences, differences
    counts = {
        "units": OrgUnit.objects.count(),
        "cadres": Cadre.objects.count(),
        "enrolments": Enrolment.objects.count(),
        "completions": Completion.objects.count(),
    }
    world = (
        f"{counts['cadres']:,} cadres, {counts['units']:,} units ({PROVINCES} provinces, "
        f"{COMMUNES:,} communes, {RESIDENTIAL:,} residential committees), "
        f"{counts['enrolments']:,} enrolments, "
        f"{counts['completions']:,} completions, {spells:,} trained spells; "
        f"built in {built_s:.0f} s"
    )
    print(f"  {world}")
    return [
        {
            "name": "report_national_page_ms",
            "value": page["median_ms"],
            "unit": "ms",
            "note": f"median of 5, top of the tree, today, report cache cleared before each; "
            f"max {page['p99_ms']} ms; {world}",
        },
        {
            "name": "report_national_page_cached_ms",
            "value": cached["median_ms"],
            "unit": "ms",
            "note": "median of 20, top of the tree, figures from the report cache; "
            f"p99 {cached['p99_ms']} ms",
        },
        {
            "name": "report_national_concurrent_p99_ms",
            "value": concurrent["p99_ms"],
            "unit": "ms",
            "note": f"10 HR officers (the national one, nine provinces' ones) at once, "
            f"{concurrent['n']} views in 5 rounds, report cache emptied before each round; "
            f"gunicorn 2 sync workers, Redis cache; median {concurrent['median_ms']} ms",
        },
        {
            "name": "report_national_dashboard_ms",
            "value": dashboard["median_ms"],
            "unit": "ms",
            "note": "median of 3, the overview (/bao-cao/tong-quan/) of the whole tree, report "
            f"cache emptied before each; max {dashboard['p99_ms']} ms",
        },
        {
            "name": "report_national_province_ms",
            "value": province["median_ms"],
            "unit": "ms",
            "note": f"median of 5, one province (~29,000 cadres); max {province['p99_ms']} ms",
        },
        {
            "name": "report_national_as_of_ms",
            "value": as_of["median_ms"],
            "unit": "ms",
            "note": f"median of 5, top of the tree as of 30/09/2025; max {as_of['p99_ms']} ms",
        },
        {
            "name": "report_national_html_kb",
            "value": html_kb,
            "unit": "KB",
            "note": "largest report or overview page served above",
        },
        {
            "name": "report_national_peak_mb",
            "value": peak_mb,
            "unit": "MB",
            "note": f"peak RSS during the views above the {idle_mb:.0f} MB before them"
            + ("" if exact_peak else " (peak not resettable: an upper bound)"),
        },
        {
            "name": "report_national_xlsx_s",
            "value": round(xlsx_s, 1),
            "unit": "s",
            "note": f"{xlsx_note}; peak RSS {xlsx_peak_mb} MB above the process before it",
        },
        {
            "name": "report_national_fact_rebuild_s",
            "value": round(rebuild_s, 1),
            "unit": "s",
            "note": f"trained_rebuild(): {spells:,} spells from {counts['completions']:,} "
            "completions",
        },
        {
            "name": "report_national_fact_check_s",
            "value": round(check_s, 1),
            "unit": "s",
            "note": f"trained_check(): {checked:,} spells recomputed in Python, 0 differences",
        },
    ]
