"""Who may read which audit events. Two rules, two names: the admin's whole log
and an HR officer's subtree."""

from django.db.models import QuerySet

from ..models import AuditEvent, User
from ..selectors import units_visible_to


def audit_events_visible_to(user: User) -> QuerySet[AuditEvent]:
    """The audit log is for administrators only."""
    if not user.is_authenticated or not user.is_administrator:
        return AuditEvent.objects.none()
    return AuditEvent.objects.select_related("actor", "unit").order_by("-at", "-id")


def audit_events_in_subtree(user: User) -> QuerySet[AuditEvent]:
    """An HR officer sees the events recorded against units of their subtree."""
    from ..roster.selectors import is_roster_keeper

    if not is_roster_keeper(user):
        return AuditEvent.objects.none()
    events = AuditEvent.objects.select_related("actor", "unit")
    if user.is_administrator:
        return events
    return events.filter(unit__in=units_visible_to(user))
