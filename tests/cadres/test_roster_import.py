"""Reading and planning roster files: encodings, headers, dates, matching, bad input."""

import datetime as dt
import io

import openpyxl
import pytest

from cadres.models import AuditEvent, Cadre, Membership, User
from cadres.roster import importing as ri
from cadres.roster.importing.writing import roster_plan_apply
from tests.factories import make_cadre

from .roster_files import HEADERS, csv_bytes, messy_xlsx, xlsx

pytestmark = pytest.mark.django_db


def plan_for(data, unit, user=None, **kwargs):
    sheet = ri.read_sheet(data, file_name=kwargs.pop("file_name", "ds.xlsx"))
    mapping = ri.guess_mapping(sheet.headers)
    scope, everywhere = ri.units_in_scope(user)
    return ri.plan_import(
        sheet, mapping=mapping, unit=unit, scope=scope, everywhere=everywhere, **kwargs
    )


def reasons(plan):
    return {row.number: [reason for _col, reason in row.errors] for row in plan.rejected}


def test_usual_vietnamese_headers_are_recognised():
    mapping = ri.guess_mapping(
        [
            "STT",
            "Họ và tên",
            "Ngày sinh",
            "SĐT",
            "Số CCCD",
            "Đơn vị",
            "Mã cán bộ",
            "Chuyên trách",
            "Chức vụ",
            "Email",
        ]
    )
    assert mapping == {
        "0": "ignore",
        "1": "full_name",
        "2": "date_of_birth",
        "3": "phone",
        "4": "national_id",
        "5": "unit",
        "6": "cadre_code",
        "7": "full_time",
        "8": "position",
        "9": "email",
    }


def test_remembered_mapping_wins_over_synonyms():
    mapping = ri.guess_mapping(["Tên đầy đủ", "Điện thoại"], {"ten day du": "full_name"})
    assert mapping == {"0": "full_name", "1": "phone"}


def test_mapping_without_an_identifier_is_refused():
    assert ri.mapping_errors({"0": "full_name"})
    assert not ri.mapping_errors({"0": "full_name", "1": "phone"})


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("05/03/1988", dt.date(1988, 3, 5)),
        ("5/3/1988", dt.date(1988, 3, 5)),
        ("12.12.1985", dt.date(1985, 12, 12)),
        ("1990-01-15", dt.date(1990, 1, 15)),
        (29000, dt.date(1979, 5, 25)),
        ("29000", dt.date(1979, 5, 25)),
        (dt.datetime(1979, 11, 2), dt.date(1979, 11, 2)),
    ],
)
def test_dates_as_text_and_as_excel_serials(value, expected):
    assert ri.parse_date(value) == expected


@pytest.mark.parametrize("value", ["31/02/1980", "30/02/2000", "1980", "tháng 3", -5])
def test_impossible_or_unreadable_dates_are_rejected(value):
    with pytest.raises(ri.CellError):
        ri.parse_date(value)


def test_impossible_date_message_names_the_date():
    with pytest.raises(ri.CellError, match="31/02/1980"):
        ri.parse_date("31/02/1980")


def test_phone_typed_as_a_number_gets_its_zero_back():
    assert ri.parse_phone(912345678) == "0912345678"
    assert ri.parse_phone("+84 912 345 678") == "0912345678"
    with pytest.raises(ri.CellError):
        ri.parse_phone("12345")


def test_unit_names_match_without_prefix_diacritics_or_case():
    assert ri.unit_core("Ủy ban MTTQ xã La Bằng") == ri.unit_core("LA BANG") == "la bang"
    assert ri.unit_core("Phường Quán Triều") == ri.unit_core("quan trieu")
    assert ri.unit_core("Xã Điềm Thụy") == ri.unit_core("Điềm Thuỵ")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "cp1258"])
def test_csv_in_every_usual_encoding_reads_the_same(encoding):
    rows = [
        [
            1,
            "LB001",
            "Nguyễn Thị Hoà",
            "05/03/1988",
            "Chủ tịch",
            "x",
            "0912345001",
            "",
            "Xã La Bằng",
        ]
    ]
    sheet = ri.read_sheet(csv_bytes(rows, encoding=encoding), file_name="ds.csv")
    assert sheet.headers[2] == "Họ và tên"
    assert sheet.rows[0][1][2] == "Nguyễn Thị Hoà"
    expected = {"utf-8-sig": "utf-8"}.get(encoding, encoding)
    assert sheet.encoding == expected


