"""The signed-in user's own pages: account overview and notifications."""

from allauth.mfa.utils import is_mfa_enabled
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .. import services
from ..notifications.selectors import notifications_for
from ..paging import page_number
from ..text import is_plain_digits


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
        services.notification_mark_read(user=request.user)
    elif is_plain_digits(raw):
        services.notification_mark_read(user=request.user, notification_id=int(raw))
    elif raw:
        raise BadRequest(f"notification id {raw!r}")
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("account_notifications")
