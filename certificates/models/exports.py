"""A unit's certificates as one ZIP, built in the background."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from cadres.models import BackgroundJob, OrgUnit
from cadres.private_files import TokenName, private_storage


class CertificateExport(BackgroundJob):
    """A ZIP of a unit's certificates, built in the background for one HR officer."""

    unit = models.ForeignKey(OrgUnit, verbose_name=_("unit"), on_delete=models.PROTECT)
    file = models.FileField(
        storage=private_storage, upload_to=TokenName("certificate-exports", ".zip"), blank=True
    )

    class Meta(BackgroundJob.Meta):
        verbose_name = _("certificate download")
        verbose_name_plural = _("certificate downloads")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.unit} ({self.created_at:%d/%m/%Y %H:%M})"