def test_officer_can_override_the_detected_encoding():
    data = csv_bytes(
        [[1, "LB001", "Nguyễn Thị Hoà", "", "", "", "0912345001", "", ""]], encoding="cp1258"
    )
    sheet = ri.read_sheet(data, file_name="ds.csv", encoding="cp1252")
    assert sheet.encoding == "cp1252"
    assert sheet.rows[0][1][2] != "Nguyễn Thị Hoà"


def test_semicolon_separated_csv():
    data = csv_bytes(
        [[1, "LB001", "Ma Văn Thắng", "", "", "", "0912345002", "", ""]], delimiter=";"
    )
    assert ri.read_sheet(data, file_name="ds.csv").rows[0][1][2] == "Ma Văn Thắng"


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"", "ds.csv", "trống"),
        (b"   \n\n", "ds.csv", "trống"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "anh.png", "không phải"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, "ds.xlsx", "mật khẩu"),
        (b"PK\x03\x04 broken zip", "ds.xlsx", "Excel"),
        (b"not excel at all", "ds.xlsx", "không phải"),
        ("Họ và tên,SĐT\n".encode(), "ds.csv", "không có dòng"),
    ],
)
def test_unreadable_files_get_a_vietnamese_message(data, name, message):
    with pytest.raises(ri.RosterFileError, match=message):
        ri.read_sheet(data, file_name=name)


def test_a_file_over_the_size_limit_is_refused_before_reading():
    with pytest.raises(ri.RosterFileError, match="MB"):
        ri.read_sheet(b"x" * (ri.MAX_FILE_BYTES + 1), file_name="ds.csv")


def test_title_row_above_a_merged_header_is_skipped():
    sheet = ri.read_sheet(messy_xlsx(bad=False))
    assert sheet.headers == HEADERS
    assert sheet.rows[0][0] == 4  # row number as Excel shows it


