"""The ZIP of a unit's certificates, and the names downloads are saved under."""

import datetime as dt
import tempfile
import zipfile

from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import transaction
from django.utils import timezone

from cadres.models import OrgUnit, User
from cadres.selectors import units_visible_to
from cadres.services import audit_record
from cadres.text import fold

from .models import Certificate, CertificateExport
from .selectors import certificates_of_unit


@transaction.atomic
def certificate_export_create(*, unit: OrgUnit, by: User) -> CertificateExport:
    from .tasks import certificate_export_build_task

    if not units_visible_to(by).filter(pk=unit.pk).exists():
        raise PermissionDenied
    export = CertificateExport.objects.create(
        unit=unit, requested_by=by, total=certificates_of_unit(unit).count()
    )
    audit_record(action="certificate.export", actor=by, unit=unit, obj=export)
    certificate_export_build_task.delay_on_commit(export.pk)
    return export


def zip_member_name(certificate: Certificate, taken: set[str]) -> str:
    """ASCII file name for a ZIP member; the Vietnamese name stays inside the PDF."""
    stem = "-".join(fold(certificate.holder_name).split()) or "chung-nhan"
    number = "".join(ch if ch.isalnum() else "-" for ch in fold(certificate.number)).strip("-")
    name = f"{stem}_{number or certificate.pk}.pdf"
    base, n = name[:-4], 2
    while name in taken:
        name = f"{base}-{n}.pdf"
        n += 1
    taken.add(name)
    return name


def certificate_export_build(*, export_id: int, progress_every: int = 50) -> CertificateExport:
    """Write the ZIP to a temporary file, streaming each PDF in, then hand the file
    to storage (S3 uploads it in parts): memory stays flat for thousands of files."""
    export = CertificateExport.objects.select_related("unit").get(pk=export_id)
    if export.status == CertificateExport.Status.DONE:
        return export
    certificates = certificates_of_unit(export.unit).order_by("holder_name", "pk")
    total = certificates.count()
    CertificateExport.objects.filter(pk=export.pk).update(
        status=CertificateExport.Status.RUNNING, total=total, done=0
    )
    taken: set[str] = set()
    done = 0
    with tempfile.TemporaryFile() as spool:
        with zipfile.ZipFile(spool, "w", compression=zipfile.ZIP_STORED) as archive:
            for certificate in certificates.iterator(chunk_size=500):
                member = zip_member_name(certificate, taken)
                with certificate.pdf.open("rb") as source, archive.open(member, "w") as target:
                    while chunk := source.read(64 * 1024):
                        target.write(chunk)
                done += 1
                if done % progress_every == 0:
                    CertificateExport.objects.filter(pk=export.pk).update(done=done)
        spool.seek(0)
        export.file.save("export.zip", File(spool), save=False)
    export.status = CertificateExport.Status.DONE
    export.done = done
    export.total = total
    export.finished_at = timezone.now()
    export.save(update_fields=["file", "status", "done", "total", "finished_at"])
    return export


def export_download_name(export: CertificateExport) -> str:
    """The name the person's browser saves the ZIP under (the stored name is a token)."""
    stem = "-".join(fold(export.unit.name).split())[:60] or "don-vi"
    day = timezone.localtime(export.finished_at or export.created_at)
    return f"chung-nhan_{stem}_{day:%Y%m%d}.zip"


def certificate_export_fail(*, export_id: int, error: Exception) -> None:
    CertificateExport.objects.filter(pk=export_id).update(
        status=CertificateExport.Status.FAILED, error=str(error)[:2000], finished_at=timezone.now()
    )


# A unit's ZIP holds personal files: it is kept a day after it was asked for.
KEEP_FOR = dt.timedelta(hours=24)


def certificate_exports_purge(*, older_than: dt.timedelta = KEEP_FOR) -> int:
    """Delete ZIPs asked for more than ``older_than`` ago, files first."""
    return CertificateExport.purge(older_than=older_than)
