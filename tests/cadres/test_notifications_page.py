import pytest
from django.urls import reverse

from cadres.models import Notification
from cadres.services import notification_send

pytestmark = pytest.mark.django_db

PAGE = "/tai-khoan/thong-bao/"
MARK = "/tai-khoan/thong-bao/da-doc/"


@pytest.fixture
def notes(cadre_user, other_cadre_user):
    mine = notification_send(user=cadre_user, kind="reminder", title="Nhắc học bài 2", email=False)
    also = notification_send(
        user=cadre_user, kind="certificate", title="Đã cấp chứng nhận", email=False
    )
    theirs = notification_send(
        user=other_cadre_user, kind="reminder", title="Thư của người khác", email=False
    )
    return {"mine": mine, "also": also, "theirs": theirs}


def test_user_sees_own_notifications_with_unread_count_in_header(client, cadre_user, notes):
    client.force_login(cadre_user)
    html = client.get(PAGE).content.decode()
    assert "Nhắc học bài 2" in html and "Đã cấp chứng nhận" in html
    assert "Thư của người khác" not in html
    assert '<span class="badge">2<span class="sr-only"> chưa đọc</span></span>' in html


def test_header_shows_no_count_when_all_read(client, cadre_user):
    client.force_login(cadre_user)
    html = client.get(reverse("home")).content.decode()
    assert 'href="/tai-khoan/thong-bao/">Thông báo</a>' in html


def test_anonymous_visitor_is_sent_to_sign_in(client):
    assert client.get(PAGE)["Location"].startswith("/tai-khoan/login/")


def test_mark_one_as_read(client, cadre_user, notes):
    client.force_login(cadre_user)
    response = client.post(MARK, {"id": notes["mine"].pk})
    assert response.status_code == 302
    notes["mine"].refresh_from_db()
    notes["also"].refresh_from_db()
    assert notes["mine"].read_at is not None and notes["also"].read_at is None


def test_cannot_mark_someone_elses_notification(client, cadre_user, notes):
    client.force_login(cadre_user)
    client.post(MARK, {"id": notes["theirs"].pk})
    notes["theirs"].refresh_from_db()
    assert notes["theirs"].read_at is None


def test_mark_all_marks_only_own(client, cadre_user, notes):
    client.force_login(cadre_user)
    client.post(MARK, {"all": "1"})
    assert not Notification.objects.filter(user=cadre_user, read_at__isnull=True).exists()
    notes["theirs"].refresh_from_db()
    assert notes["theirs"].read_at is None


def test_bad_input_changes_nothing(client, cadre_user, notes):
    client.force_login(cadre_user)
    response = client.post(MARK, {"id": "abc", "next": "https://evil.example/"})
    assert response.status_code == 400 and "Location" not in response
    assert Notification.objects.filter(user=cadre_user, read_at__isnull=True).count() == 2


def test_mark_read_needs_post(client, cadre_user, notes):
    client.force_login(cadre_user)
    assert client.get(MARK, {"all": "1"}).status_code == 405


def test_account_page_links_two_factor_for_staff_only(client, cadre_user, trainer):
    client.force_login(trainer)
    assert "Xác thực hai lớp" in client.get("/tai-khoan/cua-toi/").content.decode()
    client.force_login(cadre_user)
    html = client.get("/tai-khoan/cua-toi/").content.decode()
    assert "Xác thực hai lớp" not in html and "Đổi mật khẩu" in html
