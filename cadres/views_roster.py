"""The HR officer's roster pages: import, cadre detail, moves, codes, audit, restructuring."""

import datetime as dt
import io
from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import roster_import as ri
from . import roster_selectors as rs
from . import selectors
from .audit import action_label, event_details
from .errors import ApplicationError
from .export_cells import neutralise_row
from .forms_roster import CodesForm, DeactivateForm, MoveForm, RestructuringForm, UploadForm
from .models import Cadre, RosterImport
from .paging import page_number
from .qr import qr_svg
from .restructuring import (
    RestructuringError,
    restructuring_apply,
    restructuring_plan,
    restructuring_start,
)
from .roster_services import (
    RosterImportError,
    activation_codes_issue,
    roster_import_commit_request,
    roster_import_configure,
    roster_import_start,
)
from .services import ACTIVATION_CODE_DAYS, cadre_deactivate, cadre_move

PAGE_ROWS = 100


def roster_keeper(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not rs.is_roster_keeper(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


# --- import ----------------------------------------------------------------------


@roster_keeper
def import_upload(request):
    units = rs.units_current_for(request.user)
    form = UploadForm(
        request.POST or None,
        request.FILES or None,
        units=units,
        initial={"unit": request.user.scope_unit_id},
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            roster_import = roster_import_start(
                data=upload.read(),
                file_name=upload.name,
                unit=form.cleaned_data["unit"],
                by=request.user,
                encoding=form.cleaned_data["encoding"],
            )
        except ri.RosterFileError as exc:
            form.add_error("file", str(exc))
        else:
            return redirect("cadres:import_detail", pk=roster_import.pk)
    recent = rs.roster_imports_visible_to(request.user)[:10]
    return render(request, "cadres/import_upload.html", {"form": form, "recent": recent})


@roster_keeper
def import_template(request):
    import openpyxl
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách cán bộ"
    sheet.append(neutralise_row(ri.TEMPLATE_HEADERS))
    sheet.append(
        neutralise_row(
            [
                1,
                "TN00001",
                "Nguyễn Thị Hoa",
                "05/03/1988",
                "Chủ tịch",
                "x",
                "0912345678",
                "",
                "",
                "05818",
                "Ủy ban MTTQ xã La Bằng",
                "01/07/2025",
                "",
            ]
        )
    )
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for column in "BCDEFGHIJKLM":
        sheet.column_dimensions[column].width = 20
        # Text cells keep leading zeros of phones, ID numbers and codes.
        for cell in sheet[column][1:]:
            cell.number_format = "@"
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-danh-sach-can-bo.xlsx"'
    return response


# One page of a plan, however large the file: an ambiguous unit names its first rows only.
AMBIGUOUS_ROWS_SHOWN = 20


def _ambiguities_shown(ambiguities: dict) -> dict:
    return {
        key: {
            **found,
            "rows": found["rows"][:AMBIGUOUS_ROWS_SHOWN],
            "more": len(found["rows"]) > AMBIGUOUS_ROWS_SHOWN,
        }
        for key, found in ambiguities.items()
    }


def _plan_page(request, roster_import: RosterImport, action: str):
    rows = rs.roster_import_rows(roster_import, action)
    page = Paginator(rows, PAGE_ROWS).get_page(page_number(request, "trang"))
    units = {u.pk: u.name for u in selectors.units_visible_to(request.user)}
    page.object_list = [row.data for row in page.object_list]
    for row in page.object_list:
        row["unit_name"] = units.get(row.get("unit_id"), "")
        values = row.get("values", {})
        born = values.get("date_of_birth")
        row["facts"] = [
            values.get("cadre_code", ""),
            dt.date.fromisoformat(born).strftime("%d/%m/%Y") if born else "",
            values.get("position", ""),
            values.get("phone", ""),
            values.get("national_id", ""),
        ]
    return page


@roster_keeper
def import_detail(request, pk):
    roster_import = rs.roster_import_get_for_user(request.user, pk)
    running = roster_import.status in (RosterImport.Status.PLANNING, RosterImport.Status.COMMITTING)
    action = request.GET.get("loai", "")
    if action not in ri.ACTIONS:
        action = ri.REJECTED if roster_import.counts.get(ri.REJECTED) else ""
    # While a job runs the page reloads every 2 s: it then shows progress only.
    page = None if running else _plan_page(request, roster_import, action)
    columns = [
        {
            "index": str(i),
            "header": header or ri._column_label(roster_import.headers, i),
            "value": roster_import.mapping.get(str(i), ri.IGNORE),
        }
        for i, header in enumerate(roster_import.headers)
    ]
    percent = (
        int(100 * roster_import.progress_done / roster_import.progress_total)
        if roster_import.progress_total
        else 0
    )
    context = {
        "imp": roster_import,
        "page": page,
        "action": action,
        "actions": [(key, roster_import.counts.get(key, 0)) for key in ri.ACTIONS],
        "columns": columns,
        "fields": [(ri.IGNORE, _("(ignore)")), *ri.FIELDS.items()],
        "encodings": ri.ENCODINGS.items(),
        "ambiguities": _ambiguities_shown(roster_import.plan.get("ambiguities", {})),
        "running": running,
        "percent": percent,
    }
    return render(request, "cadres/import_detail.html", context)


@roster_keeper
@require_POST
def import_configure(request, pk):
    roster_import = rs.roster_import_get_for_user(request.user, pk)
    mapping = None
    if "map" in request.POST:
        mapping = {
            str(i): request.POST.get(f"col-{i}", ri.IGNORE)
            for i in range(len(roster_import.headers))
        }
    overrides = {}
    row_number = request.POST.get("row", "").strip()
    if row_number.isdigit():
        overrides[row_number] = [
            request.POST.get("family_name", ""),
            request.POST.get("given_name", ""),
        ]
    unit_choices = {
        key.removeprefix("choice-"): value
        for key, value in request.POST.items()
        if key.startswith("choice-") and value
    }
    allowed = {str(u.pk) for u in selectors.units_visible_to(request.user)}
    unit_choices = {k: v for k, v in unit_choices.items() if v in allowed}
    encoding = request.POST.get("encoding")
    try:
        roster_import_configure(
            roster_import=roster_import,
            by=request.user,
            mapping=mapping,
            encoding=encoding if encoding in ri.ENCODINGS else None,
            name_overrides=overrides,
            unit_choices=unit_choices,
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return redirect("cadres:import_detail", pk=roster_import.pk)


@roster_keeper
@require_POST
def import_commit(request, pk):
    roster_import = rs.roster_import_get_for_user(request.user, pk)
    try:
        roster_import_commit_request(
            roster_import=roster_import, create_logins=request.POST.get("create_logins") == "1"
        )
    except ApplicationError as exc:
        messages.error(request, str(exc))
    return redirect("cadres:import_detail", pk=roster_import.pk)


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
    units = rs.units_current_for(request.user)
    form = CodesForm(request.POST or None, units=units)
    if request.method == "POST" and form.is_valid():
        unit = form.cleaned_data["unit"]
        cadres = list(
            selectors.cadres_visible_to(request.user)
            .filter(
                pk__in=selectors.memberships_on(timezone.localdate())
                .filter(unit=unit)
                .values("cadre_id")
            )
            .filter(status=Cadre.Status.ACTIVE)
            .filter(user__last_login__isnull=True)
            .order_by("sort_key", "pk")
        )
        try:
            issued = activation_codes_issue(cadres=cadres, by=request.user, request=request)
        except RosterImportError as exc:
            messages.error(request, str(exc))
        else:
            return _codes_page(request, issued, unit)
    return render(request, "cadres/activation_codes_form.html", {"form": form})


@roster_keeper
def audit_log(request):
    events = rs.audit_events_visible_to(request.user)
    page = Paginator(events, 50).get_page(page_number(request, "trang"))
    rows = [
        {"event": event, "label": action_label(event), "details": event_details(event)}
        for event in page
    ]
    return render(request, "cadres/audit_log.html", {"page": page, "rows": rows})


# --- restructuring -------------------------------------------------------------------

ERRORS_SHOWN = 100


def _errors_shown(errors: list[str]) -> list[str]:
    """One page of a table's errors, however many rows it has."""
    if len(errors) <= ERRORS_SHOWN:
        return errors
    more = _("… and %(n)s more errors; correct these first and upload the table again.") % {
        "n": f"{len(errors) - ERRORS_SHOWN:,}".replace(",", ".")
    }
    return [*errors[:ERRORS_SHOWN], more]


@roster_keeper
def restructuring_upload(request):
    form = RestructuringForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            restructuring = restructuring_start(
                data=upload.read(),
                file_name=upload.name,
                effective_date=form.cleaned_data["effective_date"],
                legal_basis=form.cleaned_data["legal_basis"],
                by=request.user,
            )
        except RestructuringError as exc:  # a file that does not decode is one of these
            errors = exc.errors
        else:
            return redirect("cadres:restructuring_detail", pk=restructuring.pk)
    return render(
        request,
        "cadres/restructuring_upload.html",
        {"form": form, "errors": _errors_shown(errors)},
    )


@roster_keeper
def restructuring_detail(request, pk):
    restructuring = rs.restructuring_get_for_user(request.user, pk)
    errors = []
    if request.method == "POST" and restructuring.status != restructuring.Status.DONE:
        choices = {
            key.removeprefix("cadre-"): value
            for key, value in request.POST.items()
            if key.startswith("cadre-") and value
        }
        try:
            restructuring_apply(restructuring=restructuring, by=request.user, split_choices=choices)
        except RestructuringError as exc:
            errors = exc.errors
        else:
            messages.success(request, _("The restructuring has been applied."))
            return redirect("cadres:restructuring_detail", pk=restructuring.pk)
        restructuring.refresh_from_db()
    plan = restructuring_plan(
        data=restructuring.content.encode(),
        effective_date=restructuring.effective_date,
        user=request.user,
        split_choices=restructuring.split_choices,
    )
    splits = []
    for old_id, successors in plan.splits.items():
        for membership in plan.moves.get(old_id, []):
            splits.append(
                {
                    "membership": membership,
                    "successors": successors,
                    "chosen": str(restructuring.split_choices.get(str(membership.cadre_id), "")),
                }
            )
    edges = [e for e in plan.edges if e.old.pk != e.new.pk]
    context = {
        "r": restructuring,
        "plan": plan,
        "edges": edges,
        "splits": splits,
        "errors": _errors_shown(errors or plan.errors),
        "day_before": restructuring.effective_date - dt.timedelta(days=1),
    }
    return render(request, "cadres/restructuring_detail.html", context)
