from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import selectors, services
from .forms import ActivationForm, RosterSearchForm
from .paging import page_number


def activate(request):
    # The slip's QR code opens this page with ?u=<username> filled in.
    form = ActivationForm(
        request.POST or None, initial={"username": request.GET.get("u", "")[:150]}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.activation_code_redeem(
                username=form.cleaned_data["username"],
                code=form.cleaned_data["code"],
                new_password=form.cleaned_data["password1"],
                request=request,
            )
        except services.ActivationError as exc:
            form.add_error(None, str(exc))
        except ValidationError as exc:
            form.add_error("password1", exc)
        else:
            messages.success(request, _("Your password is set. Please sign in."))
            return redirect("account_login")
    return render(request, "cadres/activate.html", {"form": form})


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
