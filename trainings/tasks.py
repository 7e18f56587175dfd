from celery import shared_task


@shared_task
def session_reminders_send_task() -> int:
    """Beat, every 5 minutes: day-before and hour-before reminders (idempotent)."""
    from .services import session_reminders_send

    return session_reminders_send()
