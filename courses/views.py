from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from cadres.selectors import cadre_of, current_membership

from .selectors import enrolments_of


@login_required
def home(request):
    cadre = cadre_of(request.user)
    membership = current_membership(cadre) if cadre else None
    enrolments = enrolments_of(request.user).select_related("course").order_by("enrolled_at")
    return render(
        request,
        "courses/home.html",
        {"cadre": cadre, "membership": membership, "enrolments": enrolments},
    )
