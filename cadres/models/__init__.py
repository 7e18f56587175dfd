"""The cadres app's models, one module per part of the domain; every model is
importable from here (``from cadres.models import Cadre``), as migrations expect."""

from .accounts import ActivationCodeBatch, SecuritySettings, User
from .audit import AuditEvent
from .jobs import BackgroundJob
from .notifications import Notification
from .roster import Cadre, ColumnMapping, Membership, RosterImport, RosterImportRow
from .units import OrgUnit, Restructuring, Succession, UnitAlias, UnitCode

__all__ = [
    "ActivationCodeBatch",
    "AuditEvent",
    "BackgroundJob",
    "Cadre",
    "ColumnMapping",
    "Membership",
    "Notification",
    "OrgUnit",
    "Restructuring",
    "RosterImport",
    "RosterImportRow",
    "SecuritySettings",
    "Succession",
    "UnitAlias",
    "UnitCode",
    "User",
]
