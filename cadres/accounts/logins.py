"""What a person types in the sign-in box, reduced to one canonical login.

Normalised once, before the rate limit counts it and before any backend sees
it: every spelling of one phone number is one login and one counter, and a
string that is neither a username, an email nor a phone number is refused
rather than stripped down to something that happens to sign in.
"""

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from ..phone import PHONE_CHARACTERS, normalise_phone

# Django's username rule (UnicodeUsernameValidator): letters, digits and @.+-_
_USERNAME = re.compile(r"[\w.@+-]{1,150}")


def canonical_login(value: str) -> str:
    """The phone number as 0xxxxxxxxx, or the username or email stripped and
    lower-cased. Raises ValidationError for anything else."""
    login = (value or "").strip()
    if PHONE_CHARACTERS.fullmatch(login):
        phone = normalise_phone(login)
        if phone:
            return phone
    if "@" in login:
        try:
            validate_email(login)
        except ValidationError:
            pass
        else:
            return login.lower()
    if _USERNAME.fullmatch(login):
        return login.lower()
    raise ValidationError(
        _("Enter a username, phone number or email."), code="invalid_login_format"
    )
