"""Programmes: required courses assigned to a population with a deadline."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from cadres.models import OrgUnit

from .pages import CoursePage


class PopulationFilter(models.Model):
    """Which cadres of a unit subtree are meant: all, or only full-time ones,
    or only some positions. Programmes and report targets both narrow their
    population this way."""

    full_time_only = models.BooleanField(_("full-time cadres only"), default=False)
    positions = models.CharField(
        _("positions"),
        max_length=255,
        blank=True,
        help_text=_("Comma-separated; leave empty for every position."),
    )

    class Meta:
        abstract = True

    @property
    def position_list(self) -> list[str]:
        return [p.strip() for p in self.positions.split(",") if p.strip()]


class Programme(ClusterableModel, PopulationFilter):
    """A set of required courses assigned to a population with a deadline."""

    name = models.CharField(_("programme name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="programmes",
        help_text=_("Applies to this unit and every unit under it."),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    is_optional = models.BooleanField(_("optional"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("unit"),
        FieldPanel("full_time_only"),
        FieldPanel("positions"),
        FieldPanel("deadline"),
        FieldPanel("is_optional"),
        InlinePanel("programme_courses", label=_("course")),
    ]

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programme")

    def __str__(self) -> str:
        return self.name


class ProgrammeCourse(Orderable):
    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="programme_courses")
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+"
    )
    required = models.BooleanField(_("required"), default=True)

    panels = [FieldPanel("course"), FieldPanel("required")]

    class Meta(Orderable.Meta):
        verbose_name = _("programme course")
        constraints = [
            models.UniqueConstraint(fields=["programme", "course"], name="programme_course_unique")
        ]
