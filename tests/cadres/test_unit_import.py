import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from cadres.models import OrgUnit, Succession, UnitCode
from cadres.units.tables import UnitImportError, units_import

pytestmark = pytest.mark.django_db


def test_import_units_creates_92_communes_and_history():
    result = units_import()
    new = OrgUnit.objects.filter(
        kind=OrgUnit.Kind.COMMUNE_COMMITTEE, valid_from=dt.date(2025, 7, 1)
    )
    assert new.count() == 92
    assert result.successions_created == Succession.objects.count() > 280
    assert OrgUnit.objects.get(name="Ủy ban MTTQ tỉnh Bắc Kạn").valid_to == dt.date(2025, 6, 30)


def test_reimport_changes_nothing():
    units_import()
    before = (OrgUnit.objects.count(), UnitCode.objects.count(), Succession.objects.count())
    result = units_import()
    assert not result.changed
    assert before == (OrgUnit.objects.count(), UnitCode.objects.count(), Succession.objects.count())


def test_reused_code_names_different_units_on_different_dates():
    units_import()
    codes = UnitCode.objects.filter(code="05818").select_related("unit")
    by_date = {c.unit.name: (c.valid_from, c.valid_to) for c in codes}
    assert by_date["Ủy ban MTTQ xã La Bằng"] == (dt.date(2025, 7, 1), None)
    assert by_date["Ủy ban MTTQ xã Hoàng Nông"] == (None, dt.date(2025, 6, 30))


def test_spelling_variants_of_one_old_unit_match_one_unit():
    from cadres.text import fold

    units_import()
    old = OrgUnit.objects.filter(codes__code="05941", valid_to__isnull=False)
    assert old.count() == 1
    for spelling in ("Xã Điềm Thụy", "Xã Điềm Thuỵ"):
        assert old.get().aliases.filter(name_folded=fold(spelling)).exists()


def test_two_communes_with_the_same_name_stay_two_units():
    units_import()
    new = OrgUnit.objects.filter(valid_from__isnull=False, kind=OrgUnit.Kind.COMMUNE_COMMITTEE)
    assert new.filter(name_folded="uy ban mttq xa van lang").count() == 2


def test_cam_gia_split_has_two_successors():
    units_import()
    cam_gia = OrgUnit.objects.get(name="Ủy ban MTTQ phường Cam Giá")
    successors = set(cam_gia.successions_out.values_list("successor__name", flat=True))
    assert successors == {"Ủy ban MTTQ phường Gia Sàng", "Ủy ban MTTQ phường Tích Lương"}
    assert set(cam_gia.successions_out.values_list("kind", flat=True)) == {"split"}


def test_bad_row_is_named_and_nothing_is_written():
    bad = io.BytesIO(
        "code,name,full_name,administrative_unit_id\n"
        "05818,La Bằng,Xã La Bằng,4\n"
        "ABC,Lỗi,Xã Lỗi,4\n".encode()
    )
    with pytest.raises(UnitImportError) as info:
        units_import(units_file=bad, succession_file=None)
    assert "Row 3" in str(info.value) or "Dòng 3" in str(info.value)
    assert OrgUnit.objects.count() == 0


def test_missing_columns_are_reported():
    with pytest.raises(UnitImportError):
        units_import(units_file=io.BytesIO(b"foo,bar\n1,2\n"), succession_file=None)
    assert OrgUnit.objects.count() == 0


def test_command_with_no_arguments_uses_shipped_files(capsys):
    call_command("import_units")
    assert OrgUnit.objects.filter(kind=OrgUnit.Kind.COMMUNE_COMMITTEE).count() > 92


def test_command_fails_cleanly_on_a_broken_file(tmp_path):
    broken = tmp_path / "units.csv"
    broken.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(CommandError):
        call_command("import_units", str(broken))
    assert OrgUnit.objects.count() == 0
