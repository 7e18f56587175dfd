"""Checking in and out: the trainer's full-screen QR page, the URL in its QR
code, the page that honours a scan made while signed out, and the page for
typing the six-digit code. Check-in and check-out pages work alike; a
:class:`Way` names what differs (URLs ``trainings:<name>``,
``<name>_continue``, ``<name>_code``; templates ``trainings/<name>_code.html``
and ``<name>_result.html``)."""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from cadres.selectors import cadre_of

from .. import selectors, tokens
from ..capacity import session_full
from ..forms import CodeForm
from ..models import TrainingSession
from ..qr import qr_svg
from ..services import checkin as service


@dataclass(frozen=True)
class Way:
    """Check-in or check-out, as the pages show it."""

    name: str
    direction: service.Direction
    is_open: Callable[[TrainingSession], bool]
    # A signed-out scan is kept under this session key while the cadre signs in.
    pending_key: str
    invalid_scan: str
    # Check-in tells a waiting walk-in whether every seat is taken.
    tells_if_full: bool

    @property
    def result_template(self) -> str:
        return f"trainings/{self.name}_result.html"

    def scan_url(self, session_id: int, window: int) -> str:
        signature = self.direction.codes.signature(session_id, window)
        path = reverse(f"trainings:{self.name}", args=[session_id, window, signature])
        return settings.SITE_URL.rstrip("/") + path


CHECK_IN = Way(
    name="checkin",
    direction=service.CHECK_IN,
    is_open=TrainingSession.checkin_open,
    pending_key="trainings_pending_scan",
    invalid_scan=gettext_lazy(
        "This check-in code is not valid or has expired. Scan the code on the screen again."
    ),
    tells_if_full=True,
)
CHECK_OUT = Way(
    name="checkout",
    direction=service.CHECK_OUT,
    is_open=TrainingSession.checkout_open,
    pending_key="trainings_pending_checkout",
    invalid_scan=gettext_lazy(
        "This check-out code is not valid or has expired. Scan the code again."
    ),
    tells_if_full=False,
)


# --- the cadre (urls.py names the way of each page) ------------------------------


@never_cache
def scanned(request, session_id: int, window: int, signature: str, *, way: Way):
    """The URL in the QR code. Signed out: the scan is kept while the cadre signs in."""
    if not request.user.is_authenticated:
        if not way.direction.code_valid(session_id=session_id, window=window, signature=signature):
            return _refused(request, way, str(way.invalid_scan))
        request.session[way.pending_key] = {
            "session": session_id,
            "window": window,
            "signature": signature,
            "scanned_at": timezone.now().isoformat(),
        }
        return redirect_to_login(reverse(f"trainings:{way.name}_continue"))
    try:
        result = way.direction.scanned(
            session_id=session_id, window=window, signature=signature, cadre=_cadre(request)
        )
    except way.direction.refused as exc:
        return _refused(request, way, str(exc))
    return _done(request, way, result)


@never_cache
@login_required
def continued(request, *, way: Way):
    """After signing in: check in (or out) with the code scanned before."""
    pending = request.session.pop(way.pending_key, None)
    if not pending:
        return redirect(f"trainings:{way.name}_code")
    try:
        result = way.direction.scanned(
            session_id=int(pending["session"]),
            window=int(pending["window"]),
            signature=str(pending["signature"]),
            cadre=_cadre(request),
            scanned_at=dt.datetime.fromisoformat(pending["scanned_at"]),
        )
    except (way.direction.refused, KeyError, TypeError, ValueError) as exc:
        message = str(exc) if isinstance(exc, way.direction.refused) else _("Scan the code again.")
        return _refused(request, way, message)
    return _done(request, way, result)


@never_cache
@login_required
def typed(request, *, way: Way):
    """Type the six-digit code shown under the QR code."""
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = way.direction.typed(code=form.cleaned_data["code"], cadre=_cadre(request))
        except way.direction.refused as exc:
            form.add_error("code", str(exc))
        else:
            return _done(request, way, result)
    return render(request, f"trainings/{way.name}_code.html", {"form": form})


def _cadre(request):
    """The signed-in user's cadre, with its user (who records the check-in) set."""
    cadre = cadre_of(request.user)
    if cadre is not None:
        cadre.user = request.user
    return cadre


def _refused(request, way: Way, message: str):
    return render(request, way.result_template, {"refused": True, "message": message}, status=403)


def _done(request, way: Way, result: service.CheckResult):
    context = {"result": result}
    if way.tells_if_full:
        attendance = result.attendance
        waiting = attendance.walk_in and not attendance.accepted
        context["full"] = waiting and session_full(attendance.session)
    return render(request, way.result_template, context)


# --- the trainer's screen -------------------------------------------------------------


def _way(request) -> Way:
    """``?ra=1`` asks for the check-out code (near the end of the session)."""
    return CHECK_OUT if request.GET.get("ra") == "1" else CHECK_IN


@never_cache
@login_required
def session_qr(request, session_id: int):
    """The trainer's full-screen page: the code changes every window. ``?ra=1``
    shows the check-out code instead (near the end of the session)."""
    session = selectors.session_for_organiser(request.user, session_id)
    way = _way(request)
    code_page = reverse(f"trainings:{way.name}_code")
    code_url = settings.SITE_URL.split("://", 1)[-1].rstrip("/") + code_page
    return render(
        request,
        "trainings/session_qr.html",
        {
            "session": session,
            "code_url": code_url,
            "checkout": way is CHECK_OUT,
            **_qr_data(session, way),
        },
    )


@never_cache
@login_required
def session_qr_data(request, session_id: int):
    session = selectors.session_for_organiser(request.user, session_id)
    data = _qr_data(session, _way(request))
    return JsonResponse({**data, "svg": str(data["svg"])})


def _qr_data(session, way: Way) -> dict:
    window = tokens.window_at()
    url = way.scan_url(session.pk, window)
    return {
        "svg": qr_svg(url),
        "url": url,
        "code": way.direction.codes.typed_code(session.pk, window),
        "expires_in": max(
            1, int((tokens.window_ends_at(window) - timezone.now()).total_seconds()) + 1
        ),
        "open": way.is_open(session),
    }
