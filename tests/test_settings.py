import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.utils import formats, translation

BASE_DIR = Path(__file__).resolve().parent.parent


def _run(code: str, **env):
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings.production", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SECRET_KEY"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env={
            **env,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY" in result.stderr


PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-0123456789",
    "DATABASE_URL": "postgres://hocso@db.example:5432/hocso",
    "CELERY_BROKER_URL": "redis://redis.example:6379/0",
    "REDIS_URL": "redis://redis.example:6379/1",
    "SITE_URL": "https://hocso.example.vn",
}
REQUIRED_IN_PRODUCTION = ["DATABASE_URL", "CELERY_BROKER_URL", "SITE_URL", "REDIS_URL"]


def _production_env(**changes) -> dict:
    env = {**os.environ, **PRODUCTION_ENV, **changes}
    # Browser tests in the same process allow sync ORM calls from Playwright's
    # event loop; a production start must not inherit that.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return {k: v for k, v in env.items() if v is not None}


@pytest.mark.parametrize("missing", REQUIRED_IN_PRODUCTION)
@pytest.mark.parametrize("how", ["unset", "empty"])
def test_production_refuses_to_start_without_a_required_service(missing, how):
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=_production_env(**{missing: None if how == "unset" else ""}),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert f"{missing} must be set in production" in result.stderr


def test_production_starts_when_every_required_variable_is_set():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr


def test_hsts_preload_is_off_unless_asked_for():
    code = "from django.conf import settings; print(settings.SECURE_HSTS_PRELOAD)"
    off = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=_production_env(DJANGO_SECURE_HSTS_PRELOAD=None),
        capture_output=True,
        text=True,
        timeout=120,
    )
    on = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=_production_env(DJANGO_SECURE_HSTS_PRELOAD="true"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert off.stdout.strip() == "False", off.stderr
    assert on.stdout.strip() == "True", on.stderr


def test_celery_worker_without_settings_module_loads_production_settings_like_wsgi():
    """`celery -A config worker` with DJANGO_SETTINGS_MODULE unset must not run
    production tasks on the dev settings (dev secret, eager tasks)."""
    code = (
        "import os, config.celery_app; print(os.environ['DJANGO_SETTINGS_MODULE']); "
        "os.environ.pop('DJANGO_SETTINGS_MODULE'); import config.wsgi; "
        "print(os.environ['DJANGO_SETTINGS_MODULE'])"
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=BASE_DIR,
        env=_production_env(DJANGO_SETTINGS_MODULE=None),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.stdout.split() == ["config.settings.production"] * 2, result.stderr


def test_production_check_deploy_is_clean():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_vietnamese_dates_are_read_day_first():
    with translation.override("vi"):
        from django import forms

        field = forms.DateField()
        assert field.clean("05/03/2025").isoformat() == "2025-03-05"


def test_impossible_date_is_rejected():
    import pytest
    from django import forms

    with translation.override("vi"), pytest.raises(forms.ValidationError):
        forms.DateField().clean("31/02/2025")


def test_numbers_use_dot_as_thousands_separator():
    with translation.override("vi"):
        assert formats.number_format(1500000, force_grouping=True) == "1.500.000"


def test_a_malformed_trusted_proxy_is_refused_at_start_naming_the_setting():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=BASE_DIR,
        env=_production_env(TRUSTED_PROXIES="127.0.0.1,proxy.local"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "TRUSTED_PROXIES: 'proxy.local' is not an IP address or network" in result.stderr
