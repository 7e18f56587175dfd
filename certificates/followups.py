"""What certificates tells courses follows a completion: the course's
certificate, being issued or issued, with a link to "Chứng nhận của tôi"."""

from django.urls import reverse
from django.utils.translation import gettext as _

from courses.requirements import Followup


class CertificateFollowup:
    def followups(self, *, enrolment) -> list[Followup]:
        from .models import Certificate

        certificate = (
            Certificate.objects.filter(
                cadre_id=enrolment.cadre_id,
                course_id=enrolment.course_id,
                status__in=[Certificate.Status.PENDING, Certificate.Status.VALID],
            )
            .order_by("-pk")
            .first()
        )
        if certificate is None:
            return []
        mine = reverse("certificates:mine")
        if certificate.status == Certificate.Status.VALID and certificate.issued_at:
            text = _("Your certificate No. %(number)s has been issued.") % {
                "number": certificate.number
            }
        else:
            text = _("Your certificate is being issued; it will be ready in a few minutes.")
        return [Followup(text=text, url=mine, link_text=_("My certificates"))]


certificate_followup = CertificateFollowup()
