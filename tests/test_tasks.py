"""Celery task names: a queued message carries the registered name, so every
name the beat schedule or a worker's start-up sends must resolve, and every
task is named ``<noun>_<verb>_task`` after the service it calls, registered
under its own module and function name."""

import re

from django.conf import settings

from config.celery_app import app

APPS = ("cadres", "courses", "assessments", "trainings", "certificates", "reports")
# Old names kept for messages queued before a rename (see each app's tasks.py).
RENAMED = {
    "certificates.tasks.issue_certificate_task": "certificates.tasks.certificate_issue_task",
    "certificates.tasks.certificate_export_task": (
        "certificates.tasks.certificate_export_build_task"
    ),
    "reports.tasks.weekly_reminders_task": "reports.tasks.weekly_reminders_send_task",
    "reports.tasks.programme_reminders_task": "reports.tasks.programme_reminders_send_task",
    "reports.tasks.hr_digest_task": "reports.tasks.hr_digest_send_task",
}


def _project_tasks() -> dict:
    app.loader.import_default_modules()
    return {name: task for name, task in app.tasks.items() if name.startswith(APPS)}


def test_every_task_is_registered_under_its_module_and_a_noun_verb_task_name():
    tasks = _project_tasks()
    assert tasks
    for name, task in tasks.items():
        function = task.run.__name__
        assert name == f"{task.run.__module__}.{function}", name
        if name not in RENAMED:
            assert re.fullmatch(r"[a-z]+(_[a-z]+)+_task", function), name


def test_old_names_still_resolve_to_a_task_with_the_same_delivery_guarantees():
    tasks = _project_tasks()
    for old, new in RENAMED.items():
        assert old in tasks and new in tasks
        for option in ("acks_late", "reject_on_worker_lost", "autoretry_for", "max_retries"):
            assert getattr(tasks[old], option, None) == getattr(tasks[new], option, None), old


def test_the_beat_schedule_and_worker_start_up_send_only_registered_names():
    tasks = _project_tasks()
    sent = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    sent += [name for name, _kwargs in settings.WORKER_ON_CONNECT_TASKS]
    assert sent
    for name in sent:
        assert name in tasks, name
        assert name not in RENAMED, f"{name}: send the new name"
