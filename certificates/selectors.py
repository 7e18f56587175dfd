"""Reads that take the acting user, and the public lookup for verification."""

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from cadres.models import Cadre, OrgUnit, User
from cadres.selectors import cadres_visible_to, memberships_on

from .models import Certificate, CertificateExport


def issued(queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """Certificates that have a file: valid, or revoked/superseded after issue."""
    return (
        queryset.filter(issued_at__isnull=False)
        .exclude(sha256="")
        .exclude(status=Certificate.Status.PENDING)
    )


def certificates_visible_to(user: User) -> QuerySet[Certificate]:
    """A cadre: their own; an HR officer: their unit subtree; an administrator: all."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    if user.is_administrator:
        return issued(Certificate.objects.all())
    if user.is_hr_officer:
        return issued(Certificate.objects.filter(cadre__in=cadres_visible_to(user)))
    return issued(Certificate.objects.filter(cadre__user=user))


def certificate_get_for_user(user: User, pk) -> Certificate:
    certificate = certificates_visible_to(user).filter(pk=pk).first()
    if certificate is None:
        raise Http404
    return certificate


def certificates_of(user: User) -> QuerySet[Certificate]:
    """The signed-in cadre's own certificates, whatever their role."""
    if not user.is_authenticated:
        return Certificate.objects.none()
    return issued(Certificate.objects.filter(cadre__user=user))


def certificate_public(*, code: str | None = None, number: str | None = None):
    """An issued certificate by verification code or by number; None when unknown."""
    queryset = issued(Certificate.objects.select_related("superseded_by"))
    if code:
        return queryset.filter(code=code).first()
    if number:
        return queryset.filter(number=number).first()
    return None


def certificate_public_number_match(*, number: str, holder_name: str):
    """The issued certificate with this number if it was issued to this name
    (compared without case, spacing or diacritics); None otherwise."""
    from cadres.text import fold

    certificate = certificate_public(number=number)
    if certificate is None or fold(certificate.holder_name) != fold(holder_name):
        return None
    return certificate


def certificate_public_by_hash(digest: str):
    return issued(Certificate.objects.all()).filter(sha256=digest).first()


def certificates_of_unit(unit: OrgUnit) -> QuerySet[Certificate]:
    """Issued certificates of the cadres currently in the unit's subtree."""
    return issued(Certificate.objects.filter(cadre__in=cadres_in_unit(unit)))


def cadres_in_unit(unit: OrgUnit) -> QuerySet[Cadre]:
    ids = memberships_on(timezone.localdate()).filter(
        unit__path__startswith=unit.path, unit__depth__gte=unit.depth
    )
    return Cadre.objects.filter(pk__in=ids.values("cadre_id"))


def export_get_for_user(user: User, pk) -> CertificateExport:
    export = CertificateExport.objects.filter(pk=pk, requested_by=user).first()
    if export is None or not user.is_authenticated:
        raise Http404
    return export
