from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CadresConfig(AppConfig):
    # Wagtail's users app is configured in cadres.accounts.apps; this one stays
    # the default, so that ready() and demo_loader are seen.
    default = True
    name = "cadres"
    verbose_name = _("Units and cadres")
    # Content for ``make run``, loaded by ``manage.py seed_demo``.
    demo_loader = "cadres.demo.load"

    def ready(self) -> None:
        from . import private_files, signals  # noqa: F401
