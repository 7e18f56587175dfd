"""Signals this app owns, and the audit of sign-ins.

Handlers only hand over to services; no rules live here.
"""

from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.dispatch import Signal, receiver

# Sent after commit when a cadre starts a membership in a unit, so that
# programmes assigned to that unit can enrol them (courses listens).
cadre_joined_unit = Signal()


@receiver(user_logged_in)
def _audit_login(sender, request, user, **kwargs):
    from .services import audit_record

    audit_record(action="auth.login", actor=user, request=request, obj=user)


@receiver(user_login_failed)
def _audit_login_failed(sender, credentials, request=None, **kwargs):
    from .services import audit_record

    audit_record(
        action="auth.login_failed",
        request=request,
        data={"login": str(credentials.get("username") or credentials.get("email") or "")[:150]},
    )
