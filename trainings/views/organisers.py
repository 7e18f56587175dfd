"""An organiser's pages for a session: the list, the phone-friendly tick
list, inviting, accepting a walk-in and revoking attendance."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.selectors import unit_subtree

from .. import selectors, services
from ..capacity import CapacityExceeded
from ..forms import ReasonForm
from ..models import Attendance


def organisers_only(request) -> None:
    """Administrators, HR officers and trainers only; for anyone else the page
    does not exist (404)."""
    user = request.user
    if not (user.is_administrator or user.is_hr_officer or user.is_trainer):
        raise Http404


@login_required
def session_list(request):
    organisers_only(request)
    sessions = selectors.sessions_list_for_organiser(request.user)[:200]
    return render(request, "trainings/session_list.html", {"sessions": sessions})


@login_required
def session_manage(request, session_id: int):
    """The phone-friendly tick list: each invitee (and walk-in) with four statuses."""
    session = selectors.session_for_organiser(request.user, session_id)
    if request.method == "POST":
        changed = 0
        cadres = {row["cadre"].pk: row["cadre"] for row in selectors.session_roster(session)}
        for key, value in request.POST.items():
            if not key.startswith("status-"):
                continue
            try:
                cadre = cadres.get(int(key.removeprefix("status-")))
            except ValueError:
                cadre = None
            if cadre is None or value not in Attendance.Status.values:
                continue
            before = (
                Attendance.objects.filter(session=session, cadre=cadre)
                .values_list("status", flat=True)
                .first()
            )
            if before == value:
                continue
            try:
                services.attendance_set(
                    session=session,
                    cadre=cadre,
                    status=value,
                    by=request.user,
                    source=Attendance.Source.SHEET,
                )
            except PermissionDenied as exc:
                messages.error(request, str(exc))
                return redirect("trainings:manage", session.pk)
            changed += 1
        messages.success(request, _("Attendance saved: %(n)s changed.") % {"n": changed})
        return redirect("trainings:manage", session.pk)
    return render(
        request,
        "trainings/session_manage.html",
        {
            "session": session,
            "rows": selectors.session_roster(session),
            "statuses": Attendance.Status.choices,
            "counts": selectors.session_counts_by_unit(session),
            "sheet_units": unit_subtree(session.invite_unit or session.organiser_unit)
            .filter(pk__in=selectors.organiser_units_for(request.user).values("pk"))
            .order_by("path")[:200],
            "reason_form": ReasonForm(),
        },
    )


@require_POST
@login_required
def session_invite(request, session_id: int):
    session = selectors.session_for_organiser(request.user, session_id)
    try:
        created = services.session_sync_invitations(session=session, by=request.user)
    except CapacityExceeded as exc:
        messages.error(request, str(exc))
        return redirect("trainings:manage", session.pk)
    messages.success(request, _("%(n)s cadres newly invited.") % {"n": created})
    return redirect("trainings:manage", session.pk)


def _attendance_for(request, session, attendance_id):
    attendance = (
        Attendance.objects.filter(session=session, pk=attendance_id)
        .select_related("session__organiser_unit", "cadre")
        .first()
    )
    if attendance is None:
        raise Http404
    return attendance


@require_POST
@login_required
def attendance_accept(request, session_id: int, attendance_id: int):
    session = selectors.session_for_organiser(request.user, session_id)
    try:
        services.attendance_accept_walk_in(
            attendance=_attendance_for(request, session, attendance_id), by=request.user
        )
    except CapacityExceeded as exc:
        messages.error(request, str(exc))
        return redirect("trainings:manage", session.pk)
    messages.success(request, _("Walk-in accepted."))
    return redirect("trainings:manage", session.pk)


@require_POST
@login_required
def attendance_revoke(request, session_id: int, attendance_id: int):
    session = selectors.session_for_organiser(request.user, session_id)
    attendance = _attendance_for(request, session, attendance_id)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a reason."))
        return redirect("trainings:manage", session.pk)
    try:
        services.attendance_revoke(
            attendance=attendance, by=request.user, reason=form.cleaned_data["reason"]
        )
    except PermissionDenied as exc:
        messages.error(request, str(exc))
        return redirect("trainings:manage", session.pk)
    messages.success(request, _("Attendance revoked."))
    return redirect("trainings:manage", session.pk)
