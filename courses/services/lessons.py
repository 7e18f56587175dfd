"""A learner's lessons: recorded in order, a required video watched first, and
the course completion decided in the same transaction."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Completion, Enrolment, LessonCompletion, LessonPage, LessonVideoProgress
from .completion import completion_evaluate_locked, enrolment_lock

# A video may be played at up to twice its speed; an end reported sooner than
# half its duration after the start is not believed.
VIDEO_MIN_FRACTION = 0.5


class LessonLocked(PermissionDenied):
    """An earlier lesson of a sequential course is not done yet."""


class VideoNotWatched(PermissionDenied):
    """The lesson's required video has not been (plausibly) played to the end."""


def lesson_locked(*, enrolment: Enrolment, lesson: LessonPage) -> bool:
    """In a sequential course, is an earlier live lesson still not done?"""
    if not enrolment.course.sequential:
        return False
    parent_path = lesson.path[: -lesson.steplen]
    return (
        LessonPage.objects.live()
        .filter(path__startswith=parent_path, depth=lesson.depth, path__lt=lesson.path)
        .exclude(pk__in=LessonCompletion.objects.filter(enrolment=enrolment).values("lesson"))
        .exists()
    )


@transaction.atomic
def lesson_complete(
    *, enrolment: Enrolment, lesson: LessonPage, at: dt.datetime | None = None
) -> Completion | None:
    """Record the lesson (once) and decide course completion in the same transaction.

    Refuses (``LessonLocked``, ``VideoNotWatched``; both PermissionDenied) and
    records nothing when the lesson is out of order or its required video was
    not played to the end. Returns the course completion when this lesson
    completed the course.
    """
    at = at or timezone.now()
    enrolment_lock(enrolment, at)
    if lesson_locked(enrolment=enrolment, lesson=lesson):
        raise LessonLocked(_("Finish the earlier lessons of this course first."))
    if lesson.required_video_seconds() is not None and not (
        LessonVideoProgress.objects.filter(
            enrolment=enrolment, lesson=lesson, finished_at__isnull=False
        ).exists()
    ):
        raise VideoNotWatched(_("Watch the lesson's video to the end first."))
    LessonCompletion.objects.bulk_create(
        [LessonCompletion(enrolment=enrolment, lesson=lesson, completed_at=at)],
        ignore_conflicts=True,
    )
    return completion_evaluate_locked(enrolment, at)


@transaction.atomic
def lesson_video_event(
    *, enrolment: Enrolment, lesson: LessonPage, event: str, at: dt.datetime | None = None
) -> LessonVideoProgress:
    """The page reports the lesson's video started or ended; the server's clock decides.

    An end is believed only after a start, and only when at least half the
    declared duration has passed since that start.
    """
    at = at or timezone.now()
    required = lesson.required_video_seconds()
    if required is None:
        raise VideoNotWatched(_("This lesson has no video to report."))
    progress, _created = LessonVideoProgress.objects.get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"started_at": at}
    )
    if event == "end" and progress.finished_at is None:
        if (at - progress.started_at).total_seconds() < required * VIDEO_MIN_FRACTION:
            raise VideoNotWatched(_("The video ended sooner than it can be played."))
        progress.finished_at = at
        progress.save(update_fields=["finished_at"])
    return progress
