from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class CadresConfig(AppConfig):
    name = "cadres"
    verbose_name = _("Units and cadres")

    def ready(self) -> None:
        from . import private_files, signals  # noqa: F401


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with a user editor that changes role and scope
    only through :func:`cadres.services.user_set_role` (so it is audited)."""

    user_viewset = "cadres.admin_users.UserViewSet"
