from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")
    # Content for ``make run``, loaded by ``manage.py seed_demo``.
    demo_loader = "certificates.demo.load"

    def ready(self):
        from courses import requirements

        from . import receivers  # noqa: F401
        from .followups import certificate_followup

        requirements.register_followups(certificate_followup)
