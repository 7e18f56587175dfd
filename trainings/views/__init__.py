"""Thin views: look up through selectors, change through services. One module
per kind of page:

- :mod:`.cadre`: a cadre's invited sessions, a session's page, declining;
- :mod:`.checkin`: checking in and out (QR screen, scan, typed code);
- :mod:`.organisers`: the session list, tick list, invitations, walk-ins, revoking;
- :mod:`.attendee_import`: a meeting's attendee report, uploaded and resolved;
- :mod:`.reports`: sign-in sheet, exports and period reports.
"""

from .cadre import home_section

__all__ = ["home_section"]
