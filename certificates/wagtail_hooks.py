from django.urls import path, reverse
from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.menus import MenuItem
from wagtail.admin.ui.tables import Column
from wagtail.permission_policies.base import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .models import Certificate, CertificateTemplate


class AdministratorsOnly(ModelPermissionPolicy):
    """Certificates are the administrator's business: trainers and HR officers
    never see these screens. ``read_only`` takes away add, change and delete
    (a certificate is revoked or reissued, never edited)."""

    read_only = False

    def _allowed(self, user, action) -> bool:
        if not (user.is_authenticated and user.is_active and user.is_administrator):
            return False
        return action == "view" or not self.read_only

    def user_has_permission(self, user, action):
        return self._allowed(user, action)

    def user_has_any_permission(self, user, actions):
        return any(self._allowed(user, action) for action in actions)

    def user_has_permission_for_instance(self, user, action, instance):
        return self._allowed(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        return self.user_has_any_permission(user, actions)

    def instances_user_has_permission_for(self, user, action):
        if self._allowed(user, action):
            return self.model._default_manager.all()
        return self.model._default_manager.none()

    def instances_user_has_any_permission_for(self, user, actions):
        if self.user_has_any_permission(user, actions):
            return self.model._default_manager.all()
        return self.model._default_manager.none()


class ReadOnlyForAdministrators(AdministratorsOnly):
    read_only = True


register_permission_policy(CertificateTemplate, AdministratorsOnly(CertificateTemplate))
register_permission_policy(Certificate, ReadOnlyForAdministrators(Certificate))


def _yes_no(field):
    return lambda obj: gettext("Yes") if getattr(obj, field) else gettext("No")


def _when(field):
    return lambda obj: date_format(localtime(getattr(obj, field)), "d/m/Y H:i")


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    list_display = [
        "name",
        "issuer",
        Column("is_default", label=_("default"), accessor=_yes_no("is_default")),
        "number_pattern",
        Column("updated_at", label=_("Updated"), accessor=_when("updated_at")),
    ]
    copy_view_enabled = True


class CertificateViewSet(SnippetViewSet):
    model = Certificate
    icon = "doc-full-inverse"
    menu_label = _("Issued certificates")
    list_display = ["number", "holder_name", "subject", "status", "issued_at"]
    list_filter = ["status", "issued_at"]
    search_fields = ["number", "holder_name", "code"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "number",
        "code",
        "status",
        "holder_name",
        "holder_unit",
        "subject",
        "issuer",
        "issued_at",
        "sha256",
        "revoked_at",
        "revoke_reason",
        "superseded_by",
    ]
    ordering = ["-issued_at", "-pk"]


class CertificatesGroup(SnippetViewSetGroup):
    items = (CertificateTemplateViewSet, CertificateViewSet)
    menu_icon = "doc-full"
    menu_label = _("Certificates")
    menu_name = "certificates"
    menu_order = 400


register_snippet(CertificatesGroup)


@hooks.register("register_admin_urls")
def _admin_urls():
    return [
        path(
            "chung-nhan/<int:pk>/thu-hoi/",
            admin_views.revoke,
            name="certificates_admin_revoke",
        ),
        path(
            "chung-nhan/<int:pk>/cap-lai/",
            admin_views.reissue,
            name="certificates_admin_reissue",
        ),
        path(
            "chung-nhan/<int:pk>/pdf/",
            admin_views.pdf,
            name="certificates_admin_pdf",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def _certificate_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, Certificate) or not getattr(user, "is_administrator", False):
        return []
    buttons = []
    if snippet.pdf:
        buttons.append(
            MenuItem(
                _("Download PDF"),
                reverse("certificates_admin_pdf", args=[snippet.pk]),
                icon_name="download",
                priority=40,
            )
        )
    if snippet.status == Certificate.Status.VALID:
        buttons.append(
            MenuItem(
                _("Reissue"),
                reverse("certificates_admin_reissue", args=[snippet.pk]),
                icon_name="repeat",
                priority=50,
            )
        )
    if snippet.status in (Certificate.Status.VALID, Certificate.Status.PENDING):
        buttons.append(
            MenuItem(
                _("Revoke"),
                reverse("certificates_admin_revoke", args=[snippet.pk]),
                icon_name="cross",
                priority=60,
            )
        )
    return buttons
