"""The HR officer's roster pages: a cadre, their moves and departure, activation
codes, the audit log. The import pages are in :mod:`.importing.views`."""

import datetime as dt
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors
from ..accounts.services import ACTIVATION_CODE_DAYS
from ..audit import action_label, event_details
from ..audit.selectors import audit_events_in_subtree
from ..errors import ApplicationError, RosterImportError
from ..paging import page_number
from ..qr import qr_svg
from ..services import cadre_deactivate, cadre_move
from ..text import fold
from . import selectors as rs
from .activation import activation_batch_start, activation_batch_take
from .forms import CodesForm, DeactivateForm, MoveForm
from .logins import activation_codes_issue

PAGE_ROWS = 100


def roster_keeper(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not rs.is_roster_keeper(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


# --- cadres ------------------------------------------------------------------------


@roster_keeper
def cadre_detail(request, pk):
    cadre = selectors.cadre_get_for_user(request.user, pk)
    units = rs.units_current_for(request.user)
    memberships = cadre.memberships.select_related("unit").order_by("-valid_from", "-pk")
    current = selectors.current_membership(cadre)
    context = {
        "cadre": cadre,
        "current": current,
        "memberships": memberships,
        "move_form": MoveForm(units=units, prefix="move"),
        "deactivate_form": DeactivateForm(prefix="left"),
    }
    return render(request, "cadres/cadre_detail.html", context)


@roster_keeper
@require_POST
def cadre_move_view(request, pk):
    cadre = selectors.cadre_get_for_user(request.user, pk)
    form = MoveForm(request.POST, units=rs.units_current_for(request.user), prefix="move")
    if not form.is_valid():
        messages.error(request, _("Choose a unit you manage and a valid date."))
        return redirect("cadres:cadre_detail", pk=cadre.pk)
    try:
        cadre_move(
            cadre=cadre,
            unit=form.cleaned_data["unit"],
            on=form.cleaned_data["on"],
            position=form.cleaned_data["position"] or None,
            by=request.user,
            request=request,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The cadre has been moved."))
    return redirect("cadres:cadre_detail", pk=cadre.pk)


@roster_keeper
@require_POST
def cadre_deactivate_view(request, pk):
    cadre = selectors.cadre_get_for_user(request.user, pk)
    form = DeactivateForm(request.POST, prefix="left")
    if not form.is_valid():
        messages.error(request, _("Enter a valid date."))
        return redirect("cadres:cadre_detail", pk=cadre.pk)
    try:
        cadre_deactivate(cadre=cadre, on=form.cleaned_data["on"], by=request.user, request=request)
    except ApplicationError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("The cadre is marked as having left; their history stays."))
    return redirect("cadres:cadre_detail", pk=cadre.pk)


@roster_keeper
@require_POST
def cadre_activation_view(request, pk):
    cadre = selectors.cadre_get_for_user(request.user, pk)
    try:
        issued = activation_codes_issue(cadres=[cadre], by=request.user, request=request)
    except RosterImportError as exc:
        messages.error(request, str(exc))
        return redirect("cadres:cadre_detail", pk=cadre.pk)
    if not issued:
        messages.error(request, _("This cadre has already signed in; no code is needed."))
        return redirect("cadres:cadre_detail", pk=cadre.pk)
    current = selectors.current_membership(cadre)
    return _codes_page(request, issued, current.unit if current else None)


def _codes_page(request, issued, unit):
    slips = [
        {
            "cadre": cadre,
            "username": username,
            "code": code,
            "qr": qr_svg(
                rs.activation_url(username),
                label=_("QR code of the activation page for %(name)s") % {"name": username},
            ),
        }
        for cadre, username, code in issued
    ]
    today = timezone.localdate()
    context = {
        "slips": slips,
        "unit": unit,
        "today": today,
        "expires": today + dt.timedelta(days=ACTIVATION_CODE_DAYS),
        "address": rs.activation_url(),
    }
    return render(request, "cadres/activation_codes.html", context)


@roster_keeper
def activation_codes(request):
    form = CodesForm(request.POST or None, units=rs.units_current_for(request.user))
    if request.method == "POST" and form.is_valid():
        try:
            batch = activation_batch_start(unit=form.cleaned_data["unit"], by=request.user)
        except ApplicationError as exc:
            messages.error(request, str(exc))
        else:
            return redirect("cadres:activation_batch", pk=batch.pk)
    return render(request, "cadres/activation_codes_form.html", {"form": form})


@roster_keeper
def activation_batch_view(request, pk):
    batch = rs.activation_batch_get_for_user(request.user, pk)
    return render(request, "cadres/activation_batch.html", {"batch": batch})


@roster_keeper
@require_POST
def activation_batch_download(request, pk):
    batch = rs.activation_batch_get_for_user(request.user, pk)
    try:
        pdf = activation_batch_take(batch=batch)
    except ApplicationError as exc:
        messages.error(request, str(exc))
        return redirect("cadres:activation_batch", pk=batch.pk)
    stem = "-".join(fold(batch.unit.name).split())[:60] or "don-vi"
    day = timezone.localtime(batch.finished_at or batch.created_at)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(
        True, f"ma-kich-hoat_{stem}_{day:%Y%m%d}.pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@roster_keeper
def audit_log(request):
    events = audit_events_in_subtree(request.user)
    page = Paginator(events, 50).get_page(page_number(request, "trang"))
    rows = [
        {"event": event, "label": action_label(event), "details": event_details(event)}
        for event in page
    ]
    return render(request, "cadres/audit_log.html", {"page": page, "rows": rows})
