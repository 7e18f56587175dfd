"""Readable names of the audit log's actions, and of the details they carry.

Every action any app records is named here (a test reads the apps' calls to
``audit_record`` to keep it so): a person never reads a code like
``account.role_change``."""

import datetime as dt

from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..figures import figure

ACTION_LABELS = {
    "auth.login": gettext_lazy("Signed in"),
    "auth.login_failed": gettext_lazy("Failed sign-in"),
    "auth.mfa_failed": gettext_lazy("Wrong two-factor code"),
    "auth.mfa_added": gettext_lazy("Two-factor sign-in set up"),
    "auth.mfa_removed": gettext_lazy("Two-factor sign-in removed"),
    "account.role_change": gettext_lazy("Role or scope changed"),
    "account.create": gettext_lazy("Login created"),
    "account.activation_code": gettext_lazy("Activation code issued"),
    "account.activated": gettext_lazy("Account activated"),
    "cadre.create": gettext_lazy("Cadre added"),
    "cadre.move": gettext_lazy("Cadre moved"),
    "cadre.deactivate": gettext_lazy("Cadre left"),
    "roster.import": gettext_lazy("Roster imported"),
    "unit.restructure": gettext_lazy("Units restructured"),
    "programme.assign": gettext_lazy("Programme assigned"),
    "completion.manual": gettext_lazy("Completion recorded by hand"),
    "completion.revoke": gettext_lazy("Completion revoked"),
    "questions.import": gettext_lazy("Questions imported"),
    "quiz.regrade": gettext_lazy("Quiz regraded"),
    "certificate.revoke": gettext_lazy("Certificate revoked"),
    "certificate.reissue": gettext_lazy("Certificate reissued"),
    "certificate.export": gettext_lazy("Unit certificates exported"),
    "target.create": gettext_lazy("Target set"),
    "report.snapshot": gettext_lazy("Figures frozen"),
    "report.export": gettext_lazy("Report exported"),
}

# What a roster import did to each row, as the import page names it.
IMPORT_COUNT_LABELS = {
    "create": gettext_lazy("New"),
    "update": gettext_lazy("Updated"),
    "move": gettext_lazy("Moved"),
    "deactivate": gettext_lazy("Left"),
    "unchanged": gettext_lazy("Unchanged"),
    "rejected": gettext_lazy("Rejected"),
}


def action_label(event) -> str:
    return str(ACTION_LABELS.get(event.action, event.action))


def audit_time(event) -> str:
    return date_format(timezone.localtime(event.at), "d/m/Y H:i:s")


def _day(value) -> str:
    try:
        return dt.date.fromisoformat(str(value)).strftime("%d/%m/%Y")
    except ValueError:
        return str(value)


def event_details(event) -> list[str]:
    """The few facts of an event worth a line each, in Vietnamese."""
    data = event.data or {}
    lines = []
    if event.object_repr:
        lines.append(event.object_repr)
    counts = data.get("counts")
    if isinstance(counts, dict) and event.action == "roster.import":
        lines.append(
            ", ".join(
                f"{IMPORT_COUNT_LABELS[key]}: {figure(counts[key])}"
                for key in IMPORT_COUNT_LABELS
                if counts.get(key)
            )
        )
    if data.get("memberships_moved") is not None:
        lines.append(_("Memberships moved: %(n)s") % {"n": figure(data["memberships_moved"])})
    if data.get("as_of"):
        lines.append(_("Figures as of %(day)s") % {"day": _day(data["as_of"])})
    if data.get("on"):
        lines.append(_("On %(day)s") % {"day": _day(data["on"])})
    if data.get("reason"):
        lines.append(_("Reason: %(reason)s") % {"reason": data["reason"]})
    return [line for line in lines if line]


def action_choices() -> list[tuple[str, str]]:
    """Every action named above, and any other one already in the log."""
    from ..models import AuditEvent

    actions = set(ACTION_LABELS) | set(
        AuditEvent.objects.order_by().values_list("action", flat=True).distinct()
    )
    return sorted(((a, str(ACTION_LABELS.get(a, a))) for a in actions), key=lambda c: c[1])
