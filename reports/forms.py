from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import OrgUnit

DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d"]


class ReportFilterForm(forms.Form):
    """The report's filters. Programme choices come from the view's single
    query, so validating the form costs no query of its own."""

    programme = forms.TypedChoiceField(label=_("Training programme"), coerce=int, required=False)
    as_of = forms.DateField(
        label=_("Figures as of (dd/mm/yyyy)"),
        required=False,
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.TextInput(attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"}),
    )
    full_time = forms.BooleanField(label=_("Count full-time cadres only"), required=False)
    unit_kind = forms.ChoiceField(
        label=_("Unit kind"),
        required=False,
        choices=[("", _("All kinds"))] + list(OrgUnit.Kind.choices),
    )
    unit = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, programmes=(), targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        targets = targets or {}
        self.fields["programme"].choices = [
            (p.pk, p.name if p.pk in targets else _("%(name)s (no target)") % {"name": p.name})
            for p in programmes
        ]

    def clean_as_of(self):
        day = self.cleaned_data.get("as_of")
        if day and day > timezone.localdate():
            raise forms.ValidationError(_("The date cannot be in the future."))
        return day


class SnapshotForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
