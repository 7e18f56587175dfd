import functools
from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cadres.models import OrgUnit
from cadres.paging import page_number
from cadres.private_files import private_file_response
from config.routers import replica_reads

from . import dashboard as overview
from . import export_jobs, exports, selectors, services
from .charts import bar_chart_svg, line_chart_svg
from .figures import Report
from .formatting import fmt_int
from .forms import ReportFilterForm, SnapshotForm
from .models import ReportExport, Target
from .templatetags.reports_tags import CHILDREN_PER_PAGE


def _reads_replica(view):
    """A GET of a report reads the replica when there is one; a POST (and
    whatever it reads after writing) stays on the primary."""

    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        with replica_reads():
            return view(request, *args, **kwargs)

    return wrapped


@dataclass
class Resolved:
    form: ReportFilterForm
    root: OrgUnit
    report: Report | None = None
    error: str = ""
    query: str = ""
    params: dict = field(default_factory=dict)
    targets: dict[int, Target] = field(default_factory=dict)
    # The target (or programme) already counts full-time cadres only, so the
    # report's own "full-time only" filter would change nothing.
    full_time_fixed: bool = False
    # The report asked for (what an export job keeps).
    ask: dict = field(default_factory=dict)


def _resolve(
    request,
    *,
    unit_id=None,
    levels: int | None = None,
    draw: bool = True,
    bounded: bool = False,
) -> Resolved:
    """Read the filters and draw the report they ask for (or, without
    ``draw``, only check it can be drawn; with ``bounded``, only the levels
    that stay within the overview's number of units); a filter error or a
    date the unit did not exist on becomes a message, never a 500."""
    if not selectors.can_read_reports(request.user):
        raise Http404
    params = request.GET if request.method == "GET" else request.POST
    requested_unit = unit_id if unit_id is not None else params.get("unit") or None
    root = selectors.report_root(request.user, requested_unit)
    targets = selectors.targets_covering(root)
    programmes = selectors.programmes_for_reports()
    form = ReportFilterForm(
        params if "programme" in params or "as_of" in params else None,
        programmes=programmes,
        targets=targets,
    )
    resolved = Resolved(form=form, root=root, targets=targets)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    if form.is_bound and form.errors:
        resolved.error = _("Please correct the filters below.")
        return resolved
    if not programmes:
        resolved.error = _("No training programme has been set up yet.")
        return resolved
    by_id = {p.pk: p for p in programmes}
    programme = by_id.get(data.get("programme")) or next(
        (p for p in programmes if p.pk in targets), programmes[0]
    )
    day = data.get("as_of") or timezone.localdate()
    resolved.full_time_fixed = (targets.get(programme.pk) or programme).full_time_only
    full_time = bool(data.get("full_time")) and not resolved.full_time_fixed
    if not form.is_bound:
        form.initial = {"programme": programme.pk, "as_of": day.strftime("%d/%m/%Y")}
    resolved.params = {
        "programme": programme.pk,
        "as_of": day.strftime("%d/%m/%Y"),
        **({"full_time": "on"} if full_time else {}),
        **({"unit_kind": data["unit_kind"]} if data.get("unit_kind") else {}),
        **({"unit": root.pk} if unit_id is None and params.get("unit") else {}),
    }
    resolved.query = urlencode(resolved.params)
    resolved.ask = {
        "unit": root,
        "programme": programme,
        "target": targets.get(programme.pk),
        "day": day,
        "full_time_only": full_time,
        "unit_kind": data.get("unit_kind") or "",
    }
    try:
        if not draw:
            selectors.check_day(root, day)
            return resolved
        if bounded:
            levels = overview.drawn_levels(root, day)
        resolved.report = selectors.report_for(
            root=root,
            programme=programme,
            day=day,
            full_time_only=full_time,
            unit_kind=data.get("unit_kind") or "",
            targets=targets,
            levels=levels,
        )
    except selectors.ReportError as exc:
        resolved.error = str(exc)
    return resolved


def _opened_units(params) -> frozenset[int]:
    """The units whose branches the reader opened (``?open=<id>``, repeated);
    anything that is not a plain id is ignored."""
    return frozenset(
        int(v) for v in params.getlist("open") if v.isascii() and v.isdigit() and len(v) < 19
    )


def _level_pages(params) -> dict[int, int]:
    """``?at=<unit id>-<page>``: which page of a wide level's units to show."""
    pages = {}
    for value in params.getlist("at"):
        unit, _sep, number = value.partition("-")
        if unit.isascii() and unit.isdigit() and number.isascii() and number.isdigit():
            if len(unit) < 19 and len(number) < 6:
                pages[int(unit)] = int(number)
    return pages


