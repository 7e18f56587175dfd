"""Printouts and exports: a session's sign-in sheet, attendance spreadsheet
and report, and the report per unit and period (page, PDF, spreadsheet)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render

from .. import selectors
from ..forms import PeriodForm
from .organisers import organisers_only

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    """Shown in the browser (printed from there)."""
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _xlsx_response(data: bytes, filename: str) -> HttpResponse:
    """Downloaded."""
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def session_sheet(request, session_id: int):
    """The printable sign-in sheet (PDF), for the session or one unit of it."""
    from ..sheet import SignInSheet

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
    return _pdf_response(pdf, f"so-ky-tap-huan-{session.pk}.pdf")


@login_required
def session_export(request, session_id: int):
    from ..exports import session_xlsx

    session = selectors.session_for_organiser(request.user, session_id)
    return _xlsx_response(session_xlsx(session), f"diem-danh-{session.pk}.xlsx")


@login_required
def period_report(request):
    """Per unit and period: sessions held, attendance rate, cadres never present."""
    organisers_only(request)
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


@login_required
def session_report_pdf(request, session_id: int):
    """Per session: counts by unit and the attendance list, printable for the file."""
    from ..pdf import SessionReportPDF

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
    organisers_only(request)
    form = PeriodForm(request.GET, units=selectors.organiser_units_for(request.user))
    if not form.is_valid():
        raise Http404
    unit, start, end = (form.cleaned_data[key] for key in ("unit", "start", "end"))
    return unit, start, end, selectors.unit_period_summary(request.user, unit, start, end)


@login_required
def period_report_pdf(request):
    from ..pdf import PeriodReportPDF

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
    from ..exports import period_xlsx

    unit, start, end, summary = _period(request)
    return _xlsx_response(
        period_xlsx(unit=unit, start=start, end=end, summary=summary),
        f"bao-cao-tap-huan-{start:%Y%m%d}-{end:%Y%m%d}.xlsx",
    )
