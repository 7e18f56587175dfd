from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from .models import Target


class TargetViewSet(SnippetViewSet):
    """Administrators set targets; HR officers read them in the report."""

    model = Target
    icon = "pick"
    menu_label = _("Targets")
    add_to_admin_menu = True
    list_display = ["programme", "unit", "percentage", "deadline"]
    panels = [
        FieldPanel("programme"),
        FieldPanel("unit"),
        FieldPanel("percentage"),
        FieldPanel("starts_on"),
        FieldPanel("deadline"),
        FieldPanel("full_time_only"),
        FieldPanel("positions"),
    ]


register_snippet(TargetViewSet)
