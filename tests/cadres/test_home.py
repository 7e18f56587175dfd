import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_home_shows_cadre_name_and_unit_in_vietnamese(client, cadre_user):
    client.force_login(cadre_user)
    html = client.get(reverse("home")).content.decode()
    assert "Xin chào, Nguyễn Thị Hoa" in html
    assert "Ủy ban MTTQ xã La Bằng" in html
    assert "Khóa học của tôi" in html
    assert '<html lang="vi">' in html


def test_home_requires_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_home_can_switch_to_english(client, cadre_user):
    client.force_login(cadre_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "My courses" in client.get(reverse("home")).content.decode()


def test_roster_page_open_to_hr_officer(client, hr_la_bang, cadre_user):
    client.force_login(hr_la_bang)
    html = client.get(reverse("cadres:roster")).content.decode()
    assert "Nguyễn Thị Hoa" in html


def test_roster_page_hidden_from_cadre(client, cadre_user):
    client.force_login(cadre_user)
    assert client.get(reverse("cadres:roster")).status_code == 404


def test_roster_search_ignores_diacritics(client, hr_la_bang, cadre_user):
    client.force_login(hr_la_bang)
    html = client.get(reverse("cadres:roster"), {"q": "nguyen hoa"}).content.decode()
    assert "Nguyễn Thị Hoa" in html


def test_browser_set_to_english_still_gets_vietnamese(client, cadre_user):
    client.force_login(cadre_user)
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Khóa học của tôi" in html


def test_language_chosen_with_the_switcher_wins(client, cadre_user):
    client.force_login(cadre_user)
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="vi").content.decode()
    assert "My courses" in html


def test_home_greets_a_staff_member_without_a_cadre_record_by_their_name(client, trainer):
    trainer.first_name, trainer.last_name = "Minh", "Lê Văn"
    trainer.save()
    client.force_login(trainer)
    html = client.get(reverse("home")).content.decode()
    assert "Xin chào, " in html and "giangvien</h1>" not in html


def test_home_greets_a_staff_member_without_a_name_by_their_username(client, trainer):
    trainer.first_name = trainer.last_name = ""
    trainer.save()
    client.force_login(trainer)
    html = client.get(reverse("home")).content.decode()
    assert "Xin chào, giangvien</h1>" in html
