"""Wagtail's user editor, made role-aware.

Role, HR scope and the groups that carry a role's permissions are changed
only through :func:`cadres.accounts.services.user_set_role`, which audits who changed
what, when and from where. The superuser flag is not offered: it would be a
role change that nobody audits.
"""

from django import forms
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext_lazy as _
from wagtail.users.forms import UserCreationForm, UserEditForm
from wagtail.users.views import users as wagtail_users
from wagtail.users.views.bulk_actions.assign_role import AssignRoleBulkAction

from ..models import OrgUnit, User
from .roles import ROLE_GROUPS, sync_groups
from .services import user_set_role


class RoleFields(forms.Form):
    """The role and HR scope fields the user forms add to Wagtail's."""

    role = forms.ChoiceField(label=_("Role"), choices=User.Role.choices)
    scope_unit = forms.ModelChoiceField(
        label=_("Scope unit"),
        queryset=OrgUnit.objects.order_by("path"),
        required=False,
        help_text=_("Required for an HR officer, who sees only this unit and the units under it."),
    )


def _role_form_fields(form: forms.Form, instance: User | None) -> None:
    role_fields = RoleFields()
    form.fields["role"] = role_fields.fields["role"]
    form.fields["scope_unit"] = role_fields.fields["scope_unit"]
    if instance is not None and instance.pk:
        form.initial.setdefault("role", instance.role)
        form.initial.setdefault("scope_unit", instance.scope_unit_id)
    form.fields.pop("is_superuser", None)
    # Most cadres have no email, and names live on the roster entry.
    for name in ("email", "first_name", "last_name"):
        if name in form.fields:
            form.fields[name].required = False
    if "groups" in form.fields:
        form.fields["groups"].queryset = Group.objects.exclude(
            name__in=ROLE_GROUPS.values()
        ).order_by("name")
        form.fields["groups"].required = False


class RoleFormMixin:
    """Role and scope are validated together: only an HR officer has a scope."""

    def clean(self):
        data = super().clean()
        role = data.get("role")
        if role == User.Role.HR_OFFICER and not data.get("scope_unit"):
            self.add_error("scope_unit", _("An HR officer needs a scope unit."))
        elif role and role != User.Role.HR_OFFICER:
            data["scope_unit"] = None
        return data


class RoleAwareUserCreationForm(RoleFormMixin, UserCreationForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _role_form_fields(self, None)


class RoleAwareUserEditForm(RoleFormMixin, UserEditForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _role_form_fields(self, self.instance)
        if kwargs.get("editing_self"):
            # An administrator cannot take their own role away by accident.
            self.fields["role"].disabled = True
            self.fields["scope_unit"].disabled = True


class RoleSavingMixin:
    @transaction.atomic
    def save_instance(self):
        instance = super().save_instance()
        data = self.form.cleaned_data
        role, scope = data["role"], data.get("scope_unit")
        if instance.role != role or instance.scope_unit_id != (scope.pk if scope else None):
            user_set_role(
                user=instance,
                role=role,
                scope_unit=scope,
                by=self.request.user,
                request=self.request,
            )
        else:
            # Saving the groups field dropped the role's group; put it back.
            sync_groups(instance)
        return instance


class CreateView(RoleSavingMixin, wagtail_users.CreateView):
    pass


class EditView(RoleSavingMixin, wagtail_users.EditView):
    pass


class UserViewSet(wagtail_users.UserViewSet):
    add_view_class = CreateView
    edit_view_class = EditView
    create_template_name = "cadres/admin/user_create.html"
    edit_template_name = "cadres/admin/user_edit.html"

    def get_form_class(self, for_update=False):
        return RoleAwareUserEditForm if for_update else RoleAwareUserCreationForm


class NonRoleGroupForm(forms.Form):
    role = forms.ModelChoiceField(
        label=_("Group"), queryset=Group.objects.exclude(name__in=ROLE_GROUPS.values())
    )


class AssignGroupBulkAction(AssignRoleBulkAction):
    """Wagtail's bulk "assign role" adds users to any group; the groups that
    carry our roles are left out, so a role is only ever given by
    :func:`cadres.accounts.services.user_set_role`."""

    form_class = NonRoleGroupForm
