"""Check-out: the code the trainer's screen shows near the end of a session.

A cadre who checked themself in scans it to prove they stayed; when the
session requires check-out, their attendance counts (and completes what the
session counts for) only from that moment. Rows an organiser recorded (sheet,
meeting report, tick list) are the organiser's word and need no check-out.
Every refusal raises :class:`CheckOutRefused` with nothing recorded.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _

from cadres.models import Cadre
from courses.models import Completion

from . import services, tokens
from .models import Attendance, TrainingSession
from .selectors import session_for_checkin, sessions_open_for_checkout


class CheckOutRefused(services.CheckInRefused):
    """The code or the moment does not allow a check-out; nothing was recorded."""


@dataclass
class CheckOutResult:
    attendance: Attendance
    created: bool
    completions: list[Completion]


def checkout_code_valid(*, session_id: int, window: int, signature: str, at=None) -> bool:
    """Whether a scanned check-out code may be kept while its bearer signs in."""
    return tokens.checkout_signature_valid(session_id, window, signature) and tokens.window_fresh(
        window, at
    )


def _check_out(session: TrainingSession, cadre: Cadre, *, at: dt.datetime) -> CheckOutResult:
    if at < session.checkout_opens_at:
        raise CheckOutRefused(
            _("Check-out for this session opens at %(time)s.")
            % {"time": date_format(timezone.localtime(session.checkout_opens_at), "H:i d/m/Y")}
        )
    if at > session.checkout_closes_at:
        raise CheckOutRefused(_("Check-out for this session has closed."))
    attendance = (
        Attendance.objects.select_for_update()
        .filter(session=session, cadre=cadre)
        .select_related("session", "cadre")
        .first()
    )
    if attendance is None or attendance.status not in Attendance.COUNTING:
        raise CheckOutRefused(
            _(
                "You have not checked in to this session, so you cannot check out. "
                "Please see the organiser."
            )
        )
    if attendance.revoked_at is not None:
        raise CheckOutRefused(
            _("Your attendance at this session was revoked. Please see the organiser.")
        )
    if attendance.checked_out_at is not None:
        return CheckOutResult(attendance, False, [])
    updated = Attendance.objects.filter(pk=attendance.pk, checked_out_at__isnull=True).update(
        checked_out_at=at, updated_at=timezone.now()
    )
    attendance.refresh_from_db()
    completions = []
    if updated and session.requires_checkout and attendance.counts:
        completions = services._apply(attendance, by=cadre.user)
    return CheckOutResult(attendance, bool(updated), completions)


@transaction.atomic
def attendance_check_out(
    *,
    session_id: int,
    window: int,
    signature: str,
    cadre: Cadre | None,
    at: dt.datetime | None = None,
    scanned_at: dt.datetime | None = None,
) -> CheckOutResult:
    """A cadre checks themself out with the signed code from the trainer's screen.

    ``scanned_at`` as for check-in: a signed-out cadre's scan, kept while they
    signed in, must have been fresh then and recent now."""
    now = at or timezone.now()
    moment = scanned_at or now
    expired = _("This check-out code has expired. Scan the code on the screen again.")
    if scanned_at is not None and now - scanned_at > dt.timedelta(
        minutes=services.PENDING_SCAN_MINUTES
    ):
        raise CheckOutRefused(expired)
    session = session_for_checkin(session_id)
    if session is None or not tokens.checkout_signature_valid(session.pk, window, signature):
        raise CheckOutRefused(_("This check-out code is not valid for this session."))
    if not tokens.window_fresh(window, moment):
        raise CheckOutRefused(expired)
    if cadre is None:
        raise CheckOutRefused(_("Your account is not linked to a cadre on the roster."))
    return _check_out(session, cadre, at=moment)


@transaction.atomic
def attendance_check_out_code(
    *, code: str, cadre: Cadre | None, at: dt.datetime | None = None
) -> CheckOutResult:
    """A cadre types the six-digit check-out code shown under the QR code."""
    now = at or timezone.now()
    if cadre is None:
        raise CheckOutRefused(_("Your account is not linked to a cadre on the roster."))
    matches = tokens.sessions_matching_typed_code(
        code, sessions_open_for_checkout(now), typed=tokens.checkout_typed_code, at=now
    )
    if len(matches) != 1:
        raise CheckOutRefused(
            _("This code is not valid or has expired. Type the code now on the screen.")
        )
    return _check_out(matches[0], cadre, at=now)
