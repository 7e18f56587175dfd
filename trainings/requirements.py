"""The courses completion route implemented by trainings: a cadre whose
attendance satisfies a session's (or a series') rule has completed the course
the session counts for, whatever the course's lessons and quizzes."""

from django.db.models import Q

from courses.models import Enrolment

from .models import TrainingCompletion, TrainingSeries, TrainingSession, counting_attendances


def counts_for_course(course_id: int) -> Q:
    """Sessions or series that count for the course, directly or through a
    programme that requires it."""
    return Q(counts_for_course_id=course_id) | Q(
        counts_for_programme__programme_courses__course_id=course_id,
        counts_for_programme__programme_courses__required=True,
    )


def session_route(cadre_id: int, course_id: int) -> TrainingSession | None:
    """A session outside any series, attended by the cadre, that counts for the course."""
    sessions = TrainingSession.objects.filter(counts_for_course(course_id), series__isnull=True)
    attendance = (
        counting_attendances()
        .filter(cadre_id=cadre_id, session__in=sessions.values("pk"))
        .select_related("session")
        .order_by("checked_in_at", "pk")
        .first()
    )
    return attendance.session if attendance else None


def series_route(cadre_id: int, course_id: int) -> TrainingSeries | None:
    """A series counting for the course of which the cadre attended the minimum share."""
    for series in TrainingSeries.objects.filter(counts_for_course(course_id)).distinct():
        total = series.sessions.count()
        if not total:
            continue
        attended = counting_attendances().filter(cadre_id=cadre_id, session__series=series).count()
        if attended * 100 >= series.min_share_percent * total:
            return series
    return None


def _standalone_session_ids(course_id: int) -> list[int]:
    return list(
        TrainingSession.objects.filter(counts_for_course(course_id), series__isnull=True)
        .order_by()
        .values_list("pk", flat=True)
        .distinct()
    )


class AttendedSession:
    def satisfied(self, *, enrolment: Enrolment) -> bool:
        # Asked on every completion decision: two small queries when no series counts.
        session_ids = _standalone_session_ids(enrolment.course_id)
        if (
            session_ids
            and counting_attendances()
            .filter(cadre_id=enrolment.cadre_id, session_id__in=session_ids)
            .exists()
        ):
            return True
        return series_route(enrolment.cadre_id, enrolment.course_id) is not None


attended_session = AttendedSession()


class TrainingOrigin:
    def by_training(self):
        return TrainingCompletion.objects.values("completion_id")


training_origin = TrainingOrigin()
