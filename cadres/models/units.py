"""The unit tree, its official codes and spellings over time, and restructurings."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node

from ..text import fold, nfc


class OrgUnit(MP_Node):
    """A unit of the MTTQ organisation: a tree of any depth, with a life span."""

    class Kind(models.TextChoices):
        PROVINCE_COMMITTEE = "uy_ban_tinh", _("Provincial Front committee")
        STANDING_BOARD = "ban_thuong_truc", _("Standing board")
        AGENCY = "co_quan", _("Front committee agency")
        DEPARTMENT = "phong_ban", _("Department")
        SOCIO_POLITICAL_GROUP = "to_chuc_ctxh_nhom", _("Socio-political organisations (group)")
        SOCIO_POLITICAL_ORG = "to_chuc_ctxh", _("Socio-political organisation")
        COMMUNE_GROUP = "uy_ban_xa_nhom", _("Commune-level committees (group)")
        COMMUNE_COMMITTEE = "uy_ban_xa", _("Commune-level Front committee")
        RESIDENTIAL_COMMITTEE = "ban_cong_tac_kdc", _("Residential-area Front working committee")
        DISTRICT_COMMITTEE = "uy_ban_huyen", _("District Front committee (former)")

    name = models.CharField(_("unit name"), max_length=255)
    kind = models.CharField(_("unit kind"), max_length=32, choices=Kind.choices)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)

    node_order_by: list[str] = []

    class Meta:
        verbose_name = _("unit")
        verbose_name_plural = _("unit")
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="orgunit_valid_range",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    @property
    def current_code(self) -> str:
        today = timezone.localdate()
        for code in self.codes.all():
            if code.is_valid_on(today):
                return code.code
        return ""


class UnitCode(models.Model):
    """An official code held by a unit for a period: codes were reused in 2025,
    so a code identifies a unit only together with a date."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(_("code"), max_length=20, db_index=True)
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(_("valid to"), null=True, blank=True)

    class Meta:
        verbose_name = _("unit code")
        verbose_name_plural = _("unit code")
        constraints = [
            models.UniqueConstraint(fields=["unit", "code", "valid_from"], name="unitcode_unique")
        ]

    def __str__(self) -> str:
        return self.code

    def is_valid_on(self, day) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class UnitAlias(models.Model):
    """Another spelling of a unit's name (Hòa/Hoà, Thụy/Thuỵ, Quán/Quan Triều)."""

    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="aliases")
    name = models.CharField(_("alternative name"), max_length=255)
    name_folded = models.CharField(max_length=255, editable=False, db_index=True)

    class Meta:
        verbose_name = _("alternative name")
        verbose_name_plural = _("alternative name")
        constraints = [
            models.UniqueConstraint(fields=["unit", "name_folded"], name="unitalias_unique")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = nfc(self.name)
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)


class Succession(models.Model):
    """One edge of a restructuring: ``predecessor`` passed (all or part of) itself
    to ``successor`` on ``effective_date``."""

    class Kind(models.TextChoices):
        MERGE = "merge", _("Merge")
        SPLIT = "split", _("Split")
        RENAME = "rename", _("Rename")
        UNCHANGED = "unchanged", _("Unchanged")

    predecessor = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="successions_out"
    )
    successor = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="successions_in")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    effective_date = models.DateField(_("effective date"))
    legal_basis = models.CharField(_("legal basis"), max_length=255, blank=True)
    note = models.CharField(_("note"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("unit succession")
        verbose_name_plural = _("unit succession")
        constraints = [
            models.UniqueConstraint(
                fields=["predecessor", "successor", "effective_date"], name="succession_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} → {self.successor} ({self.effective_date:%d/%m/%Y})"


class Restructuring(models.Model):
    """A merge/split/rename of units read from a conversion table, applied on a date."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Waiting for confirmation")
        DONE = "done", _("Applied")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    effective_date = models.DateField(_("effective date"))
    legal_basis = models.CharField(_("legal basis"), max_length=255)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    content = models.TextField()
    split_choices = models.JSONField(default=dict, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("restructuring")
        verbose_name_plural = _("restructurings")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.effective_date:%d/%m/%Y})"
