"""What every background job an officer asks for and then watches shares:
who asked, how far it got (done of total), and how it ended. The ZIP of a
unit's certificates, a report's XLSX or CSV, and a unit's activation codes
are such jobs, each with its own file and what it was asked for."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BackgroundJob(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    @property
    def in_progress(self) -> bool:
        return self.status in (self.Status.QUEUED, self.Status.RUNNING)

    @classmethod
    def purge(cls, *, older_than: dt.timedelta) -> int:
        """Delete the jobs asked for more than ``older_than`` ago, each
        job's file first; returns how many."""
        old = cls.objects.filter(created_at__lt=timezone.now() - older_than)
        deleted = 0
        for job in old.only("pk", "file").iterator(chunk_size=200):
            if job.file:
                job.file.delete(save=False)
            job.delete()
            deleted += 1
        return deleted
