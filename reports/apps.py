from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "reports"
    verbose_name = _("Reports")
    # Content for ``make run``, loaded by ``manage.py seed_demo``.
    demo_loader = "reports.demo.load"
