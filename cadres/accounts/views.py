"""Account pages: activation with a code, and the signed-in user's own pages
(account overview and notifications)."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..notifications.selectors import notifications_for
from ..notifications.services import notification_mark_read
from ..paging import page_number
from ..text import is_plain_digits
from . import services
from .forms import ActivationForm


def activate(request):
    # The slip's QR code opens this page with ?u=<username> filled in.
    form = ActivationForm(
        request.POST or None, initial={"username": request.GET.get("u", "")[:150]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activation_code_redeem(
                username=form.cleaned_data["username"],
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["password1"],
                request=request,
            )
        except services.ActivationError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error("password1", exc)
        else:
            messages.success(request, _("Your password is set. Please sign in."))
            return redirect("account_login")
    return render(request, "cadres/activate.html", {"form": form})


@login_required
def account(request):
    return render(
        request,
        "cadres/account.html",
        {
            "is_staff_role": request.user.role != request.user.Role.CADRE
            or request.user.is_superuser,
            "mfa_enabled": is_mfa_enabled(request.user),
        },
    )


@login_required
def notifications(request):
    page = Paginator(notifications_for(request.user), 20).get_page(page_number(request))
    return render(request, "cadres/notifications.html", {"page": page})


@login_required
@require_POST
def notifications_mark_read(request):
    raw = request.POST.get("id", "")
    if request.POST.get("all") == "1":
        notification_mark_read(user=request.user)
    elif is_plain_digits(raw):
        notification_mark_read(user=request.user, notification_id=int(raw))
    elif raw:
        raise BadRequest(f"notification id {raw!r}")
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("account_notifications")
