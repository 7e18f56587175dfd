from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import NoReverseMatch, reverse

from ..network import client_ip
from .logins import canonical_login

# The reports app's overview; named, not imported, as reports comes after cadres.
HR_LANDING_URL_NAME = "reports:dashboard"


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Accounts are created from the roster by HR, never by sign-up.
        return False

    def get_login_redirect_url(self, request) -> str:
        """HR officers and administrators land on their unit's overview, not on
        an empty "Khóa học của tôi"; everybody else on the home page."""
        user = request.user
        if user.is_administrator or user.is_hr_officer:
            try:
                return reverse(HR_LANDING_URL_NAME)
            except NoReverseMatch:
                pass
        return super().get_login_redirect_url(request)

    def get_client_ip(self, request) -> str:
        # allauth's rate limits count per address: the same one as ours and the
        # audit log's, taken from X-Forwarded-For only through TRUSTED_PROXIES.
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # Every path into authenticate() (the form, reauthentication) counts
        # failures under the canonical login, never under a spelling of it.
        key = super()._get_login_attempts_cache_key(request, **credentials)
        domain, _, login = key.partition(":")
        try:
            login = canonical_login(login)
        except ValidationError:
            pass
        return f"{domain}:{login}"
