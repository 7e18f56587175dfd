"""Rotating check-in and check-out codes: every window (20 s) a new signed
token for the QR code and a short typed code, both bound to the session and
the window.

A token is an HMAC of (session id, window) under the project's secret key;
nothing is stored. A code is accepted in its own window and the one after
(so a scan at the end of a window still works) and never later. Check-in and
check-out sign the same windows under different salts, so a check-in code
never checks anyone out and a check-out code never checks anyone in.
"""

import datetime as dt
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

SALT = "trainings.checkin"
CHECKOUT_SALT = "trainings.checkout"


def window_seconds() -> int:
    return getattr(settings, "TRAININGS_QR_WINDOW_SECONDS", 20)


def window_at(at: dt.datetime | None = None) -> int:
    at = at or timezone.now()
    return int(at.timestamp()) // window_seconds()


def window_ends_at(window: int) -> dt.datetime:
    return dt.datetime.fromtimestamp((window + 1) * window_seconds(), tz=dt.UTC)


def window_fresh(window: int, at: dt.datetime | None = None) -> bool:
    current = window_at(at)
    return current - 1 <= window <= current


@dataclass(frozen=True)
class Codes:
    """The codes of one direction (check-in or check-out), told apart by ``salt``."""

    salt: str

    def _digest(self, session_id: int, window: int) -> str:
        return salted_hmac(self.salt, f"{session_id}:{window}", algorithm="sha256").hexdigest()

    def signature(self, session_id: int, window: int) -> str:
        return self._digest(session_id, window)[:24]

    def typed_code(self, session_id: int, window: int) -> str:
        """Six digits a cadre can type when their camera cannot scan."""
        return f"{int(self._digest(session_id, window)[24:40], 16) % 1_000_000:06d}"

    def signature_valid(self, session_id: int, window: int, candidate: str) -> bool:
        return hmac.compare_digest(self.signature(session_id, window), str(candidate or ""))

    def sessions_typed(self, code: str, sessions, *, at: dt.datetime) -> list:
        """The sessions whose typed code is ``code`` now or in the window
        before: a code read off the screen just as it changed still counts."""
        code = "".join(ch for ch in str(code or "") if ch.isdigit())
        if not code:
            return []
        current = window_at(at)
        return [
            s
            for s in sessions
            if code in (self.typed_code(s.pk, current), self.typed_code(s.pk, current - 1))
        ]


CHECK_IN = Codes(SALT)
CHECK_OUT = Codes(CHECKOUT_SALT)

signature = CHECK_IN.signature
typed_code = CHECK_IN.typed_code
checkout_signature = CHECK_OUT.signature
checkout_typed_code = CHECK_OUT.typed_code
