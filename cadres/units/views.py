"""The HR officer's restructuring pages: upload a conversion table, choose the
new unit of each cadre of a split unit, apply."""

import datetime as dt

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ..roster import selectors as rs
from ..roster.forms import RestructuringForm
from ..roster.views import roster_keeper
from .restructuring import (
    RestructuringError,
    restructuring_apply,
    restructuring_plan,
    restructuring_start,
)

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
