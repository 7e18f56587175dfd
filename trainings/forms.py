from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Attendance


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Check-in code"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=255)


class StatusForm(forms.Form):
    cadre = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(choices=Attendance.Status.choices)


class ReportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Participant report (CSV from Zoom, Google Meet or Microsoft Teams)")
    )


class PeriodForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None)
    start = forms.DateField(label=_("From"), input_formats=["%d/%m/%Y"])
    end = forms.DateField(label=_("To"), input_formats=["%d/%m/%Y"])

    def __init__(self, *args, units=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("start") and cleaned.get("end") and cleaned["end"] < cleaned["start"]:
            self.add_error("end", _("The end must not be before the start."))
        return cleaned
