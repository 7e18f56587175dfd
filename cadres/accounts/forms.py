from allauth.account.forms import LoginForm as AllauthLoginForm
from django import forms
from django.utils.translation import gettext_lazy as _

from .logins import canonical_login


class LoginForm(AllauthLoginForm):
    """allauth's login form, labelled with what it really accepts: the
    phone number is matched by :class:`cadres.accounts.backends.PhoneBackend`."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields["login"]
        login.label = _("Username, phone number or email")
        login.widget.attrs.update(
            {"placeholder": "", "autocomplete": "username", "autocapitalize": "none"}
        )

    def clean_login(self) -> str:
        # One number typed several ways ("+84 912…", "0912…") is one login and
        # one rate-limit key: allauth counts failed attempts per login string.
        return canonical_login(super().clean_login())


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