# Branches opened at once: each costs two queries.
MAX_OPENED = 30


def _open_branches(report: Report, opened: frozenset[int]) -> frozenset[int]:
    """Fetch the units under each opened unit, shallowest first so that a
    deep branch finds its parent's row. Returns the opened units that are in
    the report."""
    if not opened:
        return opened
    units = (
        OrgUnit.objects.filter(
            pk__in=sorted(opened)[:MAX_OPENED], path__startswith=report.root.path
        )
        .order_by("depth", "path")
        .only("pk", "path", "depth", "name", "kind")
    )
    for unit in units:
        selectors.report_open(report, unit)
    shown = {row.unit_id for row in report.rows}
    return frozenset(unit_id for unit_id in opened if unit_id in shown)


@login_required
@_reads_replica
def report(request):
    resolved = _resolve(request, levels=1)
    report = resolved.report
    opened = _opened_units(request.GET)
    if report is not None:
        opened = _open_branches(report, opened)
    pages = _level_pages(request.GET)
    context = {
        "r": resolved,
        "report": report,
        "snapshot_form": SnapshotForm(),
        "opened": opened,
        "pages": pages,
        "export_formats": ReportExport.Format.choices,
    }
    if report is not None:
        # The chart draws the same page of units as the table, not a whole wide level.
        root, *units = report.chart_rows()
        start = (max(1, pages.get(root.unit_id, 1)) - 1) * CHILDREN_PER_PAGE
        if start >= len(units):
            start = 0
        context["chart"] = bar_chart_svg(
            [root, *units[start : start + CHILDREN_PER_PAGE]],
            report.target.percentage if report.target else None,
        )
    return render(request, "reports/report.html", context)


def _cadre_page(request, report: Report | None, *, incomplete_only: bool = False):
    """One page of the report's cadres, paginated by the database."""
    if report is None:
        return Paginator([], PER_PAGE).get_page(1)
    memberships = selectors.cadre_memberships(report, incomplete_only=incomplete_only)
    page = Paginator(memberships.values_list(*selectors.MEMBER_FIELDS), PER_PAGE).get_page(
        page_number(request)
    )
    page.object_list = selectors.unit_cadre_rows(report, page.object_list)
    return page


PER_PAGE = 100


@login_required
@_reads_replica
def unit_cadres(request, unit_id: int):
    resolved = _resolve(request, unit_id=unit_id, levels=0)
    report = resolved.report
    page = _cadre_page(request, report)
    return render(
        request,
        "reports/unit_cadres.html",
        {"r": resolved, "report": report, "page": page},
    )


@login_required
@_reads_replica
def unit_cadres_xlsx(request, unit_id: int):
    resolved = _resolve(request, unit_id=unit_id, levels=0)
    error = resolved.error or _too_many_cadres(resolved.report)
    if resolved.report is None or error:
        messages.error(request, error or _("The report could not be drawn."))
        return redirect(f"{reverse('reports:unit_cadres', args=[unit_id])}?{resolved.query}")
    response = HttpResponse(
        exports.cadres_xlsx_bytes(resolved.report), content_type=exports.FORMATS["xlsx"]
    )
    name = exports.filename(resolved.report, "xlsx").replace("bao-cao-", "can-bo-")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def _too_many_cadres(report: Report | None, *, incomplete_only: bool = False) -> str:
    """Why a whole list of the report's cadres is not drawn in one request
    (more than ``CADRE_LIST_MOST``), or ""."""
    if report is None:
        return ""
    count = report.root.in_scope - (report.root.trained if incomplete_only else 0)
    if count <= selectors.CADRE_LIST_MOST:
        return ""
    return _(
        "This list holds %(n)s cadres, more than can be drawn at once; choose a smaller unit."
    ) % {"n": fmt_int(count)}


@login_required
@_reads_replica
def unit_incomplete(request, unit_id: int):
    resolved = _resolve(request, unit_id=unit_id, levels=0)
    report = resolved.report
    if request.GET.get("format") == "txt" and report is not None:
        too_many = _too_many_cadres(report, incomplete_only=True)
        if too_many:
            messages.error(request, too_many)
            return redirect(
                f"{reverse('reports:unit_incomplete', args=[unit_id])}?{resolved.query}"
            )
        rows = list(selectors.unit_cadre_rows_all(report, incomplete_only=True))
        text = exports.incomplete_text(report, resolved.root, rows)
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="chua-hoan-thanh.txt"'
        return response
    page = _cadre_page(request, report, incomplete_only=True)
    text = (
        exports.incomplete_text(
            report,
            resolved.root,
            page.object_list,
            total=page.paginator.count,
            start=page.start_index(),
        )
        if report
        else ""
    )
    return render(
        request,
        "reports/unit_incomplete.html",
        {"r": resolved, "report": report, "rows": page.object_list, "page": page, "text": text},
    )


