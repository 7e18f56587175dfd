"""Programmes: whom they apply to, and which an HR officer manages or reads."""

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cadres.models import Cadre, OrgUnit, User
from cadres.selectors import memberships_on, units_visible_to

from ..models import Programme


def programme_population(programme: Programme):
    """Cadres the programme applies to today: the unit subtree, filtered."""
    unit = programme.unit
    memberships = memberships_on(timezone.localdate()).filter(
        unit__path__startswith=unit.path, unit__depth__gte=unit.depth
    )
    if programme.full_time_only:
        memberships = memberships.filter(is_full_time=True)
    if programme.position_list:
        memberships = memberships.filter(position__in=programme.position_list)
    return Cadre.objects.filter(status=Cadre.Status.ACTIVE, pk__in=memberships.values("cadre_id"))


def programmes_over(*, cadre: Cadre) -> QuerySet:
    """Programmes set on a unit the cadre belongs to today, or on one above it:
    the only ones whose population can include them."""
    steplen = OrgUnit.steplen
    paths = (
        memberships_on(timezone.localdate())
        .filter(cadre=cadre)
        .values_list("unit__path", flat=True)
    )
    above = {path[:end] for path in paths for end in range(steplen, len(path) + 1, steplen)}
    return Programme.objects.filter(unit__path__in=above).order_by("pk")


def programmes_visible_to(user: User) -> QuerySet:
    """Administrators see every programme; an HR officer those of their subtree."""
    if not user.is_authenticated:
        return Programme.objects.none()
    if user.is_administrator:
        return Programme.objects.all()
    if user.is_hr_officer:
        return Programme.objects.filter(unit__in=units_visible_to(user))
    return Programme.objects.none()


def programmes_applying_to(user: User) -> QuerySet:
    """Programmes an HR officer reads: those of their subtree, which they
    manage, and those set higher up whose population covers their unit."""
    managed = programmes_visible_to(user)
    if user.is_authenticated and user.is_hr_officer and user.scope_unit_id:
        scope = user.scope_unit
        above = scope.get_ancestors().values("pk")
        return Programme.objects.filter(Q(pk__in=managed.values("pk")) | Q(unit__in=above))
    return managed


def programme_for_manager(user: User, programme_id):
    programme = programmes_visible_to(user).select_related("unit").filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    return programme
