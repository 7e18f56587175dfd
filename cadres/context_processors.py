from django.utils.functional import SimpleLazyObject

from .notifications.selectors import notifications_unread_count


def notifications(request):
    """The unread count for the header, counted only if a template shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: notifications_unread_count(user))}
