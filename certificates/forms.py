from django import forms
from django.utils.translation import gettext_lazy as _

MAX_UPLOAD = 5 * 1024 * 1024


class LookupForm(forms.Form):
    q = forms.CharField(
        label=_("Certificate number or verification code"),
        max_length=80,
        help_text=_("E.g. 00012/2026/CN-MTTQ or 7K3M-Q9XA-2B4C-D5EF"),
    )
    # A number is printed on the paper and easy to guess: by number, the page
    # only says whether the name typed matches, never whose certificate it is.
    name = forms.CharField(
        label=_("Holder's name as printed"),
        max_length=200,
        required=False,
        help_text=_("Needed when you check by number."),
    )


class FileCheckForm(forms.Form):
    file = forms.FileField(
        label=_("Certificate PDF file"),
        help_text=_("The file is compared with the one issued; it is not kept."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD:
            raise forms.ValidationError(
                _("The file is larger than 5 MB; it cannot be a certificate.")
            )
        return upload


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=1000
    )


class UnitForm(forms.Form):
    unit = forms.ModelChoiceField(label=_("Unit"), queryset=None, empty_label=None)

    def __init__(self, *args, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units
