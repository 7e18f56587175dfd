"""Reads that take the acting user. Every lookup a view makes goes through a
selector here, so "not yours" and "missing" are the same 404."""

import datetime as dt

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from .models import Cadre, Membership, OrgUnit, User
from .phone import parse_phone
from .text import fold


def units_visible_to(user: User) -> QuerySet[OrgUnit]:
    if not user.is_authenticated:
        return OrgUnit.objects.none()
    if user.is_administrator:
        return OrgUnit.objects.all()
    if user.is_hr_officer and user.scope_unit_id:
        return unit_subtree(user.scope_unit)
    return OrgUnit.objects.none()


def unit_subtree(unit: OrgUnit) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(path__startswith=unit.path, depth__gte=unit.depth)


def _one_or_404(queryset: QuerySet, pk):
    """The row with this id among those the user may see. An id typed by hand
    that is not a number is as missing as someone else's."""
    try:
        found = queryset.filter(pk=pk).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Http404
    return found


def unit_get_for_user(user: User, pk) -> OrgUnit:
    return _one_or_404(units_visible_to(user), pk)


def memberships_on(day: dt.date) -> QuerySet[Membership]:
    return Membership.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )


def cadres_visible_to(user: User, *, on: dt.date | None = None) -> QuerySet[Cadre]:
    """Cadres whose membership on ``on`` (default: today) lies in the user's scope.

    A cadre sees only themself; an HR officer their subtree; an administrator all.
    """
    if not user.is_authenticated:
        return Cadre.objects.none()
    if user.is_administrator:
        return Cadre.objects.all()
    if user.is_hr_officer and user.scope_unit_id:
        day = on or timezone.localdate()
        scope = user.scope_unit
        member_ids = memberships_on(day).filter(
            unit__path__startswith=scope.path, unit__depth__gte=scope.depth
        )
        return Cadre.objects.filter(pk__in=member_ids.values("cadre_id"))
    return Cadre.objects.filter(user=user)


def cadre_get_for_user(user: User, pk) -> Cadre:
    return _one_or_404(cadres_visible_to(user), pk)


def cadre_of(user: User) -> Cadre | None:
    if not user.is_authenticated:
        return None
    return Cadre.objects.filter(user=user).first()


SEARCH_MAX_WORDS = 8


def cadre_search(queryset: QuerySet[Cadre], query: str) -> QuerySet[Cadre]:
    """Diacritic-insensitive search: "nguyen" finds "Nguyễn", "hoa" finds "Hòa" and "Hoà".

    At most SEARCH_MAX_WORDS distinct words count: each is a condition, and a
    thousand of them is more than the database will parse.
    """
    words = list(dict.fromkeys(fold(query).split()))[:SEARCH_MAX_WORDS]
    for word in words:
        queryset = queryset.filter(search_text__contains=word)
    return queryset


def user_with_phone(value: str) -> User | None:
    """The login of the cadre whose roster entry has this phone number, in any spelling."""
    phone = parse_phone(value)
    if not phone:
        return None
    cadre = Cadre.objects.filter(phone=phone, user__isnull=False).select_related("user").first()
    return cadre.user if cadre is not None else None


def user_for_login(login: str) -> User | None:
    """Who a person means by what they type to sign in: their username, else
    the phone number on their roster entry."""
    login = (login or "").strip()
    if not login:
        return None
    return User.objects.filter(username=login).first() or user_with_phone(login)


# The roster's "login" filter: a cadre without a login, with one whose password
# was never set (an activation code may be pending), or who never signed in.
LOGIN_NONE = "chua-co"
LOGIN_NOT_ACTIVATED = "chua-kich-hoat"
LOGIN_NEVER_USED = "chua-dang-nhap"


def cadres_by_login_state(queryset: QuerySet[Cadre], state: str) -> QuerySet[Cadre]:
    from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX

    if state == LOGIN_NONE:
        return queryset.filter(user__isnull=True)
    if state == LOGIN_NOT_ACTIVATED:
        return queryset.filter(user__password__startswith=UNUSABLE_PASSWORD_PREFIX)
    if state == LOGIN_NEVER_USED:
        return queryset.filter(Q(user__isnull=True) | Q(user__last_login__isnull=True))
    return queryset


def open_membership(cadre: Cadre) -> Membership | None:
    """The membership with no end: today's, or one a move has announced for a
    later day. Moves and departures close this one."""
    return cadre.memberships.filter(valid_to__isnull=True).order_by("-valid_from").first()


def current_membership(cadre: Cadre) -> Membership | None:
    today = timezone.localdate()
    return (
        memberships_on(today)
        .filter(cadre=cadre)
        .select_related("unit")
        .order_by("-valid_from")
        .first()
    )
