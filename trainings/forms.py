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
