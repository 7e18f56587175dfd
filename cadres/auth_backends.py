from django.contrib.auth.backends import ModelBackend

from .models import Cadre
from .phone import normalise_phone


class PhoneBackend(ModelBackend):
    """Sign in with the phone number on the cadre's roster entry."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        phone = normalise_phone(username or "")
        if not phone or password is None:
            return None
        cadre = Cadre.objects.filter(phone=phone, user__isnull=False).select_related("user").first()
        if cadre is None:
            return None
        user = cadre.user
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
