from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from . import selectors, services
from .forms import ActivationForm, RosterSearchForm


def activate(request):
    form = ActivationForm(request.POST or None)
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
    form = RosterSearchForm(request.GET or None)
    cadres = selectors.cadres_visible_to(request.user)
    if form.is_valid() and form.cleaned_data["q"]:
        cadres = selectors.cadre_search(cadres, form.cleaned_data["q"])
    page = Paginator(cadres.order_by("sort_key", "pk"), 50).get_page(request.GET.get("page"))
    return render(request, "cadres/roster.html", {"form": form, "page": page})
