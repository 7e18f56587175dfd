"""Enrolling cadres in courses: one, many at once, or themselves."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from cadres.models import Cadre, User

from ..models import CoursePage, Enrolment, Programme


class EnrolmentRefused(PermissionDenied):
    """The course does not take self-enrolment, or is not published."""


def enrolment_create(
    *,
    cadre: Cadre,
    course: CoursePage,
    source: str,
    programme: Programme | None = None,
    by: User | None = None,
) -> Enrolment:
    """Idempotent: an existing enrolment is returned unchanged."""
    enrolment, _created = Enrolment.objects.get_or_create(
        cadre=cadre,
        course=course,
        defaults={"source": source, "programme": programme, "enrolled_by": by},
    )
    return enrolment


def enrolments_create_many(
    *,
    cadre_ids,
    course_id: int,
    source: str,
    programme: Programme | None = None,
    by: User | None = None,
) -> dict[int, Enrolment]:
    """:func:`enrolment_create` for many cadres of one course, in two queries:
    cadre id -> enrolment (existing ones unchanged)."""
    cadre_ids = list(dict.fromkeys(cadre_ids))
    if not cadre_ids:
        return {}
    Enrolment.objects.bulk_create(
        [
            Enrolment(
                cadre_id=cadre_id,
                course_id=course_id,
                source=source,
                programme=programme,
                enrolled_by=by,
            )
            for cadre_id in cadre_ids
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return {
        enrolment.cadre_id: enrolment
        for enrolment in Enrolment.objects.filter(course_id=course_id, cadre_id__in=cadre_ids)
    }


def enrolment_self_create(*, cadre: Cadre, course: CoursePage, by: User) -> Enrolment:
    """A cadre enrols themself in a published course that allows it."""
    if not (course.live and course.self_enrol):
        raise EnrolmentRefused(_("This course does not take self-enrolment."))
    return enrolment_create(cadre=cadre, course=course, source=Enrolment.Source.SELF, by=by)
