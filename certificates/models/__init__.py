"""The certificates app's models, one module per part: ``templates`` (how a
certificate looks, which course uses which), ``issued`` (certificates and
their number sequences), ``exports`` (unit ZIPs). Every model is importable
from here (``from certificates.models import Certificate``), as migrations expect."""

from .exports import CertificateExport
from .issued import Certificate, NumberSequence, code_display
from .templates import DEFAULT_BODY, DEFAULT_ISSUER, CertificateTemplate, TemplateAssignment

__all__ = [
    "DEFAULT_BODY",
    "DEFAULT_ISSUER",
    "Certificate",
    "CertificateExport",
    "CertificateTemplate",
    "NumberSequence",
    "TemplateAssignment",
    "code_display",
]
