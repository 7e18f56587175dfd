"""Cadres, their memberships of units over time, and roster imports."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..private_files import TokenName, private_storage
from ..text import fold, nfc, sort_key
from .units import OrgUnit


class Cadre(models.Model):
    """A roster entry: the denominator of every completion rate."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        LEFT = "left", _("Left")

    family_name = models.CharField(_("family and middle name"), max_length=100)
    given_name = models.CharField(_("given name"), max_length=50)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cadre",
    )
    cadre_code = models.CharField(
        _("cadre code"), max_length=32, null=True, blank=True, unique=True
    )
    national_id = models.CharField(
        _("national ID number"), max_length=12, null=True, blank=True, unique=True
    )
    phone = models.CharField(_("phone number"), max_length=15, null=True, blank=True, unique=True)
    email = models.EmailField(_("email"), blank=True)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    left_on = models.DateField(_("left on"), null=True, blank=True)
    sort_key = models.CharField(max_length=255, editable=False, db_index=True)
    search_text = models.CharField(max_length=255, editable=False, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("cadre")
        verbose_name_plural = _("cadre")
        ordering = ["sort_key", "id"]

    def __str__(self) -> str:
        return self.full_name

    def save(self, *args, **kwargs):
        self.fill_derived_fields()
        super().save(*args, **kwargs)

    def fill_derived_fields(self) -> None:
        """NFC names, sort key and search text; ``bulk_create`` skips ``save()``,
        so bulk writers call this themselves."""
        self.family_name = nfc(self.family_name)
        self.given_name = nfc(self.given_name)
        self.sort_key = sort_key(self.given_name, self.family_name)
        self.search_text = fold(
            " ".join(filter(None, [self.full_name, self.cadre_code, self.phone]))
        )[:255]

    @property
    def full_name(self) -> str:
        return f"{self.family_name} {self.given_name}".strip()


class Membership(models.Model):
    """A cadre's place in a unit over a period; position and full-time flag are
    facts of the period, so an as-of report reads them as they were."""

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="memberships")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="memberships")
    position = models.CharField(_("position"), max_length=100, blank=True)
    is_full_time = models.BooleanField(_("full-time"), default=False)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("membership")
        indexes = [models.Index(fields=["unit", "valid_from", "valid_to"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="membership_valid_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre} — {self.unit}"


class RosterImport(models.Model):
    """One uploaded roster file on its way through mapping, dry run and commit."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting for column mapping")
        PLANNING = "planning", _("Checking the file")
        PLANNED = "planned", _("Dry run ready")
        COMMITTING = "committing", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Failed")

    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("uploaded at"), default=timezone.now)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=TokenName("roster-imports", ".bin")
    )
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(default=0)
    encoding = models.CharField(_("encoding"), max_length=20, blank=True)
    detected_encoding = models.CharField(max_length=20, blank=True)
    headers = models.JSONField(default=list, blank=True)
    mapping = models.JSONField(default=dict, blank=True)
    name_overrides = models.JSONField(default=dict, blank=True)
    unit_choices = models.JSONField(default=dict, blank=True)
    create_logins = models.BooleanField(_("create logins"), default=False)
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.UPLOADED
    )
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    counts = models.JSONField(default=dict, blank=True)
    plan = models.JSONField(default=dict, blank=True)
    committed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("roster import")
        verbose_name_plural = _("roster imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.created_at:%d/%m/%Y %H:%M})"


class RosterImportRow(models.Model):
    """One row of a roster import's latest dry run (or commit), as planned: the
    preview pages read a page of these, never the whole plan."""

    roster_import = models.ForeignKey(RosterImport, on_delete=models.CASCADE, related_name="rows")
    number = models.PositiveIntegerField()
    action = models.CharField(max_length=12)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["number", "id"]
        indexes = [models.Index(fields=["roster_import", "action", "number"])]

    def __str__(self) -> str:
        return f"{self.roster_import_id}:{self.number} {self.action}"


class ColumnMapping(models.Model):
    """The last column mapping an officer confirmed for a unit, by folded header."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE, related_name="+"
    )
    mapping = models.JSONField(default=dict)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("column mapping")
        verbose_name_plural = _("column mappings")
        constraints = [
            models.UniqueConstraint(fields=["unit", "user"], name="columnmapping_unique")
        ]

    def __str__(self) -> str:
        return f"{self.unit} / {self.user}"
