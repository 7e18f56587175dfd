from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from .private_files import TokenName, private_storage
from .text import fold, nfc, sort_key


class User(AbstractUser):
    """A login. Roster facts live on :class:`Cadre`; a cadre may have no login."""

    class Role(models.TextChoices):
        CADRE = "cadre", _("Learner")
        TRAINER = "trainer", _("Trainer")
        HR_OFFICER = "hr_officer", _("HR officer")
        ADMINISTRATOR = "administrator", _("Administrator")

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.CADRE)
    scope_unit = models.ForeignKey(
        "cadres.OrgUnit",
        verbose_name=_("scope unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("An HR officer sees only this unit and the units under it."),
    )
    activation_code_hash = models.CharField(max_length=128, blank=True, editable=False)
    activation_code_expires = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("account")
        verbose_name_plural = _("account")
        constraints = [
            models.CheckConstraint(
                condition=~Q(role="hr_officer") | Q(scope_unit__isnull=False),
                name="hr_officer_has_scope_unit",
            )
        ]

    @property
    def is_trainer(self) -> bool:
        return self.role == self.Role.TRAINER

    @property
    def is_hr_officer(self) -> bool:
        return self.role == self.Role.HR_OFFICER

    @property
    def is_administrator(self) -> bool:
        return self.is_superuser or self.role == self.Role.ADMINISTRATOR


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


class AuditEvent(models.Model):
    """Who did what, when and from where. Written only through
    :func:`cadres.services.audit_record`; never edited."""

    at = models.DateTimeField(_("time"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    unit = models.ForeignKey(
        OrgUnit, verbose_name=_("unit"), null=True, blank=True, on_delete=models.SET_NULL
    )
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    data = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("audit log")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.at:%d/%m/%Y %H:%M} {self.get_action_display()} {self.object_repr}"

    def get_action_display(self) -> str:
        # Wagtail's inspect view shows get_<field>_display when it exists.
        from .audit import action_label

        return action_label(self)


class Notification(models.Model):
    """An in-app message to one user (certificate issued, reminder, digest)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=40, db_index=True)
    title = models.CharField(_("title"), max_length=255)
    body = models.TextField(_("content"), blank=True)
    url = models.CharField(_("link"), max_length=500, blank=True)
    # Lets a job that may run twice (a redelivered task, a weekly reminder)
    # send a message once: the same user and key is one notification.
    dedupe_key = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "dedupe_key"],
                condition=~Q(dedupe_key=""),
                name="notification_dedupe",
            )
        ]

    def __str__(self) -> str:
        return self.title


@register_setting(icon="lock")
class SecuritySettings(BaseGenericSetting):
    """Which staff roles must use two-factor sign-in. Off by default, so the
    demo logins work without an authenticator app."""

    require_mfa_trainer = models.BooleanField(
        _("require two-factor sign-in for trainers"), default=False
    )
    require_mfa_hr_officer = models.BooleanField(
        _("require two-factor sign-in for HR officers"), default=False
    )
    require_mfa_administrator = models.BooleanField(
        _("require two-factor sign-in for administrators"), default=False
    )

    class Meta:
        verbose_name = _("sign-in security")
        verbose_name_plural = _("sign-in security")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    def requires_mfa(self, user) -> bool:
        if user.is_administrator:
            return self.require_mfa_administrator
        if user.is_hr_officer:
            return self.require_mfa_hr_officer
        if user.is_trainer:
            return self.require_mfa_trainer
        return False


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
