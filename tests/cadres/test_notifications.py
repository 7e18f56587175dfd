import pytest
from django.core import mail

from cadres.models import Notification
from cadres.services import notification_send

pytestmark = pytest.mark.django_db


def test_notification_with_dedupe_key_is_sent_once(cadre_user, django_capture_on_commit_callbacks):
    cadre_user.email = "hoa@example.vn"
    cadre_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        first = notification_send(
            user=cadre_user, kind="reminder", title="Nhắc học", dedupe_key="w1"
        )
        second = notification_send(
            user=cadre_user, kind="reminder", title="Nhắc học", dedupe_key="w1"
        )
    assert first is not None and second is None
    assert Notification.objects.filter(user=cadre_user).count() == 1
    assert len(mail.outbox) == 1


def test_notification_without_email_is_in_app_only(cadre_user, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notification_send(user=cadre_user, kind="reminder", title="Nhắc học")
    assert Notification.objects.filter(user=cadre_user).count() == 1
    assert mail.outbox == []
