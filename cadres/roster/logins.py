"""Logins and activation codes for cadres on the roster: a username from the
cadre code or phone number, no password until the cadre redeems a code."""

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from ..accounts.services import activation_code_set, login_unit
from ..audit.services import audit_record
from ..errors import RosterImportError
from ..models import Cadre, User
from ..text import fold

BATCH = 1000


def _chunks(items: list, size: int = 2000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def login_username(cadre: Cadre) -> str:
    """The cadre code, folded to plain lower-case letters, else the phone number."""
    if cadre.cadre_code:
        return "".join(ch for ch in fold(cadre.cadre_code) if ch.isalnum() or ch in "._-")[:150]
    return cadre.phone or ""


def create_logins(cadres: list[Cadre]) -> int:
    wanted = {}
    for cadre in cadres:
        if cadre.user_id is None and login_username(cadre):
            wanted.setdefault(login_username(cadre), cadre)
    taken = set()
    names = list(wanted)
    for chunk in _chunks(names):
        taken |= set(User.objects.filter(username__in=chunk).values_list("username", flat=True))
    unusable = make_password(None)
    users = [
        User(username=name, password=unusable, email=cadre.email, role=User.Role.CADRE)
        for name, cadre in wanted.items()
        if name not in taken
    ]
    User.objects.bulk_create(users, batch_size=BATCH)
    linked = []
    for user in users:
        cadre = wanted[user.username]
        cadre.user_id = user.pk
        linked.append(cadre)
    Cadre.objects.bulk_update(linked, ["user"], batch_size=BATCH)
    return len(users)


@transaction.atomic
def cadre_login_create(
    *, cadre: Cadre, by: User | None, request: HttpRequest | None = None
) -> User:
    """Give a cadre a login (username from cadre code or phone), without a password."""
    if cadre.user_id:
        return cadre.user
    username = login_username(cadre)
    if not username:
        raise RosterImportError(
            _("This cadre has no cadre code or phone number to make a username from.")
        )
    if User.objects.filter(username=username).exists():
        raise RosterImportError(_("The username “%(name)s” is already taken.") % {"name": username})
    user = User(username=username, email=cadre.email, role=User.Role.CADRE)
    user.set_unusable_password()
    user.save()
    cadre.user = user
    cadre.save(update_fields=["user", "updated_at"])
    audit_record(
        action="account.create", actor=by, request=request, unit=login_unit(user), obj=user
    )
    return user


def activation_codes_issue(
    *, cadres: list[Cadre], by: User | None, request: HttpRequest | None = None
) -> list[tuple[Cadre, str, str]]:
    """A fresh one-time code for each cadre (creating logins where missing).

    Codes are stored hashed, so a printed list is the only copy; issuing again
    replaces the earlier codes. Returns (cadre, username, code)."""
    issued = []
    for cadre in cadres:
        if cadre.status != Cadre.Status.ACTIVE:
            continue
        with transaction.atomic():
            user = cadre_login_create(cadre=cadre, by=by, request=request)
            if user.has_usable_password() and user.last_login:
                continue
            code = activation_code_set(user=user, by=by, request=request)
        issued.append((cadre, user.username, f"{code[:5]}-{code[5:]}"))
    return issued
