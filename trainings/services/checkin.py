"""A cadre checking themself in, and out, with the code on the trainer's
screen: by scanning the signed QR code or typing the six digits under it.

Check-in records the cadre present (late after the session's late mark; a
walk-in waits for the organiser). Check-out, near the end, proves the cadre
stayed: when the session requires it, attendance the cadre wrote themself
counts (and completes what the session counts for) only from that moment.
Rows an organiser recorded (sheet, meeting report, tick list) are the
organiser's word and need no check-out.

Both go the same way — the code checked, the moment checked against the
direction's period, then the direction's record — and differ only in what a
:class:`Direction` names. Every refusal raises the direction's error with
nothing recorded.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cadres.models import Cadre
from courses.models import Completion

from .. import tokens
from ..models import Attendance, TrainingSession
from ..selectors import (
    is_invited,
    session_for_checkin,
    sessions_open_for_checkin,
    sessions_open_for_checkout,
)
from . import completing
from .recording import attendance_upsert

# A scan made while signed out is honoured after signing in for this long.
PENDING_SCAN_MINUTES = 10


class CheckInRefused(PermissionDenied):
    """The code or the moment does not allow a check-in; nothing was recorded."""


class CheckOutRefused(CheckInRefused):
    """The code or the moment does not allow a check-out; nothing was recorded."""


@dataclass
class CheckResult:
    """What a check-in or check-out did: ``created`` is False when it had
    already been done (nothing changed)."""

    attendance: Attendance
    created: bool
    completions: list[Completion]


def _check_in(
    session: TrainingSession, cadre: Cadre, *, at: dt.datetime, source: str
) -> CheckResult:
    existing = Attendance.objects.filter(session=session, cadre=cadre).first()
    if existing is not None and existing.revoked_at is not None:
        raise CheckInRefused(
            _("Your attendance at this session was revoked. Please see the organiser.")
        )
    if existing is not None and existing.counts:
        existing.session, existing.cadre = session, cadre  # for the page, without queries
        return CheckResult(existing, False, [])
    status = Attendance.Status.PRESENT if at <= session.late_from else Attendance.Status.LATE
    walk_in = not is_invited(session, cadre)
    attendance, changed = attendance_upsert(
        session,
        cadre,
        status=status,
        source=source,
        at=at,
        by=cadre.user,
        walk_in=walk_in,
        keep_counting=True,
    )
    completions = completing.apply(attendance, by=cadre.user) if changed else []
    return CheckResult(attendance, changed, completions)


def _check_out(
    session: TrainingSession, cadre: Cadre, *, at: dt.datetime, source: str
) -> CheckResult:
    """Stamps the check-out time; the row keeps the source of its check-in."""
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
        return CheckResult(attendance, False, [])
    updated = Attendance.objects.filter(pk=attendance.pk, checked_out_at__isnull=True).update(
        checked_out_at=at, updated_at=timezone.now()
    )
    attendance.refresh_from_db()
    completions = []
    if updated and session.requires_checkout and attendance.counts:
        completions = completing.apply(attendance, by=cadre.user)
    return CheckResult(attendance, bool(updated), completions)


NOT_LINKED = gettext_lazy("Your account is not linked to a cadre on the roster.")
TYPED_INVALID = gettext_lazy(
    "This code is not valid or has expired. Type the code now on the screen."
)


@dataclass(frozen=True)
class Direction:
    """What differs between checking in and checking out."""

    codes: tokens.Codes
    refused: type[CheckInRefused]
    opens_at: Callable[[TrainingSession], dt.datetime]
    closes_at: Callable[[TrainingSession], dt.datetime]
    open_sessions: Callable[[dt.datetime], list[TrainingSession]]
    record: Callable[..., CheckResult]
    not_yet_open: str  # with %(time)s
    closed: str
    expired: str
    invalid: str

    def _refuse(self, message) -> NoReturn:
        raise self.refused(str(message))

    def code_valid(self, *, session_id: int, window: int, signature: str, at=None) -> bool:
        """Whether a scanned code may be kept while its bearer signs in."""
        return self.codes.signature_valid(session_id, window, signature) and tokens.window_fresh(
            window, at
        )

    @transaction.atomic
    def scanned(
        self,
        *,
        session_id: int,
        window: int,
        signature: str,
        cadre: Cadre | None,
        at: dt.datetime | None = None,
        scanned_at: dt.datetime | None = None,
    ) -> CheckResult:
        """The cadre scanned the signed code from the trainer's screen.

        ``scanned_at``: when a signed-out cadre scanned (kept by the server
        while they signed in); the code must have been fresh then, and the
        scan recent.
        """
        now = at or timezone.now()
        moment = scanned_at or now
        if scanned_at is not None and now - scanned_at > dt.timedelta(minutes=PENDING_SCAN_MINUTES):
            self._refuse(self.expired)
        session = session_for_checkin(session_id)
        if session is None or not self.codes.signature_valid(session.pk, window, signature):
            self._refuse(self.invalid)
        if not tokens.window_fresh(window, moment):
            self._refuse(self.expired)
        if cadre is None:
            self._refuse(NOT_LINKED)
        return self._record(session, cadre, at=moment, source=Attendance.Source.QR)

    @transaction.atomic
    def typed(
        self, *, code: str, cadre: Cadre | None, at: dt.datetime | None = None
    ) -> CheckResult:
        """The cadre typed the six-digit code shown under the QR code."""
        now = at or timezone.now()
        if cadre is None:
            self._refuse(NOT_LINKED)
        matches = self.codes.sessions_typed(code, self.open_sessions(now), at=now)
        if len(matches) != 1:
            self._refuse(TYPED_INVALID)
        return self._record(matches[0], cadre, at=now, source=Attendance.Source.CODE)

    def _record(self, session, cadre, *, at: dt.datetime, source: str) -> CheckResult:
        if at < self.opens_at(session):
            when = date_format(timezone.localtime(self.opens_at(session)), "H:i d/m/Y")
            self._refuse(self.not_yet_open % {"time": when})
        if at > self.closes_at(session):
            self._refuse(self.closed)
        return self.record(session, cadre, at=at, source=source)


CHECK_IN = Direction(
    codes=tokens.CHECK_IN,
    refused=CheckInRefused,
    opens_at=attrgetter("checkin_opens_at"),
    closes_at=attrgetter("checkin_closes_at"),
    open_sessions=sessions_open_for_checkin,
    record=_check_in,
    not_yet_open=gettext_lazy("Check-in for this session opens at %(time)s."),
    closed=gettext_lazy("Check-in for this session has closed."),
    expired=gettext_lazy("This check-in code has expired. Scan the code on the screen again."),
    invalid=gettext_lazy("This check-in code is not valid for this session."),
)
CHECK_OUT = Direction(
    codes=tokens.CHECK_OUT,
    refused=CheckOutRefused,
    opens_at=attrgetter("checkout_opens_at"),
    closes_at=attrgetter("checkout_closes_at"),
    open_sessions=sessions_open_for_checkout,
    record=_check_out,
    not_yet_open=gettext_lazy("Check-out for this session opens at %(time)s."),
    closed=gettext_lazy("Check-out for this session has closed."),
    expired=gettext_lazy("This check-out code has expired. Scan the code on the screen again."),
    invalid=gettext_lazy("This check-out code is not valid for this session."),
)

attendance_check_in = CHECK_IN.scanned
attendance_check_in_code = CHECK_IN.typed
attendance_check_out = CHECK_OUT.scanned
attendance_check_out_code = CHECK_OUT.typed
