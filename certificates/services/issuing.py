"""Numbering, freezing and rendering a pending certificate (steps 2 and 3 of
the lifecycle in :mod:`certificates.services`)."""

import datetime as dt

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Max
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.selectors import course_score
from cadres.selectors import current_membership
from cadres.services import file_sha256, notification_send
from cadres.text import nfc
from courses.models import Completion, ProgrammeCourse

from ..models import Certificate, NumberSequence
from ..numbering import number_format
from ..placeholders import percent_text
from ..rendering import certificate_renderer


def number_next(*, issuer: str, year: int) -> int:
    """The next number of an issuer's yearly sequence. Must run inside the
    transaction that stores the number: the counter row stays locked until it
    commits, and a rollback gives the number back, so there are no gaps."""
    sequence = NumberSequence.objects.filter(issuer=issuer, year=year)
    # The increment itself takes the row lock, so the common case is two queries.
    if not sequence.update(last=F("last") + 1):
        NumberSequence.objects.bulk_create(
            [NumberSequence(issuer=issuer, year=year)], ignore_conflicts=True
        )
        sequence.update(last=F("last") + 1)
    return sequence.values_list("last", flat=True).get()


def certificate_freeze(certificate: Certificate) -> None:
    """Give the number and fix what the PDF will say. Inside a transaction."""
    template = certificate.template
    now = timezone.now()
    cadre = certificate.cadre
    membership = current_membership(cadre)
    certificate.issuer = template.issuer
    certificate.signatory_capacity = template.signatory_capacity
    certificate.signatory_title = template.signatory_title
    certificate.signatory_name = template.signatory_name
    certificate.holder_name = cadre.full_name
    certificate.holder_date_of_birth = cadre.date_of_birth
    certificate.holder_unit = membership.unit.name if membership else ""
    if certificate.course_id:
        certificate.subject = nfc(certificate.course.title)
        score = course_score(cadre=cadre, course=certificate.course)
        certificate.score = percent_text(score) if score is not None else ""
    else:
        # A programme spans courses whose quizzes differ; no one figure stands for it.
        certificate.subject = nfc(certificate.programme.name)
    certificate.completed_on = _completed_on(certificate)
    certificate.issued_at = now
    year = timezone.localdate(now).year
    seq = number_next(issuer=template.issuer, year=year)
    certificate.number = number_format(template.number_pattern, seq=seq, year=year)
    certificate.save(
        update_fields=[
            "issuer",
            "signatory_capacity",
            "signatory_title",
            "signatory_name",
            "holder_name",
            "holder_date_of_birth",
            "holder_unit",
            "subject",
            "score",
            "completed_on",
            "issued_at",
            "number",
        ]
    )


def _completed_on(certificate: Certificate) -> dt.date | None:
    if certificate.course_id:
        when = certificate.completion.completed_at if certificate.completion else None
    else:
        required = ProgrammeCourse.objects.filter(
            programme_id=certificate.programme_id, required=True
        ).values("course_id")
        when = Completion.objects.filter(
            enrolment__cadre_id=certificate.cadre_id,
            enrolment__course_id__in=required,
            revoked_at__isnull=True,
        ).aggregate(last=Max("completed_at"))["last"]
    return timezone.localdate(when) if when else None


def certificate_issue(*, certificate_id: int) -> Certificate:
    """Number, render, store and announce a pending certificate. Safe to run any
    number of times, concurrently too: only the first run that gets there changes
    anything."""
    # The course or programme loads on its own: joining the page tables too made
    # PostgreSQL spend more time planning this query than running all the others.
    related = ("cadre__user", "completion", "template")
    with transaction.atomic():
        certificate = (
            Certificate.objects.select_for_update(of=("self",))
            .select_related(*related)
            .get(pk=certificate_id)
        )
        if certificate.status != Certificate.Status.PENDING:
            return certificate
        if not certificate.number:
            certificate_freeze(certificate)
    pdf = certificate_renderer().render(certificate)
    digest = file_sha256(pdf)
    with transaction.atomic():
        status = (
            Certificate.objects.select_for_update()
            .filter(pk=certificate_id)
            .values_list("status", flat=True)
            .get()
        )
        if status != Certificate.Status.PENDING:
            return Certificate.objects.get(pk=certificate_id)
        certificate.pdf.save("certificate.pdf", ContentFile(pdf), save=False)
        certificate.sha256 = digest
        certificate.status = Certificate.Status.VALID
        certificate.save(update_fields=["pdf", "sha256", "status"])
        _notify_issued(certificate)
    return certificate


def _notify_issued(certificate: Certificate) -> None:
    user = certificate.cadre.user
    if user is None or not user.is_active:
        return
    notification_send(
        user=user,
        kind="certificate_issued",
        title=_("You have received a certificate"),
        body=_("%(subject)s — certificate number %(number)s.")
        % {"subject": certificate.subject, "number": certificate.number},
        url=reverse("certificates:mine"),
        dedupe_key=f"certificate-issued:{certificate.pk}",
    )
