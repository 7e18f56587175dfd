"""Hostile input on the roster: invisible and direction-changing characters
never reach a certificate, and a huge search is a message, not a 500."""

import unicodedata

import pytest
from django.urls import reverse

from cadres.models import Cadre
from cadres.selectors import cadre_search
from cadres.text import nfc
from tests.factories import make_cadre

INVISIBLE = [
    "\u200b",  # zero-width space
    "\u200c",  # zero-width non-joiner
    "\u200d",  # zero-width joiner
    "\u2060",  # word joiner
    "\ufeff",  # byte-order mark
    "\u00ad",  # soft hyphen
    "\u202e",  # right-to-left override
    "\u202d",  # left-to-right override
    "\u2066",  # left-to-right isolate
    "\u061c",  # Arabic letter mark
]


@pytest.mark.parametrize("char", INVISIBLE)
def test_format_controls_are_stripped(char):
    assert nfc(f"Nguy{char}ễn Th{char}ị Hoa{char}") == "Nguyễn Thị Hoa"


def test_vietnamese_marks_typed_decomposed_survive():
    typed = unicodedata.normalize("NFD", "Nguyễn Thị Hoà Đặng Ước")
    assert nfc(typed) == "Nguyễn Thị Hoà Đặng Ước"


def test_every_stripped_character_is_a_format_control():
    assert all(unicodedata.category(c) == "Cf" for c in INVISIBLE)


@pytest.mark.django_db
def test_a_name_saved_with_an_rtl_override_is_stored_without_it(tree):
    cadre = make_cadre(tree["la_bang"], family_name="Nguyễn\u202e Thị", given_name="\u200bHoa")
    cadre.refresh_from_db()
    assert cadre.family_name == "Nguyễn Thị" and cadre.given_name == "Hoa"
    assert cadre.full_name == "Nguyễn Thị Hoa"


@pytest.mark.django_db
def test_search_with_a_thousand_words_is_a_message_not_a_500(client, tree, hr_la_bang):
    make_cadre(tree["la_bang"], family_name="Nguyễn Thị", given_name="Hoa")
    client.force_login(hr_la_bang)
    response = client.get(reverse("cadres:roster"), {"q": " ".join(["hoa"] * 999)})
    assert response.status_code == 200
    assert "Hãy tìm bằng tối đa" in response.content.decode()
    response = client.get(reverse("cadres:roster"), {"q": " ".join(f"w{i}" for i in range(30))})
    assert response.status_code == 200


@pytest.mark.django_db
def test_search_selector_uses_at_most_a_few_distinct_words(tree):
    make_cadre(tree["la_bang"], family_name="Nguyễn Thị", given_name="Hoa")
    found = cadre_search(Cadre.objects.all(), " ".join(["hoa"] * 5000))
    assert found.count() == 1


@pytest.mark.django_db
def test_search_with_a_few_words_still_narrows(client, tree, hr_la_bang):
    make_cadre(tree["la_bang"], family_name="Nguyễn Thị", given_name="Hoa")
    make_cadre(tree["la_bang"], family_name="Ma Văn", given_name="Thắng")
    client.force_login(hr_la_bang)
    html = client.get(reverse("cadres:roster"), {"q": "nguyen hoa"}).content.decode()
    assert "Nguyễn Thị Hoa" in html and "Ma Văn Thắng" not in html
