"""Views that draw a whole tree or a whole list stay bounded at any size:
the PDF draws the levels that stay within the overview's number of units,
and a whole list of cadres past CADRE_LIST_MOST asks for a smaller unit."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import dashboard, selectors

from .conftest import login, q

pytestmark = pytest.mark.django_db

LAU_SAU = "Ban Công tác Mặt trận xóm Lau Sau"


def pdf_text(client, programme) -> str:
    response = client.get(reverse("reports:export_pdf"), q(programme))
    assert response["Content-Type"] == "application/pdf"
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_pdf_of_a_small_tree_draws_every_unit(client, hr_province, people, programme):
    login(client, hr_province)
    text = pdf_text(client, programme)
    assert LAU_SAU in text
    assert "tệp XLSX có đầy đủ mọi đơn vị" not in text


def test_pdf_of_a_large_tree_draws_the_levels_within_the_bound_and_says_so(
    client, hr_province, people, programme, monkeypatch
):
    monkeypatch.setattr(dashboard, "DASHBOARD_UNITS", 3)
    login(client, hr_province)
    text = pdf_text(client, programme)
    assert LAU_SAU not in text
    assert "Ủy ban MTTQ xã La Bằng" in text
    assert "tệp XLSX có đầy đủ mọi đơn vị" in " ".join(text.split())


def test_cadre_list_xlsx_within_the_bound_is_drawn(client, hr_province, people, programme):
    login(client, hr_province)
    url = reverse("reports:unit_cadres_xlsx", args=[hr_province.scope_unit_id])
    response = client.get(url, q(programme))
    sheet = load_workbook(io.BytesIO(response.content))["Cán bộ"]
    names = [row[0].value for row in sheet.iter_rows(min_row=2)]
    assert sorted(names) == ["Dương Văn Bình Minh", "Ma Văn Thắng", "Nguyễn Thị Hoa"]


def test_cadre_list_xlsx_past_the_bound_asks_for_a_smaller_unit(
    client, hr_province, people, programme, monkeypatch
):
    monkeypatch.setattr(selectors, "CADRE_LIST_MOST", 2)
    login(client, hr_province)
    url = reverse("reports:unit_cadres_xlsx", args=[hr_province.scope_unit_id])
    response = client.get(url, q(programme), follow=True)
    assert response.redirect_chain
    assert "Danh sách này có 3 cán bộ" in response.content.decode()


def test_incomplete_text_past_the_bound_asks_for_a_smaller_unit(
    client, hr_province, people, programme, monkeypatch
):
    monkeypatch.setattr(selectors, "CADRE_LIST_MOST", 0)
    login(client, hr_province)
    url = reverse("reports:unit_incomplete", args=[hr_province.scope_unit_id])
    response = client.get(url, q(programme, format="txt"), follow=True)
    assert response.redirect_chain
    assert "Danh sách này có 1 cán bộ" in response.content.decode()


def test_incomplete_text_within_the_bound_lists_who_has_not_completed(
    client, hr_province, people, programme
):
    login(client, hr_province)
    url = reverse("reports:unit_incomplete", args=[hr_province.scope_unit_id])
    text = client.get(url, q(programme, format="txt")).content.decode()
    assert "Ma Văn Thắng" in text and "Nguyễn Thị Hoa" not in text
