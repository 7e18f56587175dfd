"""One real server for the journeys: its own SQLite file with the demo data and
ids above 100,000, ``manage.py runserver`` on a free port, eager Celery, its
own media folder. Built once per test session; stopped by its PID at the end.

The server runs the dev settings a newcomer gets from ``make run``, whatever
services the test run itself uses (the journeys exercise the product, not the
database engine; the rest of the suite covers PostgreSQL and Redis).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.services import BASE_DIR, artifacts_dir, chromium_browser

from .walk import AXE_JS

ID_FLOOR = 100_000
DEMO_PASSWORD = "hocso-2025!"  # noqa: S105 - the demo's published password (README)


@dataclass
class Server:
    url: str
    env: dict
    media: Path

    def manage(self, *args: str, timeout: float = 600) -> str:
        """Run a management command against the server's database."""
        done = subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode:
            raise RuntimeError(f"manage.py {args[0]} failed:\n{done.stderr[-3000:]}")
        return done.stdout


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early ({process.returncode})")
        try:
            with urllib.request.urlopen(f"{url}/tai-khoan/login/", timeout=5):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError("the server did not come up")


@pytest.fixture(scope="session")
def browser():
    with chromium_browser() as browser:
        yield browser


@pytest.fixture(scope="session")
def server(tmp_path_factory, browser):
    """The demo site, served. Asks for Chromium first so that a machine
    without it skips (or fails under REQUIRE_SERVICES=1) before the ~1.5 min
    demo load."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` (make test does)")
    if os.environ.get("E2E_BASE_URL"):
        # A developer's own freshly seeded server (the journeys change its data).
        yield Server(url=os.environ["E2E_BASE_URL"].rstrip("/"), env=dict(os.environ), media=Path())
        return
    root = tmp_path_factory.mktemp("e2e")
    media = root / "media"
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DATABASE_", "CELERY_", "REDIS_", "PYTEST_", "DJANGO_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        DATABASE_URL=f"sqlite:///{root / 'e2e.sqlite3'}",
        CELERY_BROKER_URL="memory://",
        CELERY_TASK_ALWAYS_EAGER="1",
        MEDIA_ROOT=str(media),
        SITE_URL=url,
        WAGTAILADMIN_BASE_URL=url,
        PYTHONUNBUFFERED="1",
    )
    server = Server(url=url, env=env, media=media)
    logs = artifacts_dir() / "e2e"
    shutil.rmtree(logs, ignore_errors=True)  # screenshots of this run only
    logs.mkdir()
    server.manage("migrate", "--noinput")
    server.manage(
        "shell",
        "-c",
        f"from tests.services import sequences_start_high; sequences_start_high(base={ID_FLOOR})",
    )
    (logs / "seed_demo.log").write_text(server.manage("seed_demo", timeout=900))
    log = open(logs / "server.log", "w")  # noqa: SIM115
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(url, process)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()
        shutil.rmtree(media, ignore_errors=True)
