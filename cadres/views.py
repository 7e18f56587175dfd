from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from . import selectors
from .forms import RosterSearchForm
from .paging import page_number


@login_required
def roster(request):
    if not (request.user.is_hr_officer or request.user.is_administrator):
        raise Http404
    from django.utils import timezone

    from .roster.selectors import units_current_for

    form = RosterSearchForm(request.GET or None)
    cadres = selectors.cadres_visible_to(request.user)
    if form.is_valid() and form.cleaned_data["q"]:
        cadres = selectors.cadre_search(cadres, form.cleaned_data["q"])
    if form.is_valid() and form.cleaned_data["tai_khoan"]:
        cadres = selectors.cadres_by_login_state(cadres, form.cleaned_data["tai_khoan"])
    units = units_current_for(request.user)
    unit = (
        units.filter(pk=request.GET.get("don_vi")).first()
        if request.GET.get("don_vi", "").isdigit()
        else None
    )
    if unit is not None:
        in_unit = selectors.memberships_on(timezone.localdate()).filter(
            unit__path__startswith=unit.path, unit__depth__gte=unit.depth
        )
        cadres = cadres.filter(pk__in=in_unit.values("cadre_id"))
    page = Paginator(cadres.select_related("user").order_by("sort_key", "pk"), 50).get_page(
        page_number(request)
    )
    labels = [(u.pk, "— " * (u.depth - 1) + u.name) for u in units]
    context = {"form": form, "page": page, "units": labels, "unit": unit}
    return render(request, "cadres/roster.html", context)
