from django.dispatch import Signal

# Sent on commit when an enrolment becomes complete. Arguments: completion_id,
# enrolment_id. Certificates listens; courses never imports certificates.
course_completed = Signal()
# Sent on commit when a completion is revoked. Arguments: completion_id.
course_completion_revoked = Signal()
