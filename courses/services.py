"""Writes for enrolment, progress and completion.

Completion is decided here, in the transaction that records the progress
that caused it, by the course's rule and the registered requirements.
"""

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from cadres.models import Cadre, User
from cadres.selectors import memberships_on
from cadres.services import audit_record

from . import requirements
from .models import Completion, CoursePage, Enrolment, LessonCompletion, LessonPage, Programme
from .selectors import course_lessons
from .signals import course_completed, course_completion_revoked


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


def programme_population(programme: Programme):
    """Cadres the programme applies to today: the unit subtree, filtered."""
    unit = programme.unit
    memberships = memberships_on(timezone.localdate()).filter(
        unit__path__startswith=unit.path, unit__depth__gte=unit.depth
    )
    if programme.full_time_only:
        memberships = memberships.filter(is_full_time=True)
    if programme.position_list:
        memberships = memberships.filter(position__in=programme.position_list)
    return Cadre.objects.filter(status=Cadre.Status.ACTIVE, pk__in=memberships.values("cadre_id"))


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
    if by is not None:
        audit_record(
            action="programme.assign",
            actor=by,
            unit=programme.unit,
            obj=programme,
            data={"new_enrolments": len(new)},
        )
    return len(new)


def programmes_enrol_cadre(*, cadre_id: int) -> int:
    """A cadre who joins a unit later is enrolled in the programmes that cover them."""
    cadre = Cadre.objects.get(pk=cadre_id)
    created = 0
    for programme in Programme.objects.filter(is_optional=False).select_related("unit"):
        if programme_population(programme).filter(pk=cadre.pk).exists():
            for course_id in programme.programme_courses.values_list("course_id", flat=True):
                _e, new = Enrolment.objects.get_or_create(
                    cadre=cadre,
                    course_id=course_id,
                    defaults={"programme": programme, "source": Enrolment.Source.PROGRAMME},
                )
                created += new
    return created


def enrolment_unmet(*, enrolment: Enrolment) -> list[str]:
    """What the enrolment still lacks under its course's rule; [] means complete."""
    course = enrolment.course
    unmet: list[str] = []
    if course.completion_rule != CoursePage.CompletionRule.QUIZZES_ONLY:
        done = set(enrolment.lesson_completions.values_list("lesson_id", flat=True))
        unmet += [lesson.title for lesson in course_lessons(course) if lesson.pk not in done]
    if course.completion_rule != CoursePage.CompletionRule.LESSONS_ONLY:
        for requirement in requirements.registered():
            unmet += requirement.unmet(enrolment=enrolment)
    return unmet


def enrolment_evaluate_completion(*, enrolment: Enrolment) -> Completion | None:
    """Record a completion if the rule is now met. Safe to call any number of times."""
    if enrolment.completions.filter(revoked_at__isnull=True).exists():
        return None
    if enrolment_unmet(enrolment=enrolment):
        return None
    return _completion_create(enrolment=enrolment, source=Completion.Source.RULE)


def _completion_create(
    *, enrolment: Enrolment, source: str, by: User | None = None, reason: str = ""
) -> Completion | None:
    now = timezone.now()
    try:
        with transaction.atomic():
            completion = Completion.objects.create(
                enrolment=enrolment, completed_at=now, source=source, recorded_by=by, reason=reason
            )
    except IntegrityError:
        # A concurrent request recorded it first: one completion, not two.
        return None
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=now, last_activity_at=now)
    transaction.on_commit(
        lambda: course_completed.send(
            sender=Completion, completion_id=completion.pk, enrolment_id=enrolment.pk
        )
    )
    return completion


@transaction.atomic
def lesson_complete(*, enrolment: Enrolment, lesson: LessonPage) -> Completion | None:
    """Record the lesson (once) and decide course completion in the same transaction."""
    now = timezone.now()
    LessonCompletion.objects.get_or_create(
        enrolment=enrolment, lesson=lesson, defaults={"completed_at": now}
    )
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=now)
    return enrolment_evaluate_completion(enrolment=enrolment)


@transaction.atomic
def completion_record_manual(*, enrolment: Enrolment, by: User, reason: str) -> Completion | None:
    if not reason.strip():
        raise ValueError("reason required")
    completion = _completion_create(
        enrolment=enrolment, source=Completion.Source.MANUAL, by=by, reason=reason
    )
    audit_record(
        action="completion.manual",
        actor=by,
        obj=enrolment,
        data={"reason": reason, "completion": completion.pk if completion else None},
    )
    return completion


@transaction.atomic
def completion_revoke(*, completion: Completion, by: User, reason: str) -> Completion:
    if not reason.strip():
        raise ValueError("reason required")
    updated = Completion.objects.filter(pk=completion.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by, revoke_reason=reason
    )
    if updated:
        Enrolment.objects.filter(
            Q(pk=completion.enrolment_id),
        ).update(completed_at=None)
        audit_record(
            action="completion.revoke",
            actor=by,
            obj=completion.enrolment,
            data={"reason": reason, "completion": completion.pk},
        )
        transaction.on_commit(
            lambda: course_completion_revoked.send(sender=Completion, completion_id=completion.pk)
        )
    completion.refresh_from_db()
    return completion
