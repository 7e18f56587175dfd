"""Do the stored certificates agree with the database? Run after a restore
(``manage.py verify_certificates``): the database and the file storage are
backed up separately, and a restore that pairs the wrong copies shows here.
"""

from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef
from django.db.models.functions import ExtractYear

from cadres.services import file_sha256
from courses.models import Completion

from .models import Certificate, NumberSequence

ISSUED = (
    Certificate.Status.VALID,
    Certificate.Status.REVOKED,
    Certificate.Status.SUPERSEDED,
)


@dataclass
class IntegrityReport:
    checked_files: int = 0
    checked_completions: int = 0
    problems: list[str] = field(default_factory=list)
    pending: list[str] = field(default_factory=list)

    def ok(self, *, allow_pending: bool = False) -> bool:
        return not self.problems and (allow_pending or not self.pending)


def _files(report: IntegrityReport, certificates) -> None:
    for certificate in certificates.iterator(chunk_size=500):
        label = f"{certificate.number or '#' + str(certificate.pk)} (id {certificate.pk})"
        if not certificate.pdf or not certificate.sha256:
            report.problems.append(f"{label}: issued but no PDF or no hash recorded")
            continue
        report.checked_files += 1
        storage = certificate.pdf.storage  # the field's: local, S3 or private
        if not storage.exists(certificate.pdf.name):
            report.problems.append(f"{label}: PDF missing from storage ({certificate.pdf.name})")
            continue
        with storage.open(certificate.pdf.name, "rb") as handle:
            digest = file_sha256(handle.read())
        if digest != certificate.sha256:
            report.problems.append(
                f"{label}: PDF does not match its SHA-256 ({certificate.pdf.name})"
            )


def _completions(report: IntegrityReport) -> None:
    valid = Certificate.objects.filter(
        cadre=OuterRef("enrolment__cadre"),
        course=OuterRef("enrolment__course"),
        status=Certificate.Status.VALID,
    )
    pending = Certificate.objects.filter(
        cadre=OuterRef("enrolment__cadre"),
        course=OuterRef("enrolment__course"),
        status=Certificate.Status.PENDING,
    )
    standing = Completion.objects.filter(revoked_at__isnull=True)
    report.checked_completions = standing.count()
    rows = (
        standing.annotate(has_valid=Exists(valid), has_pending=Exists(pending))
        .filter(has_valid=False)
        .values_list("pk", "enrolment__cadre_id", "enrolment__course_id", "has_pending")
    )
    for pk, cadre_id, course_id, has_pending in rows.iterator():
        what = f"completion {pk} (cadre {cadre_id}, course {course_id})"
        if has_pending:
            report.pending.append(f"{what}: certificate not issued yet (pending)")
        else:
            report.problems.append(f"{what}: no certificate")


def _numbers(report: IntegrityReport) -> None:
    """Numbers are gap-free: each issuer's yearly counter equals the numbered
    certificates of that year (a lost row or a restored counter shows here)."""
    numbered = {
        (row["issuer"], row["year"]): row["n"]
        for row in Certificate.objects.exclude(number="")
        .annotate(year=ExtractYear("issued_at"))
        .values("issuer", "year")
        .annotate(n=Count("pk"))
    }
    sequences = {(s.issuer, s.year): s.last for s in NumberSequence.objects.all()}
    for key in sorted(set(numbered) | set(sequences), key=str):
        given, held = sequences.get(key, 0), numbered.get(key, 0)
        if given != held:
            report.problems.append(
                f"numbers of {key[0]} {key[1]}: counter at {given}, {held} numbered certificates"
            )


def certificates_integrity() -> IntegrityReport:
    report = IntegrityReport()
    issued = Certificate.objects.filter(status__in=ISSUED).order_by("pk")
    _files(report, issued.only("pk", "number", "pdf", "sha256"))
    _completions(report)
    _numbers(report)
    return report
