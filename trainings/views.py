"""Thin views: look up through selectors, change through services."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from cadres.selectors import cadre_of, unit_subtree
from cadres.services import file_sha256

from . import selectors, services, tokens
from .attendee_report import ReportFileError, parse
from .capacity import CapacityExceeded, session_full
from .checkout import (
    CheckOutRefused,
    attendance_check_out,
    attendance_check_out_code,
    checkout_code_valid,
)
from .forms import CodeForm, ReasonForm, ReportUploadForm
from .ics import session_ics
from .models import Attendance, AttendanceImport
from .qr import qr_svg

PENDING_KEY = "trainings_pending_scan"


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


# --- the cadre -------------------------------------------------------------------


def _checkin_url(session_id: int, window: int) -> str:
    path = reverse(
        "trainings:checkin",
        args=[session_id, window, tokens.signature(session_id, window)],
    )
    return settings.SITE_URL.rstrip("/") + path


def _refused(request, message: str, status: int = 403):
    return render(
        request,
        "trainings/checkin_result.html",
        {"refused": True, "message": message},
        status=status,
    )


def _checking_in(request):
    """The signed-in user's cadre, with its user (who records the check-in) set."""
    cadre = cadre_of(request.user)
    if cadre is not None:
        cadre.user = request.user
    return cadre


def _checked_in(request, result):
    attendance = result.attendance
    waiting = attendance.walk_in and not attendance.accepted
    return render(
        request,
        "trainings/checkin_result.html",
        {"result": result, "full": waiting and session_full(attendance.session)},
    )


@never_cache
def checkin(request, session_id: int, window: int, signature: str):
    """The URL in the QR code. Signed out: the scan is kept while the cadre signs in."""
    if not request.user.is_authenticated:
        if not services.check_in_code_valid(
            session_id=session_id, window=window, signature=signature
        ):
            return _refused(
                request,
                _(
                    "This check-in code is not valid or has expired. "
                    "Scan the code on the screen again."
                ),
            )
        request.session[PENDING_KEY] = {
            "session": session_id,
            "window": window,
            "signature": signature,
            "scanned_at": timezone.now().isoformat(),
        }
        return redirect_to_login(reverse("trainings:checkin_continue"))
    try:
        result = services.attendance_check_in(
            session_id=session_id,
            window=window,
            signature=signature,
            cadre=_checking_in(request),
        )
    except services.CheckInRefused as exc:
        return _refused(request, str(exc))
    return _checked_in(request, result)


@never_cache
@login_required
def checkin_continue(request):
    """After signing in: check in with the code scanned before."""
    pending = request.session.pop(PENDING_KEY, None)
    if not pending:
        return redirect("trainings:checkin_code")
    try:
        result = services.attendance_check_in(
            session_id=int(pending["session"]),
            window=int(pending["window"]),
            signature=str(pending["signature"]),
            cadre=_checking_in(request),
            scanned_at=dt.datetime.fromisoformat(pending["scanned_at"]),
        )
    except (services.CheckInRefused, KeyError, TypeError, ValueError) as exc:
        message = (
            str(exc) if isinstance(exc, services.CheckInRefused) else _("Scan the code again.")
        )
        return _refused(request, message)
    return _checked_in(request, result)


