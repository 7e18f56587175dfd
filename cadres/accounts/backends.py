"""Ways to sign in, and the signed-in user read from the cache.

Every page reads the session's user; the row changes seldom (role, password,
deactivation). It is cached for a few minutes and forgotten the moment it is
saved or deleted (``cadres.signals``) or deactivated in bulk
(:func:`cadres.services.cadre_deactivate`), now and again on commit.
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend
from django.core.cache import cache

from ..caching import forget
from ..models import User
from ..selectors import user_with_phone

USER_CACHE_SECONDS = 300


def _user_key(user_id) -> str:
    return f"cadres:user:{user_id}"


def forget_user(user_id) -> None:
    forget(_user_key(user_id))


class CachedUserMixin:
    def get_user(self, user_id):
        key = _user_key(user_id)
        user = cache.get(key)
        if user is None:
            user = super().get_user(user_id)  # None when missing or inactive
            if user is None:
                return None
            cache.set(key, user, USER_CACHE_SECONDS)
        return user if self.user_can_authenticate(user) else None


class UsernameBackend(CachedUserMixin, ModelBackend):
    """Sign in with the username, whatever its case: the sign-in form lower-cases
    what was typed (:func:`cadres.accounts.logins.canonical_login`)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        users = list(User.objects.filter(username__iexact=username)[:2])
        if len(users) != 1:
            # As ModelBackend does: a missing user costs the same as a wrong password.
            User().set_password(password)
            return None
        user = users[0]
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


class EmailBackend(CachedUserMixin, AuthenticationBackend):
    """allauth's: sign in with the email address."""


class PhoneBackend(CachedUserMixin, ModelBackend):
    """Sign in with the phone number on the cadre's roster entry."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        user = user_with_phone(username or "") if password is not None else None
        if user is None:
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
