"""Writes to accounts: a user's role (and the groups that carry it), and the
one-time activation codes with which a cadre without email sets a first
password."""

import datetime as dt
import secrets
from functools import lru_cache

from django.conf import settings
from django.contrib.auth.hashers import check_password, get_hasher, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import ratelimit
from ..audit.services import audit_record
from ..errors import ApplicationError
from ..models import Cadre, OrgUnit, User
from ..network import client_ip
from ..selectors import current_membership, user_for_login
from .logins import canonical_login
from .roles import sync_groups

ACTIVATION_CODE_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
ACTIVATION_CODE_DAYS = 30


@transaction.atomic
def user_set_role(
    *,
    user: User,
    role: str,
    scope_unit: OrgUnit | None = None,
    by: User | None = None,
    request: HttpRequest | None = None,
) -> User:
    before = {"role": user.role, "scope_unit": user.scope_unit_id}
    user.role = role
    user.scope_unit = scope_unit
    user.is_staff = role in (User.Role.TRAINER, User.Role.HR_OFFICER, User.Role.ADMINISTRATOR)
    user.save(update_fields=["role", "scope_unit", "is_staff"])
    sync_groups(user)
    audit_record(
        action="account.role_change",
        actor=by,
        request=request,
        unit=scope_unit,
        obj=user,
        data={"before": before, "after": {"role": role, "scope_unit": user.scope_unit_id}},
    )
    return user


def login_unit(user: User) -> OrgUnit | None:
    """The unit a login's events belong to: its cadre's unit today, so that the
    unit's HR officers see them in their audit log."""
    cadre = Cadre.objects.filter(user=user).first()
    membership = current_membership(cadre) if cadre is not None else None
    return membership.unit if membership is not None else None


def activation_code_set(
    *, user: User, by: User | None = None, request: HttpRequest | None = None
) -> str:
    """Give a user without email a one-time code to set their first password."""
    code = "".join(secrets.choice(ACTIVATION_CODE_ALPHABET) for _ in range(10))
    user.activation_code_hash = make_password(code)
    user.activation_code_expires = timezone.now() + dt.timedelta(days=ACTIVATION_CODE_DAYS)
    user.save(update_fields=["activation_code_hash", "activation_code_expires"])
    audit_record(
        action="account.activation_code",
        actor=by,
        request=request,
        unit=login_unit(user),
        obj=user,
    )
    return code


class ActivationError(ApplicationError):
    pass


ACTIVATION_WINDOW_SECONDS = 3600


@lru_cache(maxsize=4)
def _dummy_code_hash(hasher: str) -> str:
    # Checked when there is no pending code, so that a username with a pending
    # code does not answer slower than one without (a list of new accounts).
    return make_password(secrets.token_hex(8), hasher=hasher)


def _activation_attempt_allowed(*, username: str, request: HttpRequest | None) -> bool:
    try:
        login = canonical_login(username)
    except ValidationError:
        login = username.strip().lower()
    checks = [("user", login, settings.CADRES_ACTIVATION_ATTEMPTS_PER_USERNAME)]
    if request is not None:
        checks.append(("ip", client_ip(request) or "-", settings.CADRES_ACTIVATION_ATTEMPTS_PER_IP))
    # Every counter is consumed, even past the first refusal: an address that
    # keeps guessing stays blocked for the whole window.
    results = [
        ratelimit.consume(
            f"activation:{scope}", key, limit=limit, window_seconds=ACTIVATION_WINDOW_SECONDS
        )
        for scope, key, limit in checks
    ]
    return all(results)


@transaction.atomic
def activation_code_redeem(
    *, username: str, code: str, new_password: str, request: HttpRequest | None = None
) -> User:
    """``username`` is what the cadre typed: the username or their phone number."""
    if not _activation_attempt_allowed(username=username, request=request):
        raise ActivationError(
            _(
                "Too many attempts. Try again in an hour, or ask your HR officer "
                "for a new activation code."
            )
        )
    named = user_for_login(username)
    user = (
        User.objects.select_for_update().filter(pk=named.pk, is_active=True).first()
        if named is not None
        else None
    )
    pending = bool(
        user is not None
        and user.activation_code_hash
        and user.activation_code_expires
        and user.activation_code_expires > timezone.now()
    )
    encoded = user.activation_code_hash if pending else _dummy_code_hash(get_hasher().algorithm)
    matches = check_password(code.strip().upper().replace("-", ""), encoded)
    if not (pending and matches):
        raise ActivationError(
            _("The username or activation code is wrong, or the code has expired.")
        )
    validate_password(new_password, user)
    user.set_password(new_password)
    user.activation_code_hash = ""
    user.activation_code_expires = None
    user.save(update_fields=["password", "activation_code_hash", "activation_code_expires"])
    audit_record(
        action="account.activated", actor=user, request=request, unit=login_unit(user), obj=user
    )
    return user
