"""A cadre's own pages: their invited sessions on the home page, a session's
page, its calendar file, and saying they cannot attend."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..forms import ReasonForm
from ..ics import session_ics
from ..models import Attendance


def home_section(request) -> str:
    """The cadre's invited sessions on the home page (registered with courses)."""
    if not request.user.is_authenticated:
        return ""
    items = selectors.sessions_for_cadre(request.user)
    if not items:
        return ""
    return render_to_string(
        "trainings/includes/home_sessions.html", {"items": items}, request=request
    )


@login_required
def session_detail(request, session_id: int):
    invitation = selectors.invitation_for_cadre(request.user, session_id)
    attendance = Attendance.objects.filter(
        session=invitation.session, cadre=invitation.cadre
    ).first()
    return render(
        request,
        "trainings/session_detail.html",
        {
            "invitation": invitation,
            "session": invitation.session,
            "attendance": attendance,
            "form": ReasonForm(),
        },
    )


@login_required
def session_calendar(request, session_id: int):
    invitation = selectors.invitation_for_cadre(request.user, session_id)
    response = HttpResponse(
        session_ics(invitation.session), content_type="text/calendar; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="tap-huan-{invitation.session_id}.ics"'
    return response


@require_POST
@login_required
def session_decline(request, session_id: int):
    invitation = selectors.invitation_for_cadre(request.user, session_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
        return redirect("trainings:detail", session_id)
    services.invitation_decline(invitation=invitation, reason=form.cleaned_data["reason"])
    messages.success(request, _("The organiser knows you cannot attend."))
    return redirect("trainings:detail", session_id)
