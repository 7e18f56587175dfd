from django import forms
from django.utils.translation import gettext_lazy as _


class ActivationForm(forms.Form):
    username = forms.CharField(label=_("Username"), max_length=150)
    code = forms.CharField(label=_("Activation code"), max_length=20)
    password1 = forms.CharField(label=_("New password"), widget=forms.PasswordInput)
    password2 = forms.CharField(label=_("New password (again)"), widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("password1") != data.get("password2"):
            raise forms.ValidationError(_("The two passwords do not match."))
        return data


class RosterSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name, code or phone"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": 200}),
    )

    def clean_q(self) -> str:
        from .selectors import SEARCH_MAX_WORDS

        q = self.cleaned_data["q"]
        if len(q.split()) > SEARCH_MAX_WORDS or len(q) > 200:
            raise forms.ValidationError(
                _("Search with at most %(n)s words.") % {"n": SEARCH_MAX_WORDS}
            )
        return q
