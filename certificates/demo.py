"""Demo certificates: every completion the earlier demos recorded gets its
certificate, issued through the services like a real one. Idempotent."""

from courses.models import Completion

from .models import Certificate
from .services import certificate_issue, certificates_request_for_completion, template_default

# Invented, like every person in the demo; an administrator sets the real chair.
DEMO_SIGNATORY = "Hoàng Văn Thành"


def load() -> None:
    template = template_default()
    if not template.signatory_name:
        template.signatory_name = DEMO_SIGNATORY
        template.save(update_fields=["signatory_name", "updated_at"])
    covered = Certificate.objects.exclude(completion=None).values("completion_id")
    for completion_id in (
        Completion.objects.filter(revoked_at__isnull=True)
        .exclude(pk__in=covered)
        .order_by("completed_at", "pk")
        .values_list("pk", flat=True)
    ):
        certificates_request_for_completion(completion_id=completion_id)
    # Issue here and now, whether or not Celery runs eagerly, so the demo shows
    # certificates at once; a queued duplicate task then changes nothing.
    for certificate_id in Certificate.objects.filter(status=Certificate.Status.PENDING).values_list(
        "pk", flat=True
    ):
        certificate_issue(certificate_id=certificate_id)
