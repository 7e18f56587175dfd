from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import BackgroundJob, OrgUnit
from cadres.private_files import TokenName, private_storage
from courses.models import PopulationFilter, Programme


class Status(models.TextChoices):
    """Where a unit stands against its target on the report date.

    *On track* means the share trained is at least what a straight line from
    0 % on the target's start date to the target percentage on its deadline
    would have reached by the report date.
    """

    MET = "met", _("Target met")
    ON_TRACK = "on_track", _("On track")
    BEHIND = "behind", _("Behind")
    EMPTY = "empty", _("No cadres")
    NO_TARGET = "no_target", _("No target")


class Target(PopulationFilter):
    """A programme's goal for a unit subtree and a population, e.g. 100 % of
    full-time cadres trained by 31/12/2025."""

    programme = models.ForeignKey(
        Programme,
        verbose_name=_("training programme"),
        on_delete=models.PROTECT,
        related_name="targets",
    )
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Applies to this unit and every unit under it."),
    )
    percentage = models.PositiveSmallIntegerField(
        _("target percentage"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    starts_on = models.DateField(
        _("progress counted from"),
        default=timezone.localdate,
        help_text=_("“On track” compares progress with a straight line from this date."),
    )
    deadline = models.DateField(_("deadline"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["programme", "unit"], name="target_programme_unit"),
            models.CheckConstraint(
                condition=models.Q(percentage__gte=1, percentage__lte=100),
                name="target_percentage_range",
            ),
            models.CheckConstraint(
                condition=models.Q(deadline__gte=models.F("starts_on")),
                name="target_deadline_after_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.percentage}% — {self.unit} ({self.deadline:%d/%m/%Y})"


class Snapshot(models.Model):
    """Figures frozen ("chốt số liệu") as of a date. The rows are stored, never
    recomputed: later corrections to the roster or to completions do not
    change a snapshot."""

    target = models.ForeignKey(
        Target, verbose_name=_("target"), on_delete=models.PROTECT, related_name="snapshots"
    )
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    as_of = models.DateField(_("figures as of"))
    full_time_only = models.BooleanField(_("full-time cadres only"), default=False)
    unit_kind = models.CharField(_("unit kind"), max_length=32, blank=True)
    note = models.TextField(_("note"), blank=True)
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("frozen by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    frozen_by_name = models.CharField(_("frozen by"), max_length=255)
    frozen_at = models.DateTimeField(_("frozen at"), default=timezone.now)
    # What the report said when it was frozen, so a later edit of the target
    # or a renamed unit does not rewrite history.
    programme_name = models.CharField(_("training programme"), max_length=255)
    unit_name = models.CharField(_("unit"), max_length=255)
    target_percentage = models.PositiveSmallIntegerField(_("target percentage"))
    deadline = models.DateField(_("deadline"))
    in_scope = models.PositiveIntegerField(_("cadres in scope"))
    trained = models.PositiveIntegerField(_("trained"))

    class Meta:
        verbose_name = _("snapshot")
        verbose_name_plural = _("snapshots")
        ordering = ["-as_of", "-frozen_at"]
        indexes = [models.Index(fields=["target", "unit", "as_of"])]

    def __str__(self) -> str:
        return f"{self.programme_name} — {self.unit_name} ({self.as_of:%d/%m/%Y})"

    @property
    def percent(self) -> float | None:
        return self.trained * 100 / self.in_scope if self.in_scope else None


class SnapshotRow(models.Model):
    """One unit's line of a frozen report, in the order it was shown."""

    snapshot = models.ForeignKey(Snapshot, on_delete=models.CASCADE, related_name="rows")
    order = models.PositiveIntegerField()
    level = models.PositiveSmallIntegerField()
    unit = models.ForeignKey(OrgUnit, null=True, on_delete=models.SET_NULL, related_name="+")
    unit_name = models.CharField(max_length=255)
    unit_kind = models.CharField(max_length=32)
    in_scope = models.PositiveIntegerField()
    trained = models.PositiveIntegerField()
    gap = models.PositiveIntegerField()
    status = models.CharField(max_length=16, choices=Status.choices)

    class Meta:
        ordering = ["snapshot", "order"]
        constraints = [
            models.UniqueConstraint(fields=["snapshot", "order"], name="snapshotrow_order")
        ]

    def __str__(self) -> str:
        return f"{self.unit_name}: {self.trained}/{self.in_scope}"

    @property
    def percent(self) -> float | None:
        return self.trained * 100 / self.in_scope if self.in_scope else None


class ReportExport(BackgroundJob):
    """A report's XLSX or CSV, written in the background for the HR officer who
    asked: the query (unit, programme, target, day, filters) is kept, the file
    is private and goes to that officer only."""

    class Format(models.TextChoices):
        XLSX = "xlsx", "XLSX"
        CSV = "csv", "CSV"

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.CASCADE, related_name="+"
    )
    programme = models.ForeignKey(
        Programme,
        verbose_name=_("training programme"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    target = models.ForeignKey(
        Target,
        verbose_name=_("target"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    as_of = models.DateField(_("figures as of"))
    full_time_only = models.BooleanField(_("full-time cadres only"), default=False)
    unit_kind = models.CharField(_("unit kind"), max_length=32, blank=True)
    format = models.CharField(max_length=4, choices=Format.choices)
    file = models.FileField(
        storage=private_storage, upload_to=TokenName("report-exports"), blank=True
    )
    # Moved on with the progress: a run that stopped moving it (its worker died)
    # may be taken over by a redelivered message.
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("report download")
        verbose_name_plural = _("report downloads")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["created_at"])]

    def __str__(self) -> str:
        return f"{self.unit} {self.format} ({self.created_at:%d/%m/%Y %H:%M})"
