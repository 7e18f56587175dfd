"""Sign-in guards: Wagtail's login sent to allauth's, two-factor enrolment
required by role, and sign-in refused while the cache cannot count attempts."""

import logging
from urllib.parse import urlencode

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


class WagtailLoginThroughAllauthMiddleware:
    """Wagtail's login form is not rate limited; send every visit to it to
    allauth's, which is, keeping where the user wanted to go."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == reverse("wagtailadmin_login"):
            query = {"next": request.GET.get("next") or reverse("wagtailadmin_home")}
            return HttpResponseRedirect(f"{settings.WAGTAILADMIN_LOGIN_URL}?{urlencode(query)}")
        return self.get_response(request)


class MFARequiredMiddleware:
    """A staff member whose role must use two-factor sign-in, and who has no
    authenticator app yet, is sent to set one up before anything else."""

    ALLOWED_URL_NAMES = (
        "mfa_activate_totp",
        "mfa_reauthenticate",
        "account_reauthenticate",
        "account_logout",
        "set_language",
    )
    ALLOWED_PREFIXES = ("/static/", "/media/")

    def __init__(self, get_response):
        self.get_response = get_response
        self._allowed_paths: frozenset[str] | None = None

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and (user.role != user.Role.CADRE or user.is_superuser)
            and not self._allowed(request.path_info)
            and self._must_enrol(request, user)
        ):
            messages.warning(
                request,
                _("Your role must use two-factor sign-in. Please set up an authenticator app."),
            )
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    def _allowed(self, path: str) -> bool:
        if self._allowed_paths is None:
            self._allowed_paths = frozenset(reverse(name) for name in self.ALLOWED_URL_NAMES)
        return path in self._allowed_paths or path.startswith(self.ALLOWED_PREFIXES)

    @staticmethod
    def _must_enrol(request, user) -> bool:
        from ..models import SecuritySettings

        if not SecuritySettings.current().requires_mfa(user):
            return False
        return not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class SignInNeedsCacheMiddleware:
    """Sign-in and activation are rate limited by counters in the cache. While
    the cache cannot count, a guess at a password or a code would go
    unlimited: refuse these forms' submissions with a "try again in a few
    minutes" page (503) instead. Every other page is served without the cache.
    """

    GUARDED_URL_NAMES = frozenset(
        {
            "account_login",
            "account_activate",
            "account_reset_password",
            "account_reset_password_from_key",
            "mfa_authenticate",
        }
    )

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST":
            return None
        match = getattr(request, "resolver_match", None)
        if match is None or match.url_name not in self.GUARDED_URL_NAMES:
            return None
        from config.cache import cache_available

        if cache_available():
            return None
        logger.warning("refused %s: the cache that counts attempts is unreachable", match.url_name)
        response = render(request, "cadres/busy.html", status=503)
        response["Retry-After"] = "60"
        return response
