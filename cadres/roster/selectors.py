"""Reads for the HR officer's roster pages, narrowed to what the user may see."""

from urllib.parse import urlencode

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from ..models import (
    ActivationCodeBatch,
    OrgUnit,
    Restructuring,
    RosterImport,
    RosterImportRow,
    User,
)
from ..selectors import units_visible_to


def is_roster_keeper(user: User) -> bool:
    return user.is_authenticated and (user.is_hr_officer or user.is_administrator)


def units_current_for(user: User) -> QuerySet[OrgUnit]:
    """Units in scope that exist today: where a cadre can be put."""
    today = timezone.localdate()
    return (
        units_visible_to(user)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=today))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by("path")
    )


def activation_url(username: str = "") -> str:
    """The activation page's full address (``SITE_URL``), for printing on a
    slip; with a username it opens with that username filled in."""
    url = settings.SITE_URL.rstrip("/") + reverse("account_activate")
    return f"{url}?{urlencode({'u': username})}" if username else url


def roster_imports_visible_to(user: User) -> QuerySet[RosterImport]:
    if not is_roster_keeper(user):
        return RosterImport.objects.none()
    return RosterImport.objects.filter(unit__in=units_visible_to(user)).select_related("unit")


def roster_import_get_for_user(user: User, pk) -> RosterImport:
    found = roster_imports_visible_to(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def restructuring_get_for_user(user: User, pk) -> Restructuring:
    found = Restructuring.objects.filter(pk=pk)
    if not user.is_administrator:
        found = found.filter(created_by=user)
    found = found.first() if is_roster_keeper(user) else None
    if found is None:
        raise Http404
    return found


def roster_import_rows(roster_import: RosterImport, action: str = ""):
    """The planned rows of an import's latest check, in file order, one action or all."""
    rows = RosterImportRow.objects.filter(roster_import=roster_import).order_by("number", "id")
    return rows.filter(action=action) if action else rows


def activation_batch_get_for_user(user: User, pk) -> ActivationCodeBatch:
    """A list of activation codes: only the officer who asked for it may see it."""
    found = None
    if is_roster_keeper(user):
        found = (
            ActivationCodeBatch.objects.filter(pk=pk, requested_by=user)
            .select_related("unit")
            .first()
        )
    if found is None:
        raise Http404
    return found
