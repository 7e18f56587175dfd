"""Programmes in the Wagtail admin, with an "assign" action."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from cadres.selectors import units_visible_to

from . import selectors, services
from .models import Programme
from .trained import trained_rebuild


class ProgrammeForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is not None and "unit" in self.fields:
            # An HR officer can only target their own subtree.
            self.fields["unit"].queryset = units_visible_to(for_user).order_by("path")


class _ScopedObjectMixin:
    """An HR officer opens only the programmes of their subtree; others are 404.

    Checked before the view does anything, for every view that names a
    programme (edit, delete, copy, history, usage and any Wagtail adds later).
    """

    scope = staticmethod(selectors.programmes_visible_to)

    def setup(self, request, *args, **kwargs):
        pk = kwargs.get("pk")
        if pk is not None and not (
            str(pk).isdigit() and self.scope(request.user).filter(pk=int(pk)).exists()
        ):
            raise Http404
        super().setup(request, *args, **kwargs)


class _ReadableObjectMixin(_ScopedObjectMixin):
    """The read-only view also opens the programmes set higher up that apply
    to the officer's units."""

    scope = staticmethod(selectors.programmes_applying_to)


class ProgrammeInspectView(SnippetViewSet.inspect_view_class):
    """Read-only view of a programme that applies to the officer's units."""

    @cached_property
    def is_managed(self) -> bool:
        return selectors.programmes_visible_to(self.request.user).filter(pk=self.object.pk).exists()

    def get_field_display_value(self, field_name, field):
        value = super().get_field_display_value(field_name, field)
        return yes_no(value) if isinstance(value, bool) else value

    def get_edit_url(self):
        return super().get_edit_url() if self.is_managed else None

    def get_delete_url(self):
        return super().get_delete_url() if self.is_managed else None


class ProgrammeIndexView(SnippetViewSet.index_view_class):
    """Programmes set higher up are listed read-only: no edit or delete links."""

    @cached_property
    def managed_ids(self) -> set[int]:
        return set(selectors.programmes_visible_to(self.request.user).values_list("pk", flat=True))

    def get_edit_url(self, instance):
        if instance.pk in self.managed_ids:
            return super().get_edit_url(instance)
        return None

    def get_delete_url(self, instance):
        if instance.pk in self.managed_ids:
            return super().get_delete_url(instance)
        return None


def _optional(programme: Programme) -> str:
    return yes_no(programme.is_optional)


def _deadline(programme: Programme) -> str:
    return programme.deadline.strftime("%d/%m/%Y") if programme.deadline else "—"


def yes_no(value: bool) -> str:
    """ "Có"/"Không" in listings, where Wagtail would print True/False."""
    return _("Yes") if value else _("No")


class ProgrammeViewSet(SnippetViewSet):
    model = Programme
    icon = "group"
    menu_label = gettext_lazy("Training programmes")
    menu_name = "programmes"
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "chuong-trinh"
    list_display = [
        "name",
        "unit",
        Column("deadline", label=gettext_lazy("deadline"), accessor=_deadline),
        Column("is_optional", label=gettext_lazy("optional"), accessor=_optional),
    ]
    list_filter = ["is_optional", "full_time_only"]
    search_fields = ["name"]

    index_view_class = ProgrammeIndexView
    inspect_view_class = ProgrammeInspectView
    inspect_view_enabled = True
    inspect_view_fields = [
        "name",
        "description",
        "unit",
        "full_time_only",
        "positions",
        "deadline",
        "is_optional",
    ]

    def construct_view(self, view_class, **kwargs):
        readable = issubclass(view_class, ProgrammeInspectView)
        mixin = _ReadableObjectMixin if readable else _ScopedObjectMixin
        scoped = type(f"Scoped{view_class.__name__}", (mixin, view_class), {})
        return super().construct_view(scoped, **kwargs)

    def get_queryset(self, request):
        return selectors.programmes_applying_to(request.user).select_related("unit")

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        return type("ProgrammeAdminForm", (ProgrammeForm, form_class), {})


register_snippet(ProgrammeViewSet)


def programme_assign_view(request, pk):
    programme = selectors.programme_for_manager(request.user, pk)
    if not request.user.has_perm("courses.change_programme"):
        messages.error(request, _("You may not assign programmes."))
        return redirect("wagtailsnippets_courses_programme:list")
    if request.method == "POST":
        created = services.programme_assign(programme=programme, by=request.user)
        messages.success(
            request,
            _("%(name)s assigned: %(count)s new enrolments.")
            % {"name": programme.name, "count": f"{created:,}".replace(",", ".")},
        )
        return redirect("wagtailsnippets_courses_programme:list")
    population = selectors.programme_population(programme).count()
    return render(
        request,
        "courses/admin/programme_assign.html",
        {
            "programme": programme,
            "population": population,
            "courses": [pc.course for pc in programme.programme_courses.select_related("course")],
        },
    )


@hooks.register("register_admin_urls")
def _programme_urls():
    return [
        path(
            "chuong-trinh/<int:pk>/giao/",
            programme_assign_view,
            name="courses_programme_assign",
        )
    ]


@hooks.register("register_snippet_listing_buttons")
def _programme_assign_button(snippet, user, next_url=None):
    if (
        isinstance(snippet, Programme)
        and user.has_perm("courses.change_programme")
        and selectors.programmes_visible_to(user).filter(pk=snippet.pk).exists()
    ):
        yield ListingButton(
            _("Assign"),
            reverse("courses_programme_assign", args=[snippet.pk]),
            icon_name="group",
            priority=15,
        )


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def _programme_trained_rebuild(request, instance):
    """A programme's required courses decide who is trained for it: rebuild
    its part of the trained fact whenever it is saved."""
    if isinstance(instance, Programme):
        trained_rebuild(programme_ids=[instance.pk])
