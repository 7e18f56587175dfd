"""Sending in-app messages (and email when the user has an address), marking them read."""

from django.db import transaction
from django.utils import timezone

from ..caching import forget
from ..models import Notification, User
from .selectors import unread_count_key


def notification_send(
    *,
    user: User,
    kind: str,
    title: str,
    body: str = "",
    url: str = "",
    dedupe_key: str = "",
    email: bool = True,
) -> Notification | None:
    """Send an in-app message, and an email when the user has an address.

    With a ``dedupe_key`` the same message to the same user is sent once, so a
    job that runs twice notifies once. Returns None when it was already sent.
    """
    from django.core.mail import send_mail
    from django.db import IntegrityError

    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, title=title, body=body, url=url, dedupe_key=dedupe_key
            )
    except IntegrityError:
        return None
    forget(unread_count_key(user.pk))
    if email and user.email:
        transaction.on_commit(
            lambda: send_mail(title, f"{body}\n\n{url}".strip(), None, [user.email])
        )
    return notification


def notification_mark_read(*, user: User, notification_id: int | None = None) -> int:
    """Mark one of the user's notifications (or all of them) as read.

    Someone else's notification is simply not found: nothing changes.
    Returns how many were marked.
    """
    unread = Notification.objects.filter(user=user, read_at__isnull=True)
    if notification_id is not None:
        unread = unread.filter(pk=notification_id)
    marked = unread.update(read_at=timezone.now())
    forget(unread_count_key(user.pk))
    return marked
