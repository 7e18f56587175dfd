"""``manage.py import_roster FILE --unit CODE [--dry-run]``."""

import pytest
from django.core.management import CommandError, call_command

from cadres.models import AuditEvent, Cadre

from .roster_files import messy_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def files(tmp_path):
    good, bad = tmp_path / "ds.xlsx", tmp_path / "ds-loi.xlsx"
    good.write_bytes(messy_xlsx(bad=False))
    bad.write_bytes(messy_xlsx())
    return good, bad


def test_command_imports_a_clean_file(coded_tree, files, capsys):
    call_command("import_roster", str(files[0]), "--unit", "05818")
    assert Cadre.objects.count() == 5
    assert AuditEvent.objects.get(action="roster.import").data["sha256"]
    assert "Tạo mới 5" in capsys.readouterr().out


def test_dry_run_writes_nothing(coded_tree, files):
    call_command("import_roster", str(files[0]), "--unit", "05818", "--dry-run")
    assert not Cadre.objects.exists()


def test_any_rejected_row_exits_non_zero_with_nothing_written(coded_tree, files, capsys):
    with pytest.raises(CommandError):
        call_command("import_roster", str(files[1]), "--unit", "05818")
    assert not Cadre.objects.exists()
    assert "Dòng 9, cột D (Ngày sinh)" in capsys.readouterr().err


def test_scope_of_the_acting_officer_applies(coded_tree, files, hr_dai_phuc):
    with pytest.raises(CommandError):
        call_command("import_roster", str(files[0]), "--unit", "05818", "--by", "tochuc.daiphuc")
    assert not Cadre.objects.exists()


def test_unknown_unit_code_is_an_error(coded_tree, files):
    with pytest.raises(CommandError):
        call_command("import_roster", str(files[0]), "--unit", "99999")
