from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class CadresConfig(AppConfig):
    # This module holds two AppConfigs: without it, Django would use a bare
    # AppConfig for "cadres" and neither ready() nor demo_loader would be seen.
    default = True
    name = "cadres"
    verbose_name = _("Units and cadres")
    # Content for ``make run``, loaded by ``manage.py seed_demo``.
    demo_loader = "cadres.demo.load"

    def ready(self) -> None:
        from . import private_files, signals  # noqa: F401


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with a user editor that changes role and scope
    only through :func:`cadres.services.user_set_role` (so it is audited)."""

    user_viewset = "cadres.accounts.admin_users.UserViewSet"
