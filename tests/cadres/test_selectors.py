import pytest
from django.http import Http404

from cadres.models import Cadre
from cadres.selectors import (
    cadre_get_for_user,
    cadre_search,
    cadres_visible_to,
    unit_get_for_user,
    units_visible_to,
)
from tests.factories import make_cadre

pytestmark = pytest.mark.django_db


def test_hr_officer_sees_own_unit_subtree(tree, hr_la_bang):
    names = set(units_visible_to(hr_la_bang).values_list("name", flat=True))
    assert names == {"Ủy ban MTTQ xã La Bằng", "Ban Công tác Mặt trận xóm Lau Sau"}


def test_hr_officer_cannot_see_other_commune(tree, hr_la_bang):
    with pytest.raises(Http404):
        unit_get_for_user(hr_la_bang, tree["dai_phuc"].pk)


@pytest.mark.parametrize("typed", ["abc", "", None, "1.5"])
def test_unit_id_that_is_not_a_number_is_not_found(tree, hr_la_bang, typed):
    with pytest.raises(Http404):
        unit_get_for_user(hr_la_bang, typed)


def test_own_unit_id_typed_as_text_is_found(tree, hr_la_bang):
    assert unit_get_for_user(hr_la_bang, str(tree["la_bang"].pk)) == tree["la_bang"]


def test_hr_officer_sees_cadres_of_residential_committee_under_commune(tree, hr_la_bang):
    cadre = make_cadre(tree["lau_sau"])
    assert cadre_get_for_user(hr_la_bang, cadre.pk) == cadre


def test_hr_officer_cannot_see_cadre_of_other_commune(tree, hr_la_bang):
    cadre = make_cadre(tree["dai_phuc"])
    with pytest.raises(Http404):
        cadre_get_for_user(hr_la_bang, cadre.pk)


def test_provincial_hr_officer_sees_every_commune(tree, hr_province):
    cadre = make_cadre(tree["dai_phuc"])
    assert cadre_get_for_user(hr_province, cadre.pk) == cadre


def test_cadre_sees_only_themself(cadre_user, other_cadre_user):
    assert list(cadres_visible_to(cadre_user)) == [cadre_user.cadre]


def test_cadre_cannot_see_another_cadre(cadre_user, other_cadre_user):
    with pytest.raises(Http404):
        cadre_get_for_user(cadre_user, other_cadre_user.cadre.pk)


def test_missing_and_not_yours_are_the_same_404(tree, hr_la_bang):
    other = make_cadre(tree["dai_phuc"])
    for pk in (other.pk, 999_999):
        with pytest.raises(Http404):
            cadre_get_for_user(hr_la_bang, pk)


def test_trainer_sees_no_roster(tree, trainer):
    make_cadre(tree["la_bang"])
    assert not cadres_visible_to(trainer).exists()
    assert not units_visible_to(trainer).exists()


def test_administrator_sees_everything(tree, administrator):
    make_cadre(tree["dai_phuc"])
    assert units_visible_to(administrator).count() == 4
    assert cadres_visible_to(administrator).count() == 1


def test_search_ignores_diacritics(tree):
    make_cadre(tree["la_bang"], family_name="Nguyễn Thị", given_name="Hòa")
    make_cadre(tree["la_bang"], family_name="Lê Văn", given_name="Hoà")
    make_cadre(tree["la_bang"], family_name="Trần Văn", given_name="Hùng")
    found = cadre_search(Cadre.objects.all(), "hoa")
    assert {c.given_name for c in found} == {"Hòa", "Hoà"}
    assert [c.family_name for c in cadre_search(Cadre.objects.all(), "nguyen")] == ["Nguyễn Thị"]


def test_roster_lists_sort_by_given_name_in_vietnamese_order(tree):
    for family, given in [("Trần Văn", "Đức"), ("Lê Thị", "Dung"), ("Vũ Văn", "Ánh")]:
        make_cadre(tree["la_bang"], family_name=family, given_name=given)
    assert [c.given_name for c in Cadre.objects.all()] == ["Ánh", "Dung", "Đức"]