@never_cache
@login_required
def checkin_code(request):
    """Type the six-digit code shown under the QR code."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.attendance_check_in_code(
                code=form.cleaned_data["code"], cadre=_checking_in(request)
            )
        except services.CheckInRefused as exc:
            form.add_error("code", str(exc))
        else:
            return _checked_in(request, result)
    return render(request, "trainings/checkin_code.html", {"form": form})


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


# --- organisers ------------------------------------------------------------------


def _organiser(request):
    user = request.user
    if not (user.is_administrator or user.is_hr_officer or user.is_trainer):
        raise Http404


@login_required
def session_list(request):
    _organiser(request)
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


@never_cache
@login_required
def session_qr(request, session_id: int):
    """The trainer's full-screen page: the code changes every window. ``?ra=1``
    shows the check-out code instead (near the end of the session)."""
    session = selectors.session_for_organiser(request.user, session_id)
    checkout = request.GET.get("ra") == "1"
    code_page = "trainings:checkout_code" if checkout else "trainings:checkin_code"
    code_url = settings.SITE_URL.split("://", 1)[-1].rstrip("/") + reverse(code_page)
    return render(
        request,
        "trainings/session_qr.html",
        {
            "session": session,
            "code_url": code_url,
            "checkout": checkout,
            **_qr_data(session, checkout=checkout),
        },
    )


def _qr_data(session, *, checkout: bool = False) -> dict:
    window = tokens.window_at()
    if checkout:
        url = _checkout_url(session.pk, window)
        code = tokens.checkout_typed_code(session.pk, window)
        is_open = session.checkout_open()
    else:
        url = _checkin_url(session.pk, window)
        code = tokens.typed_code(session.pk, window)
        is_open = session.checkin_open()
    return {
        "svg": qr_svg(url),
        "url": url,
        "code": code,
        "expires_in": max(
            1, int((tokens.window_ends_at(window) - timezone.now()).total_seconds()) + 1
        ),
        "open": is_open,
    }


@never_cache
@login_required
def session_qr_data(request, session_id: int):
    session = selectors.session_for_organiser(request.user, session_id)
    data = _qr_data(session, checkout=request.GET.get("ra") == "1")
    return JsonResponse({**data, "svg": str(data["svg"])})


@login_required
def session_sheet(request, session_id: int):
    """The printable sign-in sheet (PDF), for the session or one unit of it."""
    from .sheet import SignInSheet

    session = selectors.session_for_organiser(request.user, session_id)
    unit = None
    if request.GET.get("unit"):
        try:
            unit = (
                selectors.organiser_units_for(request.user).filter(pk=request.GET["unit"]).first()
            )
        except (TypeError, ValueError):
            unit = None
        if unit is None:
            raise Http404
    rows = selectors.session_roster(session, unit=unit)
    pdf = SignInSheet().render(session=session, rows=rows, unit=unit)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="so-ky-tap-huan-{session.pk}.pdf"'
    return response


@login_required
def session_export(request, session_id: int):
    from .exports import session_xlsx

    session = selectors.session_for_organiser(request.user, session_id)
    response = HttpResponse(
        session_xlsx(session),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="diem-danh-{session.pk}.xlsx"'
    return response


@login_required
def import_upload(request, session_id: int):
    session = selectors.session_for_organiser(request.user, session_id)
    form = ReportUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read()
        try:
            report = parse(data)
        except ReportFileError as exc:
            form.add_error("file", str(exc))
        else:
            if report.errors:
                for error in report.errors[:20]:
                    form.add_error("file", error)
            else:
                record = AttendanceImport.objects.create(
                    session=session,
                    created_by=request.user,
                    file_name=upload.name[:255],
                    sha256=file_sha256(data),
                    format=report.format,
                    participants=[p.as_json() for p in report.participants],
                )
                return redirect("trainings:import_detail", session.pk, record.pk)
    return render(request, "trainings/import_upload.html", {"session": session, "form": form})


@login_required
def import_detail(request, session_id: int, import_id: int):
    session = selectors.session_for_organiser(request.user, session_id)
    record = AttendanceImport.objects.filter(session=session, pk=import_id).first()
    if record is None:
        raise Http404
    plan = services.attendance_import_plan(session=session, participants=record.participants)
    error = ""
    if request.method == "POST" and record.status == AttendanceImport.Status.PLANNED:
        resolutions = {}
        for row in plan.rows:
            if row.state == services.MATCHED:
                continue
            value = request.POST.get(f"resolve-{row.index}", "")
            if value == "skip":
                resolutions[row.index] = None
            elif value.isdigit():
                resolutions[row.index] = int(value)
        try:
            counts = services.attendance_import_commit(
                session=session, plan=plan, by=request.user, resolutions=resolutions
            )
        except (services.ImportRejected, PermissionDenied) as exc:
            error = str(exc)
        else:
            AttendanceImport.objects.filter(pk=record.pk).update(
                status=AttendanceImport.Status.DONE, summary=counts
            )
            messages.success(
                request,
                _(
                    "Imported: %(present)s present, %(late)s late, %(absent)s absent, "
                    "%(skipped)s left out."
                )
                % counts,
            )
            return redirect("trainings:manage", session.pk)
    invitees = sorted(plan.cadres.values(), key=lambda c: (c.sort_key, c.pk))
    for row in plan.rows:
        row.cadre = plan.cadres.get(row.cadre_id)
        row.candidate_cadres = [plan.cadres[pk] for pk in (row.candidates or [])]
    return render(
        request,
        "trainings/import_detail.html",
        {
            "session": session,
            "record": record,
            "plan": plan,
            "invitees": invitees,
            "error": error,
            "matched": plan.count(services.MATCHED),
            "unmatched": plan.count(services.UNMATCHED),
            "ambiguous": plan.count(services.AMBIGUOUS),
        },
    )


@login_required
def period_report(request):
    """Per unit and period: sessions held, attendance rate, cadres never present."""
    from .forms import PeriodForm

    _organiser(request)
    units = selectors.organiser_units_for(request.user).order_by("path")
    form = PeriodForm(request.GET or None, units=units)
    summary = None
    if request.GET and form.is_valid():
        summary = selectors.unit_period_summary(
            request.user,
            form.cleaned_data["unit"],
            form.cleaned_data["start"],
            form.cleaned_data["end"],
        )
    return render(request, "trainings/period_report.html", {"form": form, "summary": summary})


# --- check-out -------------------------------------------------------------------

PENDING_CHECKOUT_KEY = "trainings_pending_checkout"


def _checkout_url(session_id: int, window: int) -> str:
    path = reverse(
        "trainings:checkout",
        args=[session_id, window, tokens.checkout_signature(session_id, window)],
    )
    return settings.SITE_URL.rstrip("/") + path


def _checkout_refused(request, message: str):
    return render(
        request,
        "trainings/checkout_result.html",
        {"refused": True, "message": message},
        status=403,
    )


def _checked_out(request, result):
    return render(request, "trainings/checkout_result.html", {"result": result})


@never_cache
def checkout(request, session_id: int, window: int, signature: str):
    """The URL in the check-out QR code; signed out, the scan waits for the sign-in."""
    if not request.user.is_authenticated:
        if not checkout_code_valid(session_id=session_id, window=window, signature=signature):
            return _checkout_refused(
                request,
                _("This check-out code is not valid or has expired. Scan the code again."),
            )
        request.session[PENDING_CHECKOUT_KEY] = {
            "session": session_id,
            "window": window,
            "signature": signature,
            "scanned_at": timezone.now().isoformat(),
        }
        return redirect_to_login(reverse("trainings:checkout_continue"))
    try:
        result = attendance_check_out(
            session_id=session_id,
            window=window,
            signature=signature,
            cadre=cadre_of(request.user),
        )
    except CheckOutRefused as exc:
        return _checkout_refused(request, str(exc))
    return _checked_out(request, result)


@never_cache
@login_required
def checkout_continue(request):
    pending = request.session.pop(PENDING_CHECKOUT_KEY, None)
    if not pending:
        return redirect("trainings:checkout_code")
    try:
        result = attendance_check_out(
            session_id=int(pending["session"]),
            window=int(pending["window"]),
            signature=str(pending["signature"]),
            cadre=cadre_of(request.user),
            scanned_at=dt.datetime.fromisoformat(pending["scanned_at"]),
        )
    except (CheckOutRefused, KeyError, TypeError, ValueError) as exc:
        message = str(exc) if isinstance(exc, CheckOutRefused) else _("Scan the code again.")
        return _checkout_refused(request, message)
    return _checked_out(request, result)


@never_cache
@login_required
def checkout_code(request):
    """Type the six-digit check-out code shown under the QR code."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = attendance_check_out_code(
                code=form.cleaned_data["code"], cadre=cadre_of(request.user)
            )
        except CheckOutRefused as exc:
            form.add_error("code", str(exc))
        else:
            return _checked_out(request, result)
    return render(request, "trainings/checkout_code.html", {"form": form})


