"""Writing the audit log: who did what, when and from where."""

import hashlib

from django.http import HttpRequest

from ..models import AuditEvent, OrgUnit, User
from ..network import client_ip


def audit_record(
    *,
    action: str,
    actor: User | None = None,
    request: HttpRequest | None = None,
    unit: OrgUnit | None = None,
    obj: object | None = None,
    data: dict | None = None,
) -> AuditEvent:
    if actor is None and request is not None and request.user.is_authenticated:
        actor = request.user
    return AuditEvent.objects.create(
        action=action,
        actor=actor if actor is not None and actor.pk else None,
        ip_address=client_ip(request),
        unit=unit,
        object_repr=str(obj)[:255] if obj is not None else "",
        data=data or {},
    )


def file_sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
