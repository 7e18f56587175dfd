from allauth.account.forms import LoginForm as AllauthLoginForm
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
