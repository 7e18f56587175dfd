"""Importing a meeting's attendee report: the upload, then the plan (who
matched whom) where the organiser resolves the rest and records it."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .. import selectors, services
from ..attendee_report import ReportFileError, parse
from ..forms import ReportUploadForm
from ..models import AttendanceImport


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
                record = services.attendance_import_create(
                    session=session,
                    by=request.user,
                    file_name=upload.name,
                    data=data,
                    report=report,
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
    if request.method == "POST":
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
            counts = services.attendance_import_apply(
                record=record, by=request.user, resolutions=resolutions
            )
        except (services.ImportRejected, PermissionDenied) as exc:
            error = str(exc)
        else:
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
