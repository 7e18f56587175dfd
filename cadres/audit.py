"""Readable names of the audit log's actions."""

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "auth.login": _("Signed in"),
    "auth.login_failed": _("Failed sign-in"),
    "auth.mfa_failed": _("Wrong two-factor code"),
    "auth.mfa_added": _("Two-factor sign-in set up"),
    "auth.mfa_removed": _("Two-factor sign-in removed"),
    "account.role_change": _("Role or scope changed"),
    "account.activation_code": _("Activation code issued"),
    "account.activated": _("Account activated"),
    "cadre.create": _("Cadre added"),
    "cadre.move": _("Cadre moved"),
    "cadre.deactivate": _("Cadre left"),
}


def action_label(event) -> str:
    return str(ACTION_LABELS.get(event.action, event.action))


def audit_time(event) -> str:
    return date_format(timezone.localtime(event.at), "d/m/Y H:i:s")


def action_choices() -> list[tuple[str, str]]:
    """Every action named above, and any other one already in the log."""
    from .models import AuditEvent

    actions = set(ACTION_LABELS) | set(
        AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
    )
    return sorted(((a, str(ACTION_LABELS.get(a, a))) for a in actions), key=lambda c: c[1])
