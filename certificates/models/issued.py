"""Issued certificates and the gap-free number sequences they draw from."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre
from cadres.private_files import TokenName, private_storage
from courses.models import Completion, CoursePage, Programme

from .templates import CertificateTemplate


class NumberSequence(models.Model):
    """The last number given by an issuing body in a year. Locked row by row,
    inside the transaction that gives the number, so numbers are gap-free."""

    issuer = models.CharField(max_length=200)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "year"], name="number_sequence_unique")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.year}: {self.last}"


def code_display(code: str) -> str:
    """A verification code as printed and shown: in groups of four."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


class Certificate(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Being issued")
        VALID = "valid", _("Valid")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    # A record, not content: Wagtail's "usage" index would add four rows and
    # five queries to every save of every certificate (two per issuance) to list
    # thousands of certificates under a course or template nobody may delete anyway
    # (the foreign keys protect them).
    wagtail_reference_index_ignore = True

    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.PROTECT, related_name="certificates"
    )
    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("training programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    completion = models.ForeignKey(
        Completion,
        verbose_name=_("completion"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The course completion that led to this certificate."),
    )
    template = models.ForeignKey(
        CertificateTemplate,
        verbose_name=_("template"),
        on_delete=models.PROTECT,
        related_name="certificates",
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    code = models.CharField(_("verification code"), max_length=32, unique=True)
    number = models.CharField(_("number"), max_length=80, blank=True)
    # What the PDF says, frozen when the number is given: a re-render after a
    # crash prints the same thing, and the public page shows what was printed.
    issuer = models.CharField(_("issuing body"), max_length=200, blank=True)
    holder_name = models.CharField(_("holder"), max_length=200, blank=True)
    holder_unit = models.CharField(_("unit"), max_length=255, blank=True)
    holder_date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    subject = models.CharField(_("course or programme"), max_length=255, blank=True)
    score = models.CharField(_("result"), max_length=40, blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    # Who signed: the chair changes, a certificate keeps the name it was issued with.
    signatory_capacity = models.CharField(_("signing on behalf of"), max_length=120, blank=True)
    signatory_title = models.CharField(_("signatory's title"), max_length=120, blank=True)
    signatory_name = models.CharField(_("signatory's name"), max_length=120, blank=True)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now, db_index=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    pdf = models.FileField(
        _("PDF file"),
        storage=private_storage,
        upload_to=TokenName("certificates", ".pdf"),
        blank=True,
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True, db_index=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("revoked by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoke_reason = models.TextField(_("revocation reason"), blank=True)
    superseded_by = models.ForeignKey(
        "self",
        verbose_name=_("superseded by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
    )

    class Meta:
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        ordering = ["-issued_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, programme__isnull=True)
                | Q(course__isnull=True, programme__isnull=False),
                name="certificate_course_xor_programme",
            ),
            models.UniqueConstraint(
                fields=["cadre", "course"],
                condition=Q(status__in=["pending", "valid"], course__isnull=False),
                name="one_live_course_certificate",
            ),
            models.UniqueConstraint(
                fields=["cadre", "programme"],
                condition=Q(status__in=["pending", "valid"], programme__isnull=False),
                name="one_live_programme_certificate",
            ),
            models.UniqueConstraint(
                fields=["number"], condition=~Q(number=""), name="certificate_number_unique"
            ),
        ]
        indexes = [models.Index(fields=["status", "requested_at"])]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("certificates:verify", args=[self.code])

    @property
    def code_display(self) -> str:
        return code_display(self.code)
