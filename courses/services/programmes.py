"""Programmes assigned: their population enrolled in their courses, and a
cadre who joins later enrolled in the programmes that cover them."""

from django.db import transaction

from cadres.models import Cadre, User
from cadres.services import audit_record

from ..models import Enrolment, Programme
from ..selectors import programme_population, programmes_over


@transaction.atomic
def programme_assign(*, programme: Programme, by: User | None = None) -> int:
    """Enrol the whole population in every course of the programme; returns how many new."""
    course_ids = list(programme.programme_courses.values_list("course_id", flat=True))
    cadre_ids = list(programme_population(programme).values_list("pk", flat=True))
    existing = set(
        Enrolment.objects.filter(course_id__in=course_ids, cadre_id__in=cadre_ids).values_list(
            "cadre_id", "course_id"
        )
    )
    new = [
        Enrolment(
            cadre_id=cadre_id,
            course_id=course_id,
            programme=programme,
            source=Enrolment.Source.PROGRAMME,
            enrolled_by=by,
        )
        for cadre_id in cadre_ids
        for course_id in course_ids
        if (cadre_id, course_id) not in existing
    ]
    Enrolment.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    audit_record(
        action="programme.assign",
        actor=by,
        unit=programme.unit,
        obj=programme,
        data={"new_enrolments": len(new), "population": len(cadre_ids)},
    )
    return len(new)


def programmes_enrol_cadre(*, cadre_id: int) -> int:
    """A cadre who joins a unit later is enrolled in the programmes that cover them."""
    cadre = Cadre.objects.get(pk=cadre_id)
    created = 0
    # Only programmes set on one of the cadre's units or above can cover them;
    # the population rule then decides for each of those few.
    for programme in programmes_over(cadre=cadre).filter(is_optional=False).select_related("unit"):
        if programme_population(programme).filter(pk=cadre.pk).exists():
            for course_id in programme.programme_courses.values_list("course_id", flat=True):
                _e, new = Enrolment.objects.get_or_create(
                    cadre=cadre,
                    course_id=course_id,
                    defaults={"programme": programme, "source": Enrolment.Source.PROGRAMME},
                )
                created += new
    return created
