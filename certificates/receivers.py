"""Listens to courses' signals. Both arrive after the completion's commit, so
an error here must not reach the learner's request: it is logged, and the
sweep finishes the job."""

import logging

from django.dispatch import receiver

from courses.signals import course_completed, course_completion_revoked, courses_completed

logger = logging.getLogger(__name__)


@receiver(course_completed, dispatch_uid="certificates.request")
def _request_certificates(sender, completion_id, enrolment_id=None, **kwargs):
    from .services import certificates_request_for_completion

    # The pending rows are written here, in the web process, so a crash before
    # the issue task is enqueued leaves them for the sweep.
    try:
        certificates_request_for_completion(completion_id=completion_id)
    except Exception:
        logger.exception("certificate request for completion %s failed", completion_id)


@receiver(courses_completed, dispatch_uid="certificates.request_many")
def _request_certificates_many(sender, completion_ids, **kwargs):
    from .services import certificates_request_later

    # Completions recorded together (a report, a check-in) are handed to a
    # worker: the request neither writes their certificates nor waits for the
    # broker. Whatever goes astray, the sweep requests.
    try:
        certificates_request_later(completion_ids=completion_ids)
    except Exception:
        logger.exception("certificate requests for %s completions failed", len(completion_ids))


@receiver(course_completion_revoked, dispatch_uid="certificates.revoke")
def _revoke_certificates(sender, completion_id, **kwargs):
    from .services import certificates_revoke_for_completion

    try:
        certificates_revoke_for_completion(completion_id=completion_id)
    except Exception:
        # Not lost: a later request for the course revokes a certificate whose
        # completion was revoked before issuing a new one.
        logger.exception("certificate revocation for completion %s failed", completion_id)