def test_two_row_header_under_merged_cells_is_folded_in():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["STT", "Họ và tên", None, "Liên hệ"])
    sheet.append([None, "Họ đệm", "Tên", "SĐT"])
    sheet.merge_cells("B1:C1")
    sheet.append([1, "Dương Văn", "Bình Minh", "0912345004"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    read = ri.read_sheet(buffer.getvalue())
    assert ri.guess_mapping(read.headers) == {
        "0": "ignore",
        "1": "family_name",
        "2": "given_name",
        "3": "phone",
    }
    assert read.rows == [(3, [1, "Dương Văn", "Bình Minh", "0912345004"])]


def test_messy_file_dry_run_lists_every_rejected_row_with_column_and_reason(coded_tree, hr_la_bang):
    plan = plan_for(messy_xlsx(), coded_tree["la_bang"], hr_la_bang)
    found = reasons(plan)
    assert "31/02/1980" in found[9][0]
    assert "dòng 4" in found[10][0]  # duplicate code LB001
    assert "ngoài" in found[11][0]  # Đại Phúc is not La Bằng's
    assert "mã cán bộ" in found[12][0]
    assert "di động" in found[13][0]
    assert "công thức" in found[14][0]
    columns = {row.number: row.errors[0][0] for row in plan.rejected}
    assert columns[9] == "D (Ngày sinh)"
    assert plan.counts["create"] == 5
    assert not plan.ok


def test_messy_file_units_and_names(coded_tree, hr_la_bang):
    plan = plan_for(messy_xlsx(bad=False), coded_tree["la_bang"], hr_la_bang)
    assert plan.ok
    units = {row.values["cadre_code"]: row.unit_id for row in plan.rows}
    assert units["LB001"] == units["LB002"] == units["LB003"] == coded_tree["la_bang"].pk
    assert units["LB004"] == units["LB005"] == coded_tree["lau_sau"].pk
    names = {row.values["cadre_code"]: (row.family_name, row.given_name) for row in plan.rows}
    assert names["LB004"] == ("Dương Văn Bình", "Minh")  # corrected in the preview
    phones = {row.values["cadre_code"]: row.values["phone"] for row in plan.rows}
    assert phones["LB002"] == "0912345002"


def test_name_split_can_be_corrected(coded_tree, hr_la_bang):
    plan = plan_for(
        messy_xlsx(bad=False),
        coded_tree["la_bang"],
        hr_la_bang,
        name_overrides={"7": ["Dương Văn", "Bình Minh"]},
    )
    row = next(r for r in plan.rows if r.number == 7)
    assert (row.family_name, row.given_name) == ("Dương Văn", "Bình Minh")


def test_commit_then_reimport_changes_nothing(
    coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    data = messy_xlsx(bad=False)
    plan = plan_for(
        data, coded_tree["la_bang"], hr_la_bang, name_overrides={"7": ["Dương Văn", "Bình Minh"]}
    )
    with django_capture_on_commit_callbacks(execute=True):
        roster_plan_apply(
            plan=plan, unit=coded_tree["la_bang"], by=hr_la_bang, file_name="ds.xlsx", sha256="ab"
        )
    minh = Cadre.objects.get(cadre_code="LB004")
    assert (minh.family_name, minh.given_name) == ("Dương Văn", "Bình Minh")
    assert minh.sort_key and "binh minh" in minh.search_text
    assert Membership.objects.get(cadre=minh).unit == coded_tree["lau_sau"]
    assert Cadre.objects.get(cadre_code="LB001").memberships.get().is_full_time
    event = AuditEvent.objects.get(action="roster.import")
    assert event.actor == hr_la_bang and event.data["sha256"] == "ab"
    assert event.unit == coded_tree["la_bang"]
    again = plan_for(data, coded_tree["la_bang"], hr_la_bang)
    assert again.counts["unchanged"] == 5, [(r.action, r.changes) for r in again.rows]


def test_reimport_matches_by_national_id_then_phone_and_updates(coded_tree, hr_la_bang):
    cadre = make_cadre(
        coded_tree["la_bang"],
        cadre_code=None,
        phone="0912345001",
        family_name="Nguyễn Thị",
        given_name="Hoa",
    )
    plan = plan_for(messy_xlsx(bad=False), coded_tree["la_bang"], hr_la_bang)
    row = next(r for r in plan.rows if r.values.get("cadre_code") == "LB001")
    assert row.cadre_id == cadre.pk
    assert row.action == "update"
    assert row.changes["cadre_code"] == ["", "LB001"]
    assert row.changes["name"] == ["Nguyễn Thị Hoa", "Nguyễn Thị Hoà"]
    roster_plan_apply(
        plan=plan, unit=coded_tree["la_bang"], by=hr_la_bang, file_name="x", sha256="y"
    )
    cadre.refresh_from_db()
    assert (cadre.cadre_code, cadre.given_name, cadre.date_of_birth) == (
        "LB001",
        "Hoà",
        dt.date(1988, 3, 5),
    )
    assert "lb001" in cadre.search_text and cadre.sort_key
    assert Cadre.objects.count() == 5


def test_cadre_in_another_unit_of_the_subtree_is_moved(coded_tree, hr_la_bang):
    cadre = make_cadre(coded_tree["lau_sau"], cadre_code="LB001", since=dt.date(2025, 7, 1))
    plan = plan_for(messy_xlsx(bad=False), coded_tree["la_bang"], hr_la_bang)
    row = next(r for r in plan.rows if r.cadre_id == cadre.pk)
    assert row.action == "move"
    roster_plan_apply(
        plan=plan, unit=coded_tree["la_bang"], by=hr_la_bang, file_name="x", sha256="y"
    )
    history = list(cadre.memberships.order_by("valid_from").values_list("unit_id", "valid_to"))
    assert history[0] == (coded_tree["lau_sau"].pk, plan.on - dt.timedelta(days=1))
    assert history[1] == (coded_tree["la_bang"].pk, None)


def test_cadre_of_another_commune_is_not_taken_over(coded_tree, hr_la_bang):
    make_cadre(coded_tree["dai_phuc"], cadre_code="LB001")
    plan = plan_for(messy_xlsx(bad=False), coded_tree["la_bang"], hr_la_bang)
    assert "ngoài" in reasons(plan)[4][0]


def test_province_officer_may_move_a_cadre_between_communes(coded_tree, hr_province):
    make_cadre(coded_tree["dai_phuc"], cadre_code="LB001")
    plan = plan_for(messy_xlsx(bad=False), coded_tree["la_bang"], hr_province)
    assert plan.ok
    assert plan.rows[0].action == "move"


def test_one_code_and_another_cadres_phone_is_rejected(coded_tree, hr_la_bang):
    make_cadre(coded_tree["la_bang"], cadre_code="LB001", phone="0999999999")
    make_cadre(coded_tree["la_bang"], cadre_code="ZZ", phone="0912345001")
    plan = plan_for(messy_xlsx(bad=False), coded_tree["la_bang"], hr_la_bang)
    assert "cán bộ khác" in reasons(plan)[4][0]


def test_ambiguous_unit_name_is_asked_never_guessed(coded_tree, hr_province):
    from tests.factories import make_unit

    make_unit(
        "Ban Công tác Mặt trận xóm Lau Sau", parent=coded_tree["dai_phuc"], kind="ban_cong_tac_kdc"
    )
    plan = plan_for(messy_xlsx(bad=False), coded_tree["la_bang"], hr_province)
    assert "nhiều đơn vị" in reasons(plan)[7][0]
    (key,) = plan.ambiguities
    assert plan.ambiguities[key]["rows"] == [7, 8]
    chosen = plan_for(
        messy_xlsx(bad=False),
        coded_tree["la_bang"],
        hr_province,
        unit_choices={key: coded_tree["lau_sau"].pk},
    )
    assert chosen.ok


def test_unit_code_is_matched_with_its_dates(coded_tree, hr_province):
    headers = ["Mã cán bộ", "Họ và tên", "Mã đơn vị"]
    data = xlsx([["A1", "Ma Văn Thắng", "05818"], ["A2", "Lý Thị Uyên", "99999"]], headers)
    plan = plan_for(data, coded_tree["province"], hr_province)
    assert plan.rows[0].unit_id == coded_tree["la_bang"].pk
    assert "Không có đơn vị" in reasons(plan)[3][0]


def test_row_with_date_left_deactivates_the_cadre_and_keeps_history(coded_tree, hr_la_bang):
    cadre = make_cadre(
        coded_tree["la_bang"], cadre_code="A1", user=User.objects.create(username="a1")
    )
    data = xlsx([["A1", cadre.full_name, "15/10/2026"]], ["Mã cán bộ", "Họ và tên", "Ngày nghỉ"])
    plan = plan_for(data, coded_tree["la_bang"], hr_la_bang)
    assert plan.rows[0].action == "deactivate"
    roster_plan_apply(
        plan=plan, unit=coded_tree["la_bang"], by=hr_la_bang, file_name="x", sha256="y"
    )
    cadre.refresh_from_db()
    assert cadre.status == "left" and cadre.left_on == dt.date(2026, 10, 15)
    assert cadre.memberships.get().valid_to == dt.date(2026, 10, 15)
    assert not User.objects.get(username="a1").is_active


def test_imported_cadres_can_get_logins(coded_tree, hr_la_bang):
    plan = plan_for(messy_xlsx(bad=False), coded_tree["la_bang"], hr_la_bang)
    summary = roster_plan_apply(
        plan=plan,
        unit=coded_tree["la_bang"],
        by=hr_la_bang,
        file_name="x",
        sha256="y",
        create_logins=True,
    )
    assert summary.logins == 5
    user = Cadre.objects.get(cadre_code="LB001").user
    assert user.username == "lb001" and not user.has_usable_password()


def test_joiners_are_announced_after_commit(
    coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    from cadres.signals import cadre_joined_unit

    heard = []

    def listen(sender, cadre_id, unit_id, **kwargs):
        heard.append(cadre_id)

    cadre_joined_unit.connect(listen)
    try:
        plan = plan_for(messy_xlsx(bad=False), coded_tree["la_bang"], hr_la_bang)
        with django_capture_on_commit_callbacks(execute=True):
            summary = roster_plan_apply(
                plan=plan, unit=coded_tree["la_bang"], by=hr_la_bang, file_name="x", sha256="y"
            )
    finally:
        cadre_joined_unit.disconnect(listen)
    assert sorted(heard) == sorted(summary.created)


def test_a_plan_with_rejected_rows_writes_nothing(coded_tree, hr_la_bang):
    from cadres.errors import RosterImportError

    plan = plan_for(messy_xlsx(), coded_tree["la_bang"], hr_la_bang)
    with pytest.raises(RosterImportError):
        roster_plan_apply(
            plan=plan, unit=coded_tree["la_bang"], by=hr_la_bang, file_name="x", sha256="y"
        )
    assert not Cadre.objects.exists()
