"""Signals this app owns, and the audit of sign-ins.

Handlers only hand over to services; no rules live here.
"""

from allauth.mfa import signals as mfa_signals
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from .models import User

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


@receiver(mfa_signals.authentication_failed)
def _audit_mfa_failed(sender, request, user, authenticator, reauthentication=False, **kwargs):
    from .services import audit_record

    audit_record(
        action="auth.mfa_failed",
        actor=user,
        request=request,
        obj=user,
        data={"type": authenticator.type, "reauthentication": bool(reauthentication)},
    )


@receiver(mfa_signals.authenticator_added)
@receiver(mfa_signals.authenticator_removed)
def _audit_mfa_change(sender, signal, request, user, authenticator, **kwargs):
    from .services import audit_record

    added = signal is mfa_signals.authenticator_added
    audit_record(
        action="auth.mfa_added" if added else "auth.mfa_removed",
        actor=user,
        request=request,
        obj=user,
        data={"type": authenticator.type},
    )


@receiver(post_save, sender=User)
@receiver(post_delete, sender=User)
def _forget_cached_user(sender, instance, **kwargs):
    from .accounts.backends import forget_user

    forget_user(instance.pk)
