"""Issuing: number, render, store and announce pending certificates, one at a
time (``certificate_issue``, a learner's completion) or a batch at a time
(``certificates_issue``, an attendee report, the demo) — the same steps, see
:mod:`certificates.services` for why they are split as they are."""

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

from .models import Certificate, NumberSequence
from .numbering import number_format
from .placeholders import percent_text
from .rendering import certificate_renderer


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


def _freeze(certificate: Certificate) -> None:
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
    issued = certificates_issue(certificate_ids=[certificate_id])
    if not issued:
        raise Certificate.DoesNotExist(f"certificate {certificate_id}")
    return issued[0]


# Certificates frozen, rendered and stored together: each step is one
# transaction per batch, and the PDFs of a batch are held in memory between.
ISSUE_BATCH = 50


def certificates_issue(*, certificate_ids: list[int]) -> list[Certificate]:
    """:func:`certificate_issue` for many certificates, in the order given (their
    numbers follow it), a batch at a time: one transaction numbers a batch, one
    renderer draws it in this process, one transaction stores it. Returns the
    certificates that exist, as they now are."""
    done: list[Certificate] = []
    for start in range(0, len(certificate_ids), ISSUE_BATCH):
        done += _issue_batch(list(certificate_ids[start : start + ISSUE_BATCH]))
    return done


def _issue_batch(certificate_ids: list[int]) -> list[Certificate]:
    # The course or programme loads on its own: joining the page tables too made
    # PostgreSQL spend more time planning this query than running all the others.
    related = ("cadre__user", "completion", "template")
    with transaction.atomic():
        # Rows locked in id order, so two batches cannot deadlock.
        locked = {
            certificate.pk: certificate
            for certificate in Certificate.objects.select_for_update(of=("self",))
            .select_related(*related)
            .filter(pk__in=certificate_ids)
            .order_by("pk")
        }
        certificates = [locked[pk] for pk in dict.fromkeys(certificate_ids) if pk in locked]
        pending = [c for c in certificates if c.status == Certificate.Status.PENDING]
        for certificate in pending:
            if not certificate.number:
                _freeze(certificate)
    if not pending:
        return certificates
    renderer = certificate_renderer()
    rendered = [(certificate, renderer.render(certificate)) for certificate in pending]
    with transaction.atomic():
        still_pending = set(
            Certificate.objects.select_for_update()
            .filter(pk__in=[c.pk for c in pending], status=Certificate.Status.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for certificate, pdf in rendered:
            if certificate.pk in still_pending:
                _store(certificate, pdf)
    # Another run got there first: what it stored is the answer.
    overtaken = {c.pk for c in pending} - still_pending
    fresh = Certificate.objects.in_bulk(overtaken) if overtaken else {}
    return [fresh.get(c.pk, c) for c in certificates]


def _store(certificate: Certificate, pdf: bytes) -> None:
    certificate.pdf.save("certificate.pdf", ContentFile(pdf), save=False)
    certificate.sha256 = file_sha256(pdf)
    certificate.status = Certificate.Status.VALID
    certificate.save(update_fields=["pdf", "sha256", "status"])
    _notify_issued(certificate)


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
