"""Every write to sessions, invitations and attendance, one module per part:

- :mod:`.invitations`: inviting a session's population, declining, reminders;
- :mod:`.recording`: the one attendance row per session and cadre, and an
  organiser's changes to it (status, accepting a walk-in, revoking);
- :mod:`.checkin`: a cadre checking themself in and out with the QR code or
  the typed code;
- :mod:`.attendee_import`: meeting attendee reports matched and recorded;
- :mod:`.completing`: what attendance completes, and revokes when it stops
  counting (used by the others, not called from outside).

Attendance is one row per session and cadre, whichever route recorded it (QR
check-in, typed code, paper sheet, meeting report, by hand). When the row
comes to count (present or late, accepted, not revoked), the course or
programme the session counts for is completed through courses' own rules in
the same transaction; when it stops counting, what it caused is revoked.
Everything other apps, commands and tests use is importable from here.
"""

from .attendee_import import (
    AMBIGUOUS,
    MATCHED,
    UNMATCHED,
    ImportPlan,
    ImportRejected,
    PlanRow,
    attendance_import_apply,
    attendance_import_commit,
    attendance_import_create,
    attendance_import_plan,
    attendance_status_for,
)
from .checkin import (
    PENDING_SCAN_MINUTES,
    CheckInRefused,
    CheckOutRefused,
    CheckResult,
    attendance_check_in,
    attendance_check_in_code,
    attendance_check_out,
    attendance_check_out_code,
)
from .invitations import invitation_decline, session_reminders_send, session_sync_invitations
from .recording import attendance_accept_walk_in, attendance_revoke, attendance_set

__all__ = [
    "AMBIGUOUS",
    "MATCHED",
    "PENDING_SCAN_MINUTES",
    "UNMATCHED",
    "CheckInRefused",
    "CheckOutRefused",
    "CheckResult",
    "ImportPlan",
    "ImportRejected",
    "PlanRow",
    "attendance_accept_walk_in",
    "attendance_check_in",
    "attendance_check_in_code",
    "attendance_check_out",
    "attendance_check_out_code",
    "attendance_import_apply",
    "attendance_import_commit",
    "attendance_import_create",
    "attendance_import_plan",
    "attendance_revoke",
    "attendance_set",
    "attendance_status_for",
    "invitation_decline",
    "session_reminders_send",
    "session_sync_invitations",
]
