from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import PreviewableMixin

from cadres.models import Cadre, OrgUnit
from cadres.private_files import TokenName, private_storage
from cadres.text import nfc
from config.pdf import fonts
from courses.models import Completion, CoursePage, Programme

from .numbering import NumberPatternError, number_format, number_pattern_check, patterns_collide
from .placeholders import PlaceholderError, body_check

DEFAULT_ISSUER = "ỦY BAN MTTQ VIỆT NAM TỈNH THÁI NGUYÊN"
DEFAULT_BODY = (
    "Ngày sinh: {date_of_birth}\n"
    "Đơn vị: {unit}\n"
    "Đã hoàn thành chương trình bồi dưỡng\n"
    "{course}\n"
    "Kết quả: {score}\n"
    "Ngày hoàn thành: {date}"
)


class CertificateTemplate(PreviewableMixin, ClusterableModel):
    """How a certificate looks and how it is numbered; edited by an administrator."""

    class Border(models.TextChoices):
        DOUBLE = "double", _("Double red frame")
        SIMPLE = "simple", _("Single thin frame")
        NONE = "none", _("No frame")

    name = models.CharField(_("template name"), max_length=120)
    is_default = models.BooleanField(
        _("default template"),
        default=False,
        help_text=_("Used for every course and programme that has no template of its own."),
    )
    parent_body = models.CharField(
        _("superior body"),
        max_length=200,
        blank=True,
        help_text=_("Printed small above the issuing body, e.g. ỦY BAN TRUNG ƯƠNG MTTQ VIỆT NAM."),
    )
    issuer = models.CharField(
        _("issuing body"),
        max_length=200,
        default=DEFAULT_ISSUER,
        help_text=_(
            "Numbers run in one sequence per issuing body and year, so keep this name stable."
        ),
    )
    show_national_motto = models.BooleanField(_("print the national motto block"), default=True)
    national_name = models.CharField(
        _("national title (Quốc hiệu)"),
        max_length=200,
        default="CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    )
    motto = models.CharField(
        _("motto (Tiêu ngữ)"), max_length=200, default="Độc lập - Tự do - Hạnh phúc"
    )
    title = models.CharField(_("title"), max_length=120, default="GIẤY CHỨNG NHẬN")
    recipient_label = models.CharField(
        _("text before the name"), max_length=120, default="Chứng nhận Ông/Bà:"
    )
    body = models.TextField(
        _("body"),
        default=DEFAULT_BODY,
        help_text=_(
            "One line per paragraph. Placeholders: {name}, {date_of_birth}, {unit}, {course}, "
            "{score}, {date}. A line whose placeholder has no value (e.g. an unknown date of "
            "birth) is left out."
        ),
    )
    place = models.CharField(
        _("place"),
        max_length=60,
        default="Thái Nguyên",
        help_text=_('Printed as "Thái Nguyên, ngày 05 tháng 03 năm 2026".'),
    )
    signatory_capacity = models.CharField(
        _("signing on behalf of"), max_length=120, default="TM. BAN THƯỜNG TRỰC", blank=True
    )
    signatory_title = models.CharField(
        _("signatory's title"), max_length=120, default="CHỦ TỊCH", blank=True
    )
    signatory_name = models.CharField(
        _("signatory's name"),
        max_length=120,
        blank=True,
        help_text=_(
            "Printed under the title, e.g. Nguyễn Văn A. Certificates keep the name they were "
            "issued with; change it here when the chair changes."
        ),
    )
    signature_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("PNG with a transparent background works best."),
    )
    seal_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("seal image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    background_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("background image"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Stretched over the whole A4 landscape page; keep it light and small."),
    )
    border = models.CharField(
        _("frame"), max_length=10, choices=Border.choices, default=Border.DOUBLE
    )
    font_family = models.CharField(
        _("font"), max_length=40, choices=fonts.FAMILY_CHOICES, default=fonts.DEFAULT_FAMILY
    )
    number_pattern = models.CharField(
        _("numbering pattern"),
        max_length=80,
        default="{seq:05d}/{year}/CN-MTTQ",
        help_text=_("{seq} is the running number in the year, {year} the year of issue."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("is_default"),
        MultiFieldPanel(
            [
                FieldPanel("parent_body"),
                FieldPanel("issuer"),
                FieldPanel("show_national_motto"),
                FieldPanel("national_name"),
                FieldPanel("motto"),
            ],
            heading=_("Heading"),
        ),
        MultiFieldPanel(
            [FieldPanel("title"), FieldPanel("recipient_label"), FieldPanel("body")],
            heading=_("Content"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("place"),
                FieldPanel("signatory_capacity"),
                FieldPanel("signatory_title"),
                FieldPanel("signatory_name"),
                FieldPanel("signature_image"),
                FieldPanel("seal_image"),
            ],
            heading=_("Signature"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("border"),
                FieldPanel("background_image"),
                FieldPanel("font_family"),
                FieldPanel("number_pattern"),
            ],
            heading=_("Appearance and numbering"),
        ),
        InlinePanel("assignments", label=_("Used for")),
    ]

    class Meta:
        verbose_name = _("certificate template")
        verbose_name_plural = _("certificate templates")
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"], condition=Q(is_default=True), name="one_default_template"
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        for field in (
            "name",
            "parent_body",
            "issuer",
            "national_name",
            "motto",
            "title",
            "recipient_label",
            "place",
            "signatory_capacity",
            "signatory_title",
            "signatory_name",
        ):
            setattr(self, field, nfc(getattr(self, field)))
        self.body = "\n".join(nfc(line) for line in self.body.splitlines())
        super().save(*args, **kwargs)

    def clean(self):
        errors: dict[str, list] = {}
        try:
            number_pattern_check(self.number_pattern)
        except NumberPatternError as exc:
            errors.setdefault("number_pattern", []).append(str(exc))
        else:
            others = CertificateTemplate.objects.exclude(pk=self.pk).exclude(
                issuer=nfc(self.issuer)
            )
            clash = next(
                (o for o in others if patterns_collide(o.number_pattern, self.number_pattern)),
                None,
            )
            if clash is not None:
                errors.setdefault("number_pattern", []).append(
                    _(
                        "The template “%(name)s” of another issuing body uses the same pattern; "
                        "numbers would collide. Add something that tells the bodies apart."
                    )
                    % {"name": clash.name}
                )
        try:
            body_check(self.body)
        except PlaceholderError as exc:
            errors.setdefault("body", []).append(str(exc))
        try:
            fonts.family_check(self.font_family)
        except fonts.FontMissing as exc:
            errors.setdefault("font_family", []).append(str(exc))
        for field in ("signature_image", "seal_image", "background_image"):
            image = getattr(self, field)
            if image is not None and not _image_readable(image):
                errors.setdefault(field, []).append(
                    _(
                        "The image file “%(file)s” is missing or is not a PNG or JPEG image. "
                        "Upload it again."
                    )
                    % {"file": image.file.name}
                )
        if errors:
            raise ValidationError(errors)

    def sample_number(self) -> str:
        return number_format(self.number_pattern, seq=1, year=timezone.localdate().year)

    # Wagtail preview: a sample PDF, nothing issued.
    def serve_preview(self, request, mode_name):
        from django.http import HttpResponse

        from .rendering import render_sample

        response = HttpResponse(render_sample(template=self), content_type="application/pdf")
        response["Content-Disposition"] = 'inline; filename="mau-chung-nhan.pdf"'
        return response


def _image_readable(image) -> bool:
    from PIL import Image as PILImage

    try:
        with image.file.storage.open(image.file.name, "rb") as handle:
            with PILImage.open(handle) as picture:
                picture.verify()
                return picture.format in ("PNG", "JPEG")
    except (OSError, ValueError, SyntaxError):
        return False


class TemplateAssignment(models.Model):
    """Which template a course or a programme uses. Lives here, because courses
    must not know about certificates."""

    template = ParentalKey(
        CertificateTemplate, on_delete=models.CASCADE, related_name="assignments"
    )
    course = models.OneToOneField(
        CoursePage,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    programme = models.OneToOneField(
        Programme,
        verbose_name=_("training programme"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )

    panels = [FieldPanel("course"), FieldPanel("programme")]

    class Meta:
        verbose_name = _("template use")
        verbose_name_plural = _("template uses")
        constraints = [
            models.CheckConstraint(
                condition=Q(course__isnull=False, programme__isnull=True)
                | Q(course__isnull=True, programme__isnull=False),
                name="assignment_course_xor_programme",
            )
        ]

    def __str__(self) -> str:
        return str(self.course or self.programme)

    def clean(self):
        if (self.course_id is None) == (self.programme_id is None):
            raise ValidationError(_("Choose either a course or a programme."))


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


class CertificateExport(models.Model):
    """A ZIP of a unit's certificates, built in the background for one HR officer."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(
        storage=private_storage, upload_to=TokenName("certificate-exports", ".zip"), blank=True
    )
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("certificate download")
        verbose_name_plural = _("certificate downloads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.unit} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0
