"""Rotating check-in codes: every window (20 s) a new signed token for the QR
code and a short typed code, both bound to the session and the window.

A token is an HMAC of (session id, window) under the project's secret key;
nothing is stored. A code is accepted in its own window and the one after
(so a scan at the end of a window still works) and never later.
"""

import datetime as dt
import hmac

from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac

SALT = "trainings.checkin"


def window_seconds() -> int:
    return getattr(settings, "TRAININGS_QR_WINDOW_SECONDS", 20)


def window_at(at: dt.datetime | None = None) -> int:
    at = at or timezone.now()
    return int(at.timestamp()) // window_seconds()


def window_ends_at(window: int) -> dt.datetime:
    return dt.datetime.fromtimestamp((window + 1) * window_seconds(), tz=dt.UTC)


def _digest(session_id: int, window: int) -> str:
    return salted_hmac(SALT, f"{session_id}:{window}", algorithm="sha256").hexdigest()


def signature(session_id: int, window: int) -> str:
    return _digest(session_id, window)[:24]


def typed_code(session_id: int, window: int) -> str:
    """Six digits a cadre can type when their camera cannot scan."""
    return f"{int(_digest(session_id, window)[24:40], 16) % 1_000_000:06d}"


def signature_valid(session_id: int, window: int, candidate: str) -> bool:
    return hmac.compare_digest(signature(session_id, window), str(candidate or ""))


def window_fresh(window: int, at: dt.datetime | None = None) -> bool:
    current = window_at(at)
    return current - 1 <= window <= current


# Check-out codes: the same windows under another salt, so a check-in code
# never checks anyone out and a check-out code never checks anyone in.
CHECKOUT_SALT = "trainings.checkout"


def _checkout_digest(session_id: int, window: int) -> str:
    return salted_hmac(CHECKOUT_SALT, f"{session_id}:{window}", algorithm="sha256").hexdigest()


def checkout_signature(session_id: int, window: int) -> str:
    return _checkout_digest(session_id, window)[:24]


def checkout_typed_code(session_id: int, window: int) -> str:
    return f"{int(_checkout_digest(session_id, window)[24:40], 16) % 1_000_000:06d}"


def checkout_signature_valid(session_id: int, window: int, candidate: str) -> bool:
    return hmac.compare_digest(checkout_signature(session_id, window), str(candidate or ""))


def sessions_matching_typed_code(code, sessions, *, typed, at: dt.datetime) -> list:
    """The sessions whose typed code (``typed``: :func:`typed_code` or
    :func:`checkout_typed_code`) is ``code`` now or in the window before: a
    code read off the screen just as it changed still counts."""
    code = "".join(ch for ch in str(code or "") if ch.isdigit())
    if not code:
        return []
    current = window_at(at)
    return [s for s in sessions if code in (typed(s.pk, current), typed(s.pk, current - 1))]
