"""Weekly reminders and HR digests: who gets what, once per week."""

import datetime as dt
import time

import pytest
from django.core import mail

from cadres.accounts.services import user_set_role
from cadres.models import Notification, User
from reports.services import hr_digest_send, programme_reminders_send, week_key
from reports.tasks import weekly_reminders_send_task
from tests.factories import UserFactory, make_cadre
from tests.services import celery_worker

from .conftest import complete

WEEK = "2026-W48"
# What the weekly run sends the learners and HR officers below.
EVERYONE_ONCE = [
    ("chua.xong", "reports.reminder"),
    ("tochuc.daiphuc", "reports.digest"),
    ("tochuc.labang", "reports.digest"),
]


def _sent() -> list[tuple[str, str]]:
    return sorted(Notification.objects.values_list("user__username", "kind"))


def learner(unit, username, **fields):
    user = UserFactory(username=username, **fields)
    user_set_role(user=user, role=User.Role.CADRE)
    return make_cadre(unit, user=user)


@pytest.fixture
def learners(tree, courses, programme, target):
    pending = learner(tree["la_bang"], "chua.xong", email="chuaxong@example.vn")
    done = learner(tree["dai_phuc"], "da.xong")
    complete(pending, courses[0], dt.date(2025, 8, 1))
    complete(done, courses[0], dt.date(2025, 8, 1))
    complete(done, courses[1], dt.date(2025, 8, 1))
    no_login = make_cadre(tree["lau_sau"])
    return {"pending": pending, "done": done, "no_login": no_login}


@pytest.mark.django_db
def test_cadre_missing_a_required_course_is_reminded_once_a_week(
    learners, programme, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert programme_reminders_send(programme=programme, week=WEEK) == 1
        assert programme_reminders_send(programme=programme, week=WEEK) == 0
    notes = Notification.objects.filter(kind="reports.reminder")
    assert [n.user.username for n in notes] == ["chua.xong"]
    assert "An toàn thông tin và phòng chống lừa đảo trực tuyến" in notes[0].body
    assert "Kỹ năng số cơ bản trên điện thoại" not in notes[0].body
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["chuaxong@example.vn"]
    assert programme_reminders_send(programme=programme, week="2026-W49") == 1


@pytest.mark.django_db
def test_trained_cadre_and_cadre_without_login_get_no_reminder(learners, programme):
    programme_reminders_send(programme=programme, week=WEEK)
    assert not Notification.objects.filter(user__username="da.xong").exists()
    assert Notification.objects.count() == 1


@pytest.mark.django_db
def test_optional_programme_sends_no_reminder(learners, programme):
    programme.is_optional = True
    programme.save()
    assert programme_reminders_send(programme=programme, week=WEEK) == 0


@pytest.mark.django_db
def test_hr_digest_covers_only_own_subtree_and_is_sent_once(learners, hr_la_bang, hr_province):
    assert hr_digest_send(user=hr_la_bang, week=WEEK)
    assert not hr_digest_send(user=hr_la_bang, week=WEEK)
    digest = Notification.objects.get(user=hr_la_bang, kind="reports.digest")
    assert "Ủy ban MTTQ xã La Bằng" in digest.title
    assert "Kỹ năng số cơ bản 2025: 0/2 cán bộ đã hoàn thành" in digest.body
    assert "Đại Phúc" not in digest.body
    assert hr_digest_send(user=hr_province, week=WEEK)
    province = Notification.objects.get(user=hr_province, kind="reports.digest")
    assert "1/3 cán bộ đã hoàn thành" in province.body
    assert "Ủy ban MTTQ xã La Bằng: còn thiếu 2" in province.body


@pytest.mark.django_db
def test_hr_digest_without_target_sends_nothing(tree, hr_la_bang, programme):
    assert not hr_digest_send(user=hr_la_bang, week=WEEK)


@pytest.mark.django_db
def test_weekly_task_fans_out_and_is_idempotent(learners, hr_la_bang, hr_dai_phuc):
    weekly_reminders_send_task(WEEK)
    weekly_reminders_send_task(WEEK)
    assert _sent() == EVERYONE_ONCE


@pytest.mark.django_db
def test_messages_queued_under_the_names_before_the_rename_still_send(
    learners, hr_la_bang, hr_dai_phuc
):
    from config.celery_app import app

    app.tasks["reports.tasks.weekly_reminders_task"].apply(args=[WEEK])
    assert _sent() == EVERYONE_ONCE


@pytest.mark.django_db
def test_fan_out_messages_queued_under_the_old_names_still_send(learners, programme, hr_la_bang):
    from config.celery_app import app

    app.tasks["reports.tasks.programme_reminders_task"].apply(args=[programme.pk, WEEK])
    app.tasks["reports.tasks.hr_digest_task"].apply(args=[hr_la_bang.pk, WEEK])
    assert _sent() == [("chua.xong", "reports.reminder"), ("tochuc.labang", "reports.digest")]


def test_week_key_is_the_iso_week():
    assert week_key(dt.date(2026, 11, 27)) == "2026-W48"
    assert week_key(dt.date(2027, 1, 1)) == "2026-W53"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_weekly_reminders_run_on_a_real_worker(learners, hr_la_bang):
    with celery_worker():
        weekly_reminders_send_task.delay(WEEK)
        deadline = time.monotonic() + 60
        # A worker also sweeps pending certificates when it connects: those
        # notifications are not this test's business.
        sent = Notification.objects.filter(kind__startswith="reports.")
        while time.monotonic() < deadline and sent.count() < 2:
            time.sleep(0.5)
    assert sorted(sent.values_list("kind", flat=True)) == [
        "reports.digest",
        "reports.reminder",
    ]
