"""Weekly reminders: the beat job fans out one task per programme and per HR
officer; each sends with a per-week dedupe key, so a re-run in the same week
(a redelivered message, a second beat) sends nothing twice. Report exports
(XLSX, CSV) and the hourly purge of old ones."""

from celery import shared_task
from django.utils import timezone

from cadres.models import User
from courses.models import Programme

from . import export_jobs, services

SEND_OPTIONS = {
    "acks_late": True,
    "autoretry_for": (Exception,),
    "retry_backoff": 60,
    "max_retries": 3,
}


@shared_task(acks_late=True)
def weekly_reminders_send_task(week: str | None = None) -> None:
    week = week or services.week_key(timezone.localdate())
    for programme_id in Programme.objects.filter(is_optional=False).values_list("pk", flat=True):
        programme_reminders_send_task.delay(programme_id, week)
    hr_officers = User.objects.filter(
        role=User.Role.HR_OFFICER, is_active=True, scope_unit__isnull=False
    ).values_list("pk", flat=True)
    for user_id in hr_officers:
        hr_digest_send_task.delay(user_id, week)


@shared_task(**SEND_OPTIONS)
def programme_reminders_send_task(programme_id: int, week: str) -> int:
    programme = Programme.objects.filter(pk=programme_id).select_related("unit").first()
    if programme is None:
        return 0
    return services.programme_reminders_send(programme=programme, week=week)


@shared_task(**SEND_OPTIONS)
def hr_digest_send_task(user_id: int, week: str) -> bool:
    user = User.objects.filter(pk=user_id).select_related("scope_unit").first()
    if user is None:
        return False
    return services.hr_digest_send(user=user, week=week)


@shared_task(
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=export_jobs.WATCH_RETRIES,
)
def report_export_build_task(self, export_id: int) -> int:
    """Idempotent. A message delivered again while the first run still moves
    the job's progress (a national export can outlive the broker's visibility
    timeout) looks again a little later, until the job is done or its run
    has stalled (its worker died), which it then takes over."""
    try:
        export = export_jobs.report_export_build(export_id=export_id)
    except Exception as exc:
        export_jobs.report_export_fail(export_id=export_id, error=exc)
        raise
    if export.status == export.Status.RUNNING:
        raise self.retry(countdown=export_jobs.WATCH_SECONDS)
    return export.done


@shared_task(acks_late=True)
def report_exports_purge_task() -> int:
    return export_jobs.report_exports_purge()


# -- names from before issue 15's renames ---------------------------------------------
# A lost message here is a week without reminders (the beat runs once a week,
# and the fan-out's messages wait in the broker, retries for minutes): messages
# queued under these names before the rename must still run. They can go once
# every broker queue has been drained since.


@shared_task(name="reports.tasks.weekly_reminders_task", acks_late=True)
def weekly_reminders_task(week: str | None = None) -> None:
    return weekly_reminders_send_task(week)


@shared_task(name="reports.tasks.programme_reminders_task", **SEND_OPTIONS)
def programme_reminders_task(programme_id: int, week: str) -> int:
    return programme_reminders_send_task(programme_id, week)


@shared_task(name="reports.tasks.hr_digest_task", **SEND_OPTIONS)
def hr_digest_task(user_id: int, week: str) -> bool:
    return hr_digest_send_task(user_id, week)
