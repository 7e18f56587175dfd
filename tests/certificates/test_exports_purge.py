"""A unit's certificate ZIP holds personal files: it is deleted, file and
all, a day after it was asked for; a newer one stays."""

import datetime as dt

from django.core.files.base import ContentFile
from django.utils import timezone

from certificates.models import CertificateExport
from certificates.tasks import certificate_exports_purge_task


def _export(tree, hr_province) -> CertificateExport:
    export = CertificateExport.objects.create(unit=tree["la_bang"], requested_by=hr_province)
    export.file.save("export.zip", ContentFile(b"PK\x05\x06" + b"\0" * 18))
    return export


def test_certificate_zips_older_than_a_day_are_deleted_with_their_files(tree, hr_province):
    old, recent = _export(tree, hr_province), _export(tree, hr_province)
    CertificateExport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=24, minutes=1)
    )
    storage, name = old.file.storage, old.file.name
    assert storage.exists(name)
    assert certificate_exports_purge_task.delay().get() == 1
    assert not storage.exists(name)
    assert list(CertificateExport.objects.all()) == [recent]
    assert recent.file.storage.exists(recent.file.name)


def test_certificate_zips_younger_than_a_day_are_kept(tree, hr_province):
    export = _export(tree, hr_province)
    CertificateExport.objects.filter(pk=export.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=23, minutes=59)
    )
    assert certificate_exports_purge_task.delay().get() == 0
    assert export.file.storage.exists(export.file.name)


def test_certificate_zip_purge_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["certificates-exports-purge"]
    assert entry["task"] == certificate_exports_purge_task.name
