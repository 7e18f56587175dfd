from django.dispatch import Signal

# Sent on commit when an enrolment becomes complete. Arguments: completion_id,
# enrolment_id. Certificates listens; courses never imports certificates.
course_completed = Signal()
# Sent on commit, once, for completions recorded together by
# enrolments_evaluate_completion_many (an attendee report: a thousand at once)
# instead of course_completed for each. Arguments: completion_ids (a list).
# A listener to course_completed listens to this one too.
courses_completed = Signal()
# Sent on commit when a completion is revoked. Arguments: completion_id.
course_completion_revoked = Signal()
