"""The certificate's lifecycle: request, issue, revoke, reissue — one module
each (``requesting``, ``issuing``, ``revoking``), with ``codes`` (verification
codes), ``templates`` (which template a certificate is drawn with) and
``enqueueing`` (handing work to the workers). Every name other apps and tests
use is importable from here.

The sweep that finishes what a crash left is in ``certificates.sweep``, the ZIP
export in ``certificates.exports``, reads in ``certificates.selectors``.

Issuing is split so a crash at any point leaves a trace and a re-run finishes
the job exactly once:

1. a *pending* row is written when a completion is announced (or found by the
   sweep);
2. ``certificate_issue`` locks the row, gives it the next number of its
   issuer's sequence and freezes what will be printed (committed at once, so a
   number, once given, is never given again and never lost);
3. the PDF is rendered outside any lock, stored with its SHA-256, the row is
   marked valid and the holder notified (with a dedupe key) in one transaction.

A re-run of any step on a row that has moved on does nothing.
"""

from .codes import CODE_ALPHABET, CODE_LENGTH, code_new, code_normalise
from .enqueueing import (
    certificate_issue_enqueue,
    certificate_issue_enqueue_many,
    certificates_request_later,
)
from .issuing import certificate_freeze, certificate_issue, number_next
from .requesting import certificates_request_for_completion, certificates_request_for_completions
from .revoking import (
    COMPLETION_REVOKED,
    LIVE,
    CertificateError,
    certificate_reissue,
    certificate_revoke,
    certificate_revoke_if_live,
    certificates_revoke_for_completion,
)
from .templates import template_default, template_for

__all__ = [
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "COMPLETION_REVOKED",
    "LIVE",
    "CertificateError",
    "certificate_freeze",
    "certificate_issue",
    "certificate_issue_enqueue",
    "certificate_issue_enqueue_many",
    "certificate_reissue",
    "certificate_revoke",
    "certificate_revoke_if_live",
    "certificates_request_for_completion",
    "certificates_request_for_completions",
    "certificates_request_later",
    "certificates_revoke_for_completion",
    "code_new",
    "code_normalise",
    "number_next",
    "template_default",
    "template_for",
]
