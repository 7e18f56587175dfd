"""Sessions and series in the Wagtail admin, scoped like programmes: trainers
and HR officers see and author only those of their units; saving a session
(re)sends its invitations."""

from django.contrib import messages
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from cadres.models import User
from cadres.selectors import cadres_visible_to

from . import selectors, services
from .capacity import CapacityExceeded
from .models import TrainingSeries, TrainingSession


class _ScopedForm(WagtailAdminModelForm):
    def __init__(self, *args, for_user=None, **kwargs):
        super().__init__(*args, for_user=for_user, **kwargs)
        if for_user is None:
            return
        units = selectors.organiser_units_for(for_user).order_by("path")
        for name in ("organiser_unit", "invite_unit"):
            if name in self.fields:
                self.fields[name].queryset = units
        if "series" in self.fields:
            self.fields["series"].queryset = selectors.series_visible_to(for_user)
        if "trainers" in self.fields:
            self.fields["trainers"].queryset = User.objects.filter(role=User.Role.TRAINER).order_by(
                "username"
            )
        if "named_cadres" in self.fields:
            visible = (
                cadres_visible_to(for_user)
                if for_user.is_hr_officer or for_user.is_administrator
                else cadres_visible_to(for_user).none()
            )
            if for_user.is_trainer:
                from cadres.models import Cadre

                visible = Cadre.objects.filter(status=Cadre.Status.ACTIVE)
            self.fields["named_cadres"].queryset = visible.order_by("sort_key")

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("The session must end after it starts."))
        if cleaned.get("counts_for_course") and cleaned.get("counts_for_programme"):
            self.add_error("counts_for_programme", _("Choose a course or a programme, not both."))
        return cleaned


def _scoped(view_class, visible):
    class Scoped(view_class):
        def get_object(self, queryset=None):
            obj = super().get_object(queryset)
            if not visible(self.request.user).filter(pk=obj.pk).exists():
                raise Http404
            return obj

    return Scoped


class _ScopedViewSet(SnippetViewSet):
    """Lists, edits and deletes only what ``visible_to`` (a selector taking the
    user) lets the user see; the form offers only their units."""

    visible_to = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.edit_view_class = _scoped(SnippetViewSet.edit_view_class, cls.visible_to)
        cls.delete_view_class = _scoped(SnippetViewSet.delete_view_class, cls.visible_to)

    def get_queryset(self, request):
        return self.visible_to(request.user).select_related("organiser_unit")

    def get_form_class(self, for_update=False):
        form_class = super().get_form_class(for_update)
        return type(f"{self.model.__name__}AdminForm", (_ScopedForm, form_class), {})


class SessionViewSet(_ScopedViewSet):
    model = TrainingSession
    visible_to = staticmethod(selectors.sessions_visible_to)
    icon = "date"
    menu_label = gettext_lazy("Training sessions")
    menu_name = "training-sessions"
    url_prefix = "tap-huan"
    list_display = ["title", "starts_at", "organiser_unit", "mode"]
    list_filter = ["mode"]
    search_fields = ["title"]


class SeriesViewSet(_ScopedViewSet):
    model = TrainingSeries
    visible_to = staticmethod(selectors.series_visible_to)
    icon = "list-ul"
    menu_label = gettext_lazy("Training series")
    menu_name = "training-series"
    url_prefix = "chuoi-tap-huan"
    list_display = ["title", "organiser_unit", "min_share_percent"]


class TrainingsGroup(SnippetViewSetGroup):
    items = (SessionViewSet, SeriesViewSet)
    menu_icon = "date"
    menu_label = gettext_lazy("Training sessions")
    menu_name = "trainings"
    menu_order = 260


register_snippet(TrainingsGroup)


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def _invite_after_save(request, instance):
    if isinstance(instance, TrainingSession):
        try:
            services.session_sync_invitations(session=instance, by=request.user)
        except CapacityExceeded as exc:
            # The session is saved; the organiser sees why nobody new was invited.
            messages.error(request, str(exc))


@hooks.register("register_snippet_listing_buttons")
def _session_buttons(snippet, user, next_url=None):
    if isinstance(snippet, TrainingSession):
        yield ListingButton(
            _("Attendance"),
            reverse("trainings:manage", args=[snippet.pk]),
            icon_name="tick",
            priority=15,
        )
        yield ListingButton(
            _("QR check-in"),
            reverse("trainings:qr", args=[snippet.pk]),
            icon_name="view",
            priority=16,
        )


@hooks.register("register_admin_menu_item")
def _attendance_menu():
    return MenuItem(gettext_lazy("Attendance"), "/tap-huan/", icon_name="tick", order=261)
