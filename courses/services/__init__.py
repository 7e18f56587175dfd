"""Writes for enrolment, progress and completion; every name other apps and
tests use is importable from here (``from courses.services import
enrolment_create``).

``catalogue`` (the course tree's root page), ``enrolment`` (cadres enrolled in
courses), ``programmes`` (a programme's population enrolled, joiners too),
``lessons`` (lessons and videos done, in order), ``completion`` (the course
rule decided for one enrolment, in the transaction that records the progress
that caused it), ``completion_batch`` (the same for many at once) and
``manual_completion`` (recorded or revoked by hand, audited).
"""

from .catalogue import course_index_ensure
from .completion import (
    enrolment_evaluate_completion,
    enrolment_unmet,
)
from .completion_batch import enrolments_evaluate_completion_many
from .enrolment import (
    EnrolmentRefused,
    enrolment_create,
    enrolment_self_create,
    enrolments_create_many,
)
from .lessons import (
    VIDEO_MIN_FRACTION,
    LessonLocked,
    VideoNotWatched,
    lesson_complete,
    lesson_locked,
    lesson_video_event,
)
from .manual_completion import (
    completion_record_manual,
    completion_revoke,
)
from .programmes import (
    programme_assign,
    programmes_enrol_cadre,
)

__all__ = [
    "EnrolmentRefused",
    "LessonLocked",
    "VIDEO_MIN_FRACTION",
    "VideoNotWatched",
    "completion_record_manual",
    "completion_revoke",
    "course_index_ensure",
    "enrolment_create",
    "enrolment_evaluate_completion",
    "enrolment_self_create",
    "enrolment_unmet",
    "enrolments_create_many",
    "enrolments_evaluate_completion_many",
    "lesson_complete",
    "lesson_locked",
    "lesson_video_event",
    "programme_assign",
    "programmes_enrol_cadre",
]
