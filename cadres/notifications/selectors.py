"""Reading a user's notifications and their unread count (cached for the header)."""

from django.core.cache import cache
from django.db.models import QuerySet

from ..models import Notification, User


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-created_at", "-id")


def unread_count_key(user_id: int) -> str:
    return f"cadres:unread:{user_id}"


def notifications_unread_count(user: User) -> int:
    """The header's badge on every page: cached until a notification is sent
    to the user or read (``cadres.services`` forgets it)."""
    if not user.is_authenticated:
        return 0
    return cache.get_or_set(
        unread_count_key(user.pk),
        lambda: Notification.objects.filter(user=user, read_at__isnull=True).count(),
        60 * 60,
    )
