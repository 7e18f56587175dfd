from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import LOGIN_NEVER_USED, LOGIN_NONE, LOGIN_NOT_ACTIVATED


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