# --- report exports -----------------------------------------------------------------


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@login_required
def session_report_pdf(request, session_id: int):
    """Per session: counts by unit and the attendance list, printable for the file."""
    from .pdf import SessionReportPDF

    session = selectors.session_for_organiser(request.user, session_id)
    pdf = SessionReportPDF().render(
        session=session,
        rows=selectors.session_roster(session),
        counts=selectors.session_counts_by_unit(session),
    )
    return _pdf_response(pdf, f"bao-cao-tap-huan-{session.pk}.pdf")


def _period(request):
    """The period report's unit and dates from the query, or 404 when invalid
    or outside the user's units (the same answer for both)."""
    from .forms import PeriodForm

    _organiser(request)
    form = PeriodForm(request.GET, units=selectors.organiser_units_for(request.user))
    if not form.is_valid():
        raise Http404
    unit, start, end = (form.cleaned_data[key] for key in ("unit", "start", "end"))
    return unit, start, end, selectors.unit_period_summary(request.user, unit, start, end)


@login_required
def period_report_pdf(request):
    from .pdf import PeriodReportPDF

    unit, start, end, summary = _period(request)
    pdf = PeriodReportPDF().render(
        unit=unit,
        start=start,
        end=end,
        summary=summary,
        never_units=selectors.cadre_unit_names([cadre.pk for cadre in summary["never"]]),
    )
    return _pdf_response(pdf, f"bao-cao-tap-huan-{start:%Y%m%d}-{end:%Y%m%d}.pdf")


@login_required
def period_report_xlsx(request):
    from .exports import period_xlsx

    unit, start, end, summary = _period(request)
    response = HttpResponse(
        period_xlsx(unit=unit, start=start, end=end, summary=summary),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="bao-cao-tap-huan-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"'
    )
    return response
