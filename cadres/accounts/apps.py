from wagtail.users.apps import WagtailUsersAppConfig


class UsersAppConfig(WagtailUsersAppConfig):
    """Wagtail's users app, with a user editor that changes role and scope
    only through :func:`cadres.accounts.services.user_set_role` (so it is audited)."""

    user_viewset = "cadres.accounts.admin_users.UserViewSet"
