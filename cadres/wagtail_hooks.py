"""Wagtail admin for the cadres app: the audit log (administrators only) and
the users bulk action that must not hand out roles."""

import django_filters
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from .accounts.admin_users import AssignGroupBulkAction
from .audit import action_choices, action_label, audit_time
from .audit.selectors import audit_events_visible_to
from .models import AuditEvent, OrgUnit, User


class AdministratorsMayView(BasePermissionPolicy):
    """Only administrators may read; nobody may add, change or delete."""

    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_administrator

    def users_with_any_permission(self, actions):
        if "view" not in actions:
            return User.objects.none()
        return User.objects.filter(is_active=True).filter(
            role=User.Role.ADMINISTRATOR
        ) | User.objects.filter(is_active=True, is_superuser=True)


class AuditEventFilterSet(WagtailFilterSet):
    action = django_filters.MultipleChoiceFilter(label=_("Action"), choices=action_choices)
    actor = django_filters.ModelChoiceFilter(
        label=_("Actor"), queryset=User.objects.order_by("username")
    )
    at = django_filters.DateFromToRangeFilter(label=_("Date"), widget=DateRangePickerWidget)
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"), queryset=OrgUnit.objects.order_by("path")
    )

    class Meta:
        model = AuditEvent
        fields = ["action", "actor", "at", "unit"]


class AuditIndexView(generic.IndexView):
    def get_base_queryset(self):
        return audit_events_visible_to(self.request.user)


class AuditEventViewSet(ModelViewSet):
    model = AuditEvent
    index_view_class = AuditIndexView
    filterset_class = AuditEventFilterSet
    icon = "history"
    menu_label = _("Audit log")
    menu_order = 900
    add_to_settings_menu = True
    url_prefix = "nhat-ky"
    name = "audit"
    # Read-only: the policy refuses add and change, and no field is editable.
    form_fields: list[str] = []
    inspect_view_enabled = True
    inspect_view_fields = ["at", "actor", "action", "ip_address", "unit", "object_repr", "data"]
    list_per_page = 50
    list_display = [
        Column("at", label=_("Time"), accessor=audit_time),
        Column("actor", label=_("Actor")),
        Column("action_label", label=_("Action"), accessor=action_label),
        Column("ip_address", label=_("IP address")),
        Column("unit", label=_("Unit")),
        Column("object_repr", label=_("Object")),
    ]


register_permission_policy(AuditEvent, AdministratorsMayView(AuditEvent))


@hooks.register("register_admin_viewset")
def register_audit_viewset():
    return AuditEventViewSet()


# Registered after Wagtail's own (order 1 > 0), so it replaces "assign role".
hooks.register("register_bulk_action", AssignGroupBulkAction, order=1)


# Links to Wagtail's English release notes and editor guide are no help to a
# trainer who reads Vietnamese; the help menu keeps the keyboard shortcuts.
ENGLISH_HELP_ITEMS = ("whats-new-in-wagtail", "editor-guide")


@hooks.register("construct_help_menu")
def hide_english_help(request, menu_items):
    menu_items[:] = [item for item in menu_items if not item.name.startswith(ENGLISH_HELP_ITEMS)]


@hooks.register("construct_reports_menu")
def hide_webmaster_reports(request, menu_items):
    """ "Aging pages" and "Page types usage" are webmaster reports; trainers and
    reviewers keep the workflow and history reports they use."""
    if not request.user.is_superuser:
        hidden = ("aging-pages", "page-types-usage")
        menu_items[:] = [item for item in menu_items if item.name not in hidden]
