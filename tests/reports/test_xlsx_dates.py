"""Spreadsheets hold dates as dates, shown dd/mm/yyyy, so they sort and filter."""

import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import make_cadre

from .conftest import complete, enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(client, tree, courses, programme, target, hr_la_bang):
    done = make_cadre(tree["la_bang"], family_name="Nguyễn Thị", given_name="Hoa")
    complete(done, courses[0], dt.date(2025, 8, 1))
    waiting = make_cadre(tree["la_bang"], family_name="Ma Văn", given_name="Thắng")
    enrol(waiting, courses[0])
    client.force_login(hr_la_bang)
    url = reverse("reports:unit_cadres_xlsx", args=[tree["la_bang"].pk])
    response = client.get(url, {"programme": programme.pk, "as_of": "31/12/2025"})
    return load_workbook(io.BytesIO(response.content))


def _column(sheet, header):
    headers = [cell.value for cell in sheet[1]]
    index = headers.index(header)
    return [row[index] for row in sheet.iter_rows(min_row=2)]


def test_completion_dates_are_dates_formatted_day_month_year(book, courses):
    cells = _column(book["Cán bộ"], courses[0].title)
    done = [c for c in cells if c.value is not None]
    assert [c.value for c in done] == [dt.datetime(2025, 8, 1)]
    assert all(c.is_date and c.number_format == "dd/mm/yyyy" for c in done)


def test_last_activity_is_a_date_and_time_starting_day_month_year(book):
    cells = [c for c in _column(book["Cán bộ"], "Hoạt động gần nhất") if c.value is not None]
    assert cells and all(c.is_date for c in cells)
    assert all(c.number_format.startswith("dd/mm/yyyy") for c in cells)


def test_missing_date_stays_empty_not_a_zero_date(book, courses):
    cells = _column(book["Cán bộ"], courses[0].title)
    assert any(c.value is None for c in cells)


def test_information_sheet_dates_are_dates(book):
    rows = list(book["Thông tin"].iter_rows())
    dated = [row[1] for row in rows if len(row) > 1 and row[1].value is not None]
    assert dated and all(c.is_date and c.number_format.startswith("dd/mm/yyyy") for c in dated)
    as_of = next(row[1] for row in rows if row[0].value == "Số liệu đến ngày")
    assert as_of.value == dt.datetime(2025, 12, 31)
