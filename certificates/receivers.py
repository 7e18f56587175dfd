"""Listens to courses' signals. Both arrive after the completion's commit."""

from django.dispatch import receiver

from courses.signals import course_completed, course_completion_revoked


@receiver(course_completed, dispatch_uid="certificates.request")
def _request_certificates(sender, completion_id, enrolment_id=None, **kwargs):
    from .services import certificates_request_for_completion

    # The pending rows are written here, in the web process, so a crash before
    # the issue task is enqueued leaves them for the sweep.
    certificates_request_for_completion(completion_id=completion_id)


@receiver(course_completion_revoked, dispatch_uid="certificates.revoke")
def _revoke_certificates(sender, completion_id, **kwargs):
    from .services import certificates_revoke_for_completion

    certificates_revoke_for_completion(completion_id=completion_id)
