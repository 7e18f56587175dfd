from django import forms
from django.utils.translation import gettext_lazy as _

from cadres.text import nfc


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Give a reason.")},
    )

    def clean_reason(self) -> str:
        reason = nfc(self.cleaned_data["reason"]).strip()
        if not reason:
            raise forms.ValidationError(_("Give a reason."))
        return reason


class LearnerSearchForm(forms.Form):
    q = forms.CharField(label=_("Name, cadre code or phone number"), required=False, max_length=100)


class VideoEventForm(forms.Form):
    event = forms.ChoiceField(choices=[("start", "start"), ("end", "end")])
