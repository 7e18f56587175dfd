import os
import subprocess
import sys
from pathlib import Path

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


def test_production_check_deploy_is_clean():
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "DJANGO_SECRET_KEY": "x" * 20 + "a-long-random-production-secret-0123456789",
        },
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
