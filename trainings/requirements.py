"""The courses completion route implemented by trainings: a cadre whose
attendance satisfies a session's (or a series') rule has completed the course
the session counts for, whatever the course's lessons and quizzes."""

from django.db.models import Count, Q

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


def session_routes(cadre_ids, course_id: int, *, known=()) -> dict[int, TrainingSession]:
    """:func:`session_route` for many cadres: cadre id -> session. One query, and
    one more for sessions not among ``known``."""
    sessions = TrainingSession.objects.filter(counts_for_course(course_id), series__isnull=True)
    first: dict[int, int] = {}
    for cadre_id, session_id in (
        counting_attendances()
        .filter(cadre_id__in=list(cadre_ids), session__in=sessions.values("pk"))
        .order_by("checked_in_at", "pk")
        .values_list("cadre_id", "session_id")
    ):
        first.setdefault(cadre_id, session_id)
    found = {session.pk: session for session in known}
    missing = set(first.values()) - found.keys()
    if missing:
        found.update(TrainingSession.objects.in_bulk(missing))
    return {cadre_id: found[session_id] for cadre_id, session_id in first.items()}


def series_routes(cadre_ids, course_id: int) -> dict[int, TrainingSeries]:
    """:func:`series_route` for many cadres: one query, and two per series that
    counts for the course (none usually). Cadre id -> series."""
    found: dict[int, TrainingSeries] = {}
    rest = set(cadre_ids)
    if not rest:
        return found
    for series in TrainingSeries.objects.filter(counts_for_course(course_id)).distinct():
        if not rest:
            break
        total = series.sessions.count()
        if not total:
            continue
        attended = (
            counting_attendances()
            .filter(cadre_id__in=list(rest), session__series=series)
            .order_by()
            .values("cadre_id")
            .annotate(attended=Count("pk"))
            .values_list("cadre_id", "attended")
        )
        for cadre_id, count in attended:
            if count * 100 >= series.min_share_percent * total:
                found[cadre_id] = series
        rest -= found.keys()
    return found


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

    def satisfied_many(self, *, enrolments: list[Enrolment]) -> set[int]:
        """``satisfied`` for a batch: one query per course, plus the series' for
        those it does not find."""
        done: set[int] = set()
        by_course: dict[int, list[Enrolment]] = {}
        for enrolment in enrolments:
            by_course.setdefault(enrolment.course_id, []).append(enrolment)
        for course_id, mine in by_course.items():
            sessions = TrainingSession.objects.filter(
                counts_for_course(course_id), series__isnull=True
            ).values("pk")
            attended = set(
                counting_attendances()
                .filter(cadre_id__in=[e.cadre_id for e in mine], session__in=sessions)
                .values_list("cadre_id", flat=True)
            )
            rest = [e.cadre_id for e in mine if e.cadre_id not in attended]
            if rest:
                attended |= series_routes(rest, course_id).keys()
            done |= {e.pk for e in mine if e.cadre_id in attended}
        return done


attended_session = AttendedSession()


class TrainingOrigin:
    def by_training(self):
        return TrainingCompletion.objects.values("completion_id")


training_origin = TrainingOrigin()
