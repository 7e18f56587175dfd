"""The quiz editor's question picker and the question list, as a trainer uses them."""

import pytest
from django.urls import reverse

from assessments.models import QuestionCategory

from .conftest import add_quiz, make_question

pytestmark = pytest.mark.django_db

CHOOSE = "wagtailsnippetchoosers_assessments_question:choose"
RESULTS = "wagtailsnippetchoosers_assessments_question:choose_results"


@pytest.fixture
def bank(category, course):
    scams = category.add_child(name="Lừa đảo")
    other = QuestionCategory.add_root(name="Kỹ năng số")
    phone = make_question(
        scams, "lua-dao-01", text="Cuộc gọi giả danh công an đòi chuyển tiền là lừa đảo?"
    )
    otp = make_question(category, "otp-01", qtype="truefalse", text="Mã OTP được đưa cho ai?")
    wifi = make_question(other, "wifi-01", qtype="multiple", text="Đặt mật khẩu Wi-Fi thế nào?")
    add_quiz(course, [phone, otp], slug="kiem-tra-1")
    add_quiz(course, [phone], slug="kiem-tra-2")
    return {"phone": phone, "otp": otp, "wifi": wifi, "scams": scams, "other": other}


def results(client, **params):
    return client.get(reverse(RESULTS), params).content.decode()


def test_picker_shows_text_vietnamese_type_category_path_and_usage(client, trainer, bank):
    client.force_login(trainer)
    html = client.get(reverse(CHOOSE)).json()["html"]
    assert "Cuộc gọi giả danh công an" in html
    assert "Một lựa chọn" in html and "Đúng/sai" in html and "Nhiều lựa chọn" in html
    assert "An toàn thông tin/Lừa đảo" in html
    assert 'name="category"' in html and 'name="qtype"' in html
    row = html.split("lua-dao-01")[1].split("</tr>")[0]
    assert ">2<" in row.replace(" ", "").replace("\n", "")


def test_picker_search_ignores_diacritics(client, trainer, bank):
    client.force_login(trainer)
    html = results(client, q="GOI GIA DANH")
    assert "lua-dao-01" in html
    assert "otp-01" not in html and "wifi-01" not in html


def test_picker_category_filter_includes_subcategories_and_no_others(client, trainer, bank):
    client.force_login(trainer)
    category = bank["phone"].category.get_parent()
    html = results(client, category=category.pk)
    assert "lua-dao-01" in html and "otp-01" in html
    assert "wifi-01" not in html


def test_picker_type_filter(client, trainer, bank):
    client.force_login(trainer)
    html = results(client, qtype="truefalse")
    assert "otp-01" in html
    assert "lua-dao-01" not in html


def test_picker_with_a_bad_filter_value_lists_nothing_and_does_not_fail(client, trainer, bank):
    client.force_login(trainer)
    response = client.get(reverse(RESULTS), {"category": "abc"})
    assert response.status_code == 200
    assert "lua-dao-01" not in response.content.decode()


def test_picker_chooses_several_questions_at_once(client, trainer, bank):
    client.force_login(trainer)
    html = client.get(reverse(CHOOSE), {"multiple": "1"}).json()["html"]
    assert 'type="checkbox"' in html
    chosen = client.get(
        reverse("wagtailsnippetchoosers_assessments_question:chosen_multiple"),
        {"id": [bank["phone"].pk, bank["otp"].pk]},
    ).json()
    assert {str(item["id"]) for item in chosen["result"]} == {
        str(bank["phone"].pk),
        str(bank["otp"].pk),
    }


def test_quiz_editor_offers_choosing_several_questions(client, trainer, bank, course):
    client.force_login(trainer)
    quiz = add_quiz(course, [], slug="kiem-tra-3")
    html = client.get(reverse("wagtailadmin_pages:edit", args=[quiz.pk])).content.decode()
    assert "new MultipleChooserPanel(" in html
    assert "id_quiz_questions-OPEN_MODAL" in html


def test_a_learner_cannot_open_the_picker(client, cadre_user, bank):
    client.force_login(cadre_user)
    assert client.get(reverse(CHOOSE)).status_code in (302, 403)


def test_question_list_shows_type_labels_not_codes(client, trainer, bank):
    client.force_login(trainer)
    html = client.get(reverse("wagtailsnippets_assessments_question:list")).content.decode()
    assert "Đúng/sai" in html
    assert ">truefalse<" not in html.replace(" ", "").replace("\n", "")
