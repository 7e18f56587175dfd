"""Category paths ("Chủ đề 1/Lừa đảo") in dropdowns, listings and the GIFT
export cost the same number of queries however many categories there are."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.forms import ExportForm, QuestionCategoryForm
from assessments.models import QuestionCategory

from .conftest import make_question

pytestmark = pytest.mark.django_db


class CategoryForm(QuestionCategoryForm):
    class Meta:
        model = QuestionCategory
        fields = ["name", "description"]


def _grow(root: QuestionCategory, start: int, count: int) -> None:
    """``count`` more two-level subcategories, each with a question."""
    for number in range(start, start + count):
        child = services.category_get_or_create(path=f"Nhóm {number}/Bài {number}", under=root)
        make_question(child, f"Câu {number}")


def _queries(action) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        result = action()
    return len(queries.captured_queries), result


def test_gift_export_costs_the_same_queries_for_more_categories(category):
    _grow(category, 1, 2)
    few, _text = _queries(lambda: services.questions_export_gift(category=category))
    _grow(category, 3, 5)
    more, text = _queries(lambda: services.questions_export_gift(category=category))
    assert more == few
    assert "$CATEGORY: Nhóm 7/Bài 7" in text


def test_export_form_lists_every_path_with_the_same_queries(category):
    _grow(category, 1, 2)
    few, _html = _queries(lambda: str(ExportForm()["category"]))
    _grow(category, 3, 5)
    more, html = _queries(lambda: str(ExportForm()["category"]))
    assert more == few
    assert "An toàn thông tin/Nhóm 7/Bài 7" in html


def test_parent_dropdown_lists_every_path_with_the_same_queries(category):
    _grow(category, 1, 2)
    few, _html = _queries(lambda: str(CategoryForm()["parent"]))
    _grow(category, 3, 5)
    more, html = _queries(lambda: str(CategoryForm()["parent"]))
    assert more == few
    assert "An toàn thông tin/Nhóm 7/Bài 7" in html


def test_parent_dropdown_of_a_category_leaves_out_its_own_subtree(category):
    _grow(category, 1, 2)
    group = services.category_find(path="An toàn thông tin/Nhóm 1")
    html = str(CategoryForm(instance=group)["parent"])
    assert "An toàn thông tin/Nhóm 2" in html and "Nhóm 1/Bài 1" not in html


@pytest.mark.parametrize(
    "url",
    [
        "/quan-tri/snippets/assessments/question/",
        "/quan-tri/snippets/assessments/questioncategory/",
    ],
)
def test_admin_listings_show_paths_with_the_same_queries(client, administrator, category, url):
    client.force_login(administrator)
    _grow(category, 1, 2)
    client.get(url)  # warm the per-user and per-site caches
    few, _response = _queries(lambda: client.get(url))
    _grow(category, 3, 5)
    more, response = _queries(lambda: client.get(url))
    assert response.status_code == 200
    assert more == few
    assert "An toàn thông tin/Nhóm 7/Bài 7" in response.content.decode()
