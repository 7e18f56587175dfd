"""Ids and page numbers in the cadre's own pages are raw; grouped ones sent
back are a 400 that changes nothing."""

import pytest

from cadres.models import Notification
from cadres.services import notification_send

pytestmark = pytest.mark.django_db

PAGE = "/tai-khoan/thong-bao/"
MARK = "/tai-khoan/thong-bao/da-doc/"


@pytest.fixture
def note(cadre_user):
    return notification_send(user=cadre_user, kind="reminder", title="Nhắc học bài", email=False)


def test_notification_id_above_a_million_is_printed_raw(client, cadre_user, note):
    client.force_login(cadre_user)

    html = client.get(PAGE).content.decode()

    assert note.pk > 1_000_000
    assert f'name="id" value="{note.pk}"' in html


def test_notification_marked_read_by_its_raw_id(client, cadre_user, note):
    client.force_login(cadre_user)

    response = client.post(MARK, {"id": str(note.pk)})

    assert response.status_code == 302
    assert Notification.objects.get(pk=note.pk).read_at is not None


@pytest.mark.parametrize("grouped", ["1.234", "1.234.567", "1_234", "²"])
def test_grouped_notification_id_is_a_400_and_marks_nothing(client, cadre_user, note, grouped):
    client.force_login(cadre_user)

    response = client.post(MARK, {"id": grouped})

    assert response.status_code == 400
    assert Notification.objects.get(pk=note.pk).read_at is None


@pytest.mark.parametrize("grouped", ["1.234", "1,234", "-1", "x"])
def test_grouped_page_number_is_a_400_in_vietnamese(client, cadre_user, note, grouped):
    client.force_login(cadre_user)

    response = client.get(PAGE, {"page": grouped})

    assert response.status_code == 400
    assert "Yêu cầu không hợp lệ" in response.content.decode()


def test_plain_page_number_past_the_end_shows_the_last_page(client, cadre_user, note):
    client.force_login(cadre_user)

    response = client.get(PAGE, {"page": "1234"})

    assert response.status_code == 200 and "Nhắc học bài" in response.content.decode()
