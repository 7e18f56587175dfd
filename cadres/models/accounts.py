"""Logins: the user with their role and scope, the security settings, and the
background jobs that issue a unit's activation codes."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from ..private_files import TokenName, private_storage
from .jobs import BackgroundJob


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


SECURITY_SETTINGS_KEY = "cadres:security-settings"
SECURITY_SETTINGS_SECONDS = 60 * 60


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

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        from ..caching import forget

        forget(SECURITY_SETTINGS_KEY)

    @classmethod
    def current(cls) -> "SecuritySettings":
        """The settings, read on every staff request: cached until they are saved."""
        from django.core.cache import cache

        found = cache.get(SECURITY_SETTINGS_KEY)
        if found is None:
            found = cls.load()
            cache.set(SECURITY_SETTINGS_KEY, found, SECURITY_SETTINGS_SECONDS)
        return found

    def requires_mfa(self, user) -> bool:
        if user.is_administrator:
            return self.require_mfa_administrator
        if user.is_hr_officer:
            return self.require_mfa_hr_officer
        if user.is_trainer:
            return self.require_mfa_trainer
        return False


class ActivationCodeBatch(BackgroundJob):
    """A unit's activation codes, issued in the background for one HR officer.

    The codes themselves are never stored here: only the printable list (a
    private PDF, the one copy) holds them, until its first download or for a
    day at most. One batch per unit runs at a time."""

    LIVE = (BackgroundJob.Status.QUEUED, BackgroundJob.Status.RUNNING)

    unit = models.ForeignKey("cadres.OrgUnit", verbose_name=_("unit"), on_delete=models.PROTECT)
    issued = models.PositiveIntegerField(default=0)
    file = models.FileField(
        storage=private_storage, upload_to=TokenName("activation-codes", ".pdf"), blank=True
    )
    updated_at = models.DateTimeField(default=timezone.now)
    downloaded_at = models.DateTimeField(null=True, blank=True)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("activation code list")
        verbose_name_plural = _("activation code lists")
        ordering = ["-created_at"]
        constraints = [
            # Two lists for one unit at once would replace each other's codes.
            models.UniqueConstraint(
                fields=["unit"],
                condition=Q(status__in=["queued", "running"]),
                name="activation_batch_one_live_per_unit",
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit} ({self.created_at:%d/%m/%Y %H:%M})"