@login_required
@require_GET
@_reads_replica
def export_pdf(request):
    resolved = _resolve(request, bounded=True)
    if resolved.report is None:
        messages.error(request, resolved.error or _("The report could not be drawn."))
        return redirect(f"{reverse('reports:report')}?{resolved.query}")
    return exports.pdf_response(resolved.report)


FILTER_KEYS = ("programme", "as_of", "full_time", "unit_kind", "unit")


@login_required
@require_POST
def export_create(request, fmt: str):
    """XLSX and CSV are written by a worker: ask for one, then watch it."""
    if fmt not in ReportExport.Format.values:
        raise Http404
    resolved = _resolve(request, draw=False)
    if resolved.error:
        # Back to the report as asked, where the filters show what is wrong.
        asked = {key: request.POST[key] for key in FILTER_KEYS if key in request.POST}
        messages.error(request, resolved.error)
        return redirect(f"{reverse('reports:report')}?{resolved.query or urlencode(asked)}")
    try:
        export = export_jobs.report_export_create(by=request.user, fmt=fmt, **resolved.ask)
    except PermissionDenied:
        raise Http404 from None
    return redirect("reports:export_status", pk=export.pk)


@login_required
def export_status(request, pk: int):
    export = selectors.report_export_get_for_user(request.user, pk)
    return render(request, "reports/export.html", {"export": export})


@login_required
def export_download(request, pk: int):
    export = selectors.report_export_get_for_user(request.user, pk)
    if export.status != ReportExport.Status.DONE or not export.file:
        raise Http404
    return private_file_response(
        export.file.storage,
        export.file.name,
        filename=export_jobs.report_export_download_name(export),
        content_type=exports.FORMATS[export.format],
    )


@login_required
@require_POST
def snapshot_freeze(request):
    resolved = _resolve(request)
    form = SnapshotForm(request.POST)
    back = f"{reverse('reports:report')}?{resolved.query}"
    if resolved.report is None or not form.is_valid():
        messages.error(request, resolved.error or _("The snapshot could not be frozen."))
        return redirect(back)
    try:
        snapshot = services.snapshot_freeze(
            report=resolved.report, note=form.cleaned_data["note"], by=request.user, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(back)
    messages.success(request, _("The figures are frozen."))
    return redirect("reports:snapshot", pk=snapshot.pk)


@login_required
def snapshot_list(request):
    if not selectors.can_read_reports(request.user):
        raise Http404
    snapshots = selectors.snapshots_visible_to(request.user).order_by("-frozen_at", "-pk")
    page = Paginator(snapshots, 50).get_page(page_number(request))
    return render(request, "reports/snapshot_list.html", {"page": page})


@login_required
def snapshot_detail(request, pk: int):
    if not selectors.can_read_reports(request.user):
        raise Http404
    snapshot = selectors.snapshot_get_for_user(request.user, pk)
    return render(request, "reports/snapshot_detail.html", {"snapshot": snapshot})


@login_required
@_reads_replica
def dashboard(request):
    if not selectors.can_read_reports(request.user):
        raise Http404
    root = selectors.report_root(request.user, request.GET.get("unit") or None)
    today = timezone.localdate()
    blocks = []
    levels = None
    if root.is_valid_on(today):
        levels = overview.drawn_levels(root, today)
        for target in selectors.targets_covering(root).values():
            report = selectors.report_for(
                root=root,
                programme=target.programme,
                day=today,
                targets={target.programme_id: target},
                levels=levels,
            )
            points = [
                (s.as_of, s.percent)
                for s in selectors.snapshots_of_target(target, root)
                if s.percent is not None and s.as_of < today
            ]
            if report.root.percent is not None:
                points.append((today, report.root.percent))
            blocks.append(
                {
                    "target": target,
                    "report": report,
                    "chart": line_chart_svg(
                        points,
                        target_percent=target.percentage,
                        deadline=target.deadline,
                        title=target.programme.name,
                    ),
                    "behind": overview.furthest_behind(report, limit=10),
                }
            )
    return render(
        request,
        "reports/dashboard.html",
        {
            "root": root,
            "blocks": blocks,
            "courses": overview.course_completion_rates(root),
            "quizzes": overview.quiz_pass_rates(root),
            "levels": levels,
            "today": today,
        },
    )
