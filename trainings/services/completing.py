"""What attendance completes. When an attendance row comes to count (present
or late, accepted, not revoked, checked out where the session requires it),
the course or programme the session counts for is completed through courses'
own rules in the same transaction; when it stops counting, what it caused is
revoked, unless another session still counts."""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cadres.models import Cadre, User
from courses.models import Completion, Enrolment, ProgrammeCourse
from courses.services import (
    completion_revoke,
    enrolment_evaluate_completion,
    enrolments_create_many,
    enrolments_evaluate_completion_many,
)
from courses.trained import trained_refresh

from ..models import Attendance, TrainingCompletion, TrainingSession
from ..requirements import series_route, series_routes, session_route, session_routes


def target_courses(session: TrainingSession) -> list[tuple[int, object]]:
    """(course id, programme or None) that this session's attendance can complete."""
    owner = session.series if session.series_id else session
    if owner.counts_for_course_id:
        return [(owner.counts_for_course_id, None)]
    if owner.counts_for_programme_id:
        programme = owner.counts_for_programme
        return [
            (course_id, programme)
            for course_id in ProgrammeCourse.objects.filter(
                programme=programme, required=True
            ).values_list("course_id", flat=True)
        ]
    return []


def apply(attendance: Attendance, *, by: User | None, reason: str = "") -> list[Completion]:
    """Bring the cadre's completions in line with their attendance; returns new ones."""
    if attendance.counts:
        # Completed when the cadre was there, so an as-of report counts them from that day.
        return complete(attendance.session, {attendance.cadre_id: attendance.checked_in_at}, by=by)
    uncomplete(attendance.session, attendance.cadre, by=by, reason=reason)
    return []


def complete(
    session: TrainingSession, attended_at: dict[int, dt.datetime | None], *, by: User | None
) -> list[Completion]:
    """Complete what the session counts for, for the cadres (id -> when they
    were there) whose attendance now counts: through courses' batch service,
    so by the same rules and in the same transaction, in a fixed number of
    queries whatever their number. Each new completion is linked to the
    session (or series) that caused it. Returns the new completions."""
    cadre_ids = list(attended_at)
    if not cadre_ids:
        return []
    created: list[Completion] = []
    for course_id, programme in target_courses(session):
        enrolments = enrolments_create_many(
            cadre_ids=cadre_ids,
            course_id=course_id,
            source=Enrolment.Source.PROGRAMME if programme else Enrolment.Source.MANUAL,
            programme=programme,
            by=by if by is not None and by.pk else None,
        )
        completions = enrolments_evaluate_completion_many(
            items=[(enrolments[cadre_id], attended_at[cadre_id]) for cadre_id in cadre_ids]
        )
        if not completions:
            continue
        completed = [completion.enrolment.cadre_id for completion in completions]
        sessions = session_routes(completed, course_id, known=[session])
        series = series_routes([c for c in completed if c not in sessions], course_id)
        TrainingCompletion.objects.bulk_create(
            [
                TrainingCompletion(
                    completion=completion,
                    cadre_id=completion.enrolment.cadre_id,
                    session=sessions.get(completion.enrolment.cadre_id),
                    series=series.get(completion.enrolment.cadre_id),
                )
                for completion in completions
                if completion.enrolment.cadre_id in sessions
                or completion.enrolment.cadre_id in series
            ],
            batch_size=1000,
        )
        # The route is part of the trained fact: mend it in this transaction.
        linked = sorted(set(sessions) | set(series))
        if linked:
            trained_refresh(cadre_ids=linked, course_ids=[course_id])
        created += completions
    return created


def uncomplete(session: TrainingSession, cadre: Cadre, *, by: User | None, reason: str) -> None:
    """The cadre's attendance no longer counts: revoke the completions trainings
    caused for what the session counts for, unless another session still counts."""
    for course_id, _programme in target_courses(session):
        if session_route(cadre.pk, course_id) or series_route(cadre.pk, course_id):
            continue  # another session still counts for this course
        caused = Completion.objects.filter(
            training__cadre=cadre,
            enrolment__course_id=course_id,
            revoked_at__isnull=True,
        ).select_related("enrolment__cadre")
        for completion in caused:
            if by is None:
                raise PermissionDenied(_("Only an organiser can revoke attendance."))
            completion_revoke(
                completion=completion,
                by=by,
                reason=reason
                or _("Attendance at “%(title)s” no longer counts.") % {"title": session.title},
            )
            # Lessons and quizzes done meanwhile still complete the course by its own rule.
            enrolment_evaluate_completion(enrolment=completion.enrolment)


def uncomplete_stopped(session: TrainingSession, changed: list[Attendance], *, by: User) -> None:
    """Revoke the completions this session caused for the updated rows that
    no longer count (one query when none stopped counting)."""
    stopped = [a.cadre_id for a in changed if not a.counts]
    if stopped:
        caused = set(
            Completion.objects.filter(
                training__cadre_id__in=stopped,
                enrolment__course_id__in=[course_id for course_id, _p in target_courses(session)],
                revoked_at__isnull=True,
            ).values_list("training__cadre_id", flat=True)
        )
        for attendance in changed:
            if attendance.cadre_id in caused:
                uncomplete(session, attendance.cadre, by=by, reason="")
