from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import LOGIN_NEVER_USED, LOGIN_NONE, LOGIN_NOT_ACTIVATED


class ActivationForm(forms.Form):
    # Named "username" for the slip's ?u= link; a phone number works as well.
    username = forms.CharField(
        label=_("Username or phone number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "username", "autocapitalize": "none"}),
    )
    code = forms.CharField(
        label=_("Activation code"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autocapitalize": "characters"}
        ),
    )
    password1 = forms.CharField(
        label=_("New password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )
    password2 = forms.CharField(
        label=_("New password (again)"),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

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
    tai_khoan = forms.ChoiceField(
        label=_("Login"),
        required=False,
        choices=[
            ("", _("Everyone")),
            (LOGIN_NONE, _("No login yet")),
            (LOGIN_NOT_ACTIVATED, _("Login not activated")),
            (LOGIN_NEVER_USED, _("Never signed in")),
        ],
    )

    def clean_q(self) -> str:
        from .selectors import SEARCH_MAX_WORDS

        q = self.cleaned_data["q"]
        if len(q.split()) > SEARCH_MAX_WORDS or len(q) > 200:
            raise forms.ValidationError(
                _("Search with at most %(n)s words.") % {"n": SEARCH_MAX_WORDS}
            )
        return q
