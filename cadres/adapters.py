from allauth.account.adapter import DefaultAccountAdapter
from django.urls import NoReverseMatch, reverse

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
