"""Certificate templates: how a certificate looks and how it is numbered, and
which courses and programmes use which template."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import PreviewableMixin

from cadres.text import nfc
from config.pdf import fonts
from courses.models import CoursePage, Programme

from ..numbering import NumberPatternError, number_format, number_pattern_check, patterns_collide
from ..placeholders import PlaceholderError, body_check

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

        from ..rendering import render_sample

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
