"""The HR officer's roster import pages: upload, template, dry run, mapping, commit."""

import datetime as dt
import io

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ... import selectors
from ...errors import ApplicationError
from ...export_cells import neutralise_row
from ...models import RosterImport
from ...paging import page_number
from .. import importing as ri
from .. import selectors as rs
from ..forms import UploadForm
from ..views import roster_keeper
from .services import roster_import_commit_request, roster_import_configure, roster_import_start

PAGE_ROWS = 100


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
            "header": header or ri.column_label(roster_import.headers, i),
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
