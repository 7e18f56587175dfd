"""Writes for enrolment, progress and completion.

Completion is decided here, in the transaction that records the progress
that caused it, by the course's rule and the registered requirements.

Concurrency: every progress write starts with an UPDATE of the enrolment row,
which takes its row lock on PostgreSQL (SQLite serialises writers anyway), so
two lessons completed at the same moment cannot both miss the other and leave
a finished course without its completion. Unique constraints make replays and
races record one row.
"""

import datetime as dt

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import OuterRef, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.coreutils import get_supported_content_language_variant
from wagtail.models import Locale, Page, Site

from cadres.models import Cadre, User
from cadres.services import audit_record

from . import requirements
from .models import (
    Completion,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LessonCompletion,
    LessonPage,
    LessonVideoProgress,
    Programme,
)
from .selectors import (
    course_lessons,
    may_manage_completion,
    programme_population,
    programmes_over,
)
from .signals import course_completed, course_completion_revoked, courses_completed
from .trained import trained_refresh

# A video may be played at up to twice its speed; an end reported sooner than
# half its duration after the start is not believed.
VIDEO_MIN_FRACTION = 0.5


class LessonLocked(PermissionDenied):
    """An earlier lesson of a sequential course is not done yet."""


class VideoNotWatched(PermissionDenied):
    """The lesson's required video has not been (plausibly) played to the end."""


class EnrolmentRefused(PermissionDenied):
    """The course does not take self-enrolment, or is not published."""


def course_index_ensure(*, title: str = "Danh mục khóa học", slug: str = "khoa-hoc"):
    """The course catalogue page, created if missing, as the root of the default site.

    The page tree is the course tree: the site's root is the catalogue, so
    courses live at ``/khoa-hoc/<course>/`` and lessons one level below.
    """
    index = CourseIndexPage.objects.first()
    root = Page.get_first_root_node()
    if root is None:
        # A database flushed by a transactional test has lost Wagtail's own
        # initial rows; put the tree's root and default locale back.
        Locale.objects.get_or_create(language_code=get_supported_content_language_variant("vi"))
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    if index is None:
        index = root.add_child(instance=CourseIndexPage(title=title, slug=slug))
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(hostname="localhost", root_page=index, is_default_site=True)
    elif site.root_page_id != index.pk:
        welcome = site.root_page
        site.root_page = index
        site.save()
        # Wagtail's placeholder "Welcome" page has no place in the course tree.
        if type(welcome.specific) is Page and welcome.depth == 2 and not welcome.numchild:
            welcome.delete()
    return index


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


def enrolment_unmet(*, enrolment: Enrolment) -> list[str]:
    """What the enrolment still lacks under its course's rule; [] means complete.

    One query for the lessons, whatever their number, plus the requirements'.
    """
    course = enrolment.course
    unmet: list[str] = []
    if course.completion_rule != CoursePage.CompletionRule.QUIZZES_ONLY:
        unmet += list(
            course_lessons(course)
            .exclude(pk__in=LessonCompletion.objects.filter(enrolment=enrolment).values("lesson"))
            .values_list("title", flat=True)
        )
    if course.completion_rule != CoursePage.CompletionRule.LESSONS_ONLY:
        for requirement in requirements.registered():
            unmet += requirement.unmet(enrolment=enrolment)
    return unmet


def _lock(enrolment: Enrolment, at: dt.datetime) -> None:
    # The UPDATE takes the enrolment's row lock until commit: progress on one
    # enrolment is decided one request at a time.
    Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=at)


def _evaluate(enrolment: Enrolment, at: dt.datetime) -> Completion | None:
    if Completion.objects.filter(enrolment=enrolment, revoked_at__isnull=True).exists():
        return None
    if enrolment_unmet(enrolment=enrolment) and not any(
        route.satisfied(enrolment=enrolment) for route in requirements.routes()
    ):
        return None
    return _completion_create(enrolment=enrolment, source=Completion.Source.RULE, at=at)


@transaction.atomic
def enrolment_evaluate_completion(
    *, enrolment: Enrolment, at: dt.datetime | None = None
) -> Completion | None:
    """Record a completion if the rule is now met. Safe to call any number of times.

    Other apps call this when something a requirement reads has changed
    (assessments: a quiz passed).
    """
    at = at or timezone.now()
    _lock(enrolment, at)
    return _evaluate(enrolment, at)


@transaction.atomic(savepoint=False)
def enrolments_evaluate_completion_many(
    *, items: list[tuple[Enrolment, dt.datetime | None]]
) -> list[Completion]:
    """:func:`enrolment_evaluate_completion` for many enrolments at once, in one
    transaction and a fixed number of queries whatever their number: the same
    rule (lessons, registered requirements, completion routes), the same row
    locks (taken in id order, so two batches cannot deadlock), one completion
    per enrolment. ``items``: (enrolment, completed at — None for now).

    Listeners hear of the new completions on commit, once, by
    ``courses_completed``. Returns the new completions. Inside a caller's
    transaction no savepoint is taken: an error fails the caller's whole
    transaction, as an all-or-nothing batch wants.
    """
    now = timezone.now()
    enrolments: dict[int, Enrolment] = {}
    at_of: dict[int, dt.datetime] = {}
    for enrolment, at in items:
        enrolments[enrolment.pk] = enrolment
        at_of[enrolment.pk] = at or now
    if not enrolments:
        return []
    ids = sorted(enrolments)
    _lock_many([enrolments[pk] for pk in ids])
    done = set(
        Completion.objects.filter(enrolment_id__in=ids, revoked_at__isnull=True).values_list(
            "enrolment_id", flat=True
        )
    )
    pending = [enrolments[pk] for pk in ids if pk not in done]
    # Complete when nothing is unmet or a route completes it, as _evaluate; the
    # routes are asked first since an attendance batch is satisfied by one.
    routed = requirements.satisfied_many(pending)
    unrouted = [e for e in pending if e.pk not in routed]
    _courses_load(unrouted)
    unmet = _unmet_many(unrouted)
    complete = [e for e in pending if e.pk in routed or not unmet[e.pk]]
    completions = _completions_create_many(complete, at_of)
    # The activity _lock records, for those the completion did not stamp.
    stamped = {completion.enrolment_id for completion in completions}
    rest = [enrolments[pk] for pk in ids if pk not in stamped]
    for enrolment in rest:
        enrolment.last_activity_at = at_of[enrolment.pk]
    Enrolment.objects.bulk_update(rest, ["last_activity_at"], batch_size=1000)
    return completions


def _lock_many(enrolments: list[Enrolment]) -> None:
    """:func:`_lock`'s row locks for many enrolments, taken in id order."""
    list(
        Enrolment.objects.select_for_update()
        .filter(pk__in=[e.pk for e in enrolments])
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def _courses_load(enrolments: list[Enrolment]) -> None:
    """Give each enrolment its course, one query for those not loaded yet."""
    missing = {e.course_id for e in enrolments if not Enrolment.course.is_cached(e)}
    if not missing:
        return
    courses = CoursePage.objects.in_bulk(missing)
    for enrolment in enrolments:
        if not Enrolment.course.is_cached(enrolment):
            enrolment.course = courses[enrolment.course_id]


def _unmet_many(enrolments: list[Enrolment]) -> dict[int, list[str]]:
    """:func:`enrolment_unmet` of each enrolment: one query for the lessons of
    each course, one for the lessons done, plus the requirements' batch."""
    unmet: dict[int, list[str]] = {e.pk: [] for e in enrolments}
    if not enrolments:
        return unmet
    by_lessons = [
        e for e in enrolments if e.course.completion_rule != CoursePage.CompletionRule.QUIZZES_ONLY
    ]
    if by_lessons:
        lessons: dict[int, list[tuple[int, str]]] = {}
        for enrolment in by_lessons:
            if enrolment.course_id not in lessons:
                lessons[enrolment.course_id] = list(
                    course_lessons(enrolment.course).values_list("pk", "title")
                )
        done: dict[int, set[int]] = {}
        for enrolment_id, lesson_id in LessonCompletion.objects.filter(
            enrolment_id__in=[e.pk for e in by_lessons]
        ).values_list("enrolment_id", "lesson_id"):
            done.setdefault(enrolment_id, set()).add(lesson_id)
        for enrolment in by_lessons:
            mine = done.get(enrolment.pk, set())
            unmet[enrolment.pk] += [
                title for pk, title in lessons[enrolment.course_id] if pk not in mine
            ]
    by_requirements = [
        e for e in enrolments if e.course.completion_rule != CoursePage.CompletionRule.LESSONS_ONLY
    ]
    for pk, names in requirements.unmet_many(by_requirements).items():
        unmet[pk] += names
    return unmet


def _completions_create_many(
    enrolments: list[Enrolment], at_of: dict[int, dt.datetime]
) -> list[Completion]:
    """:func:`_completion_create` for many enrolments, whose row locks the caller
    holds and which have no current completion (so no concurrent writer can
    record one meanwhile: the unique constraint would fail the whole batch)."""
    if not enrolments:
        return []
    completions = Completion.objects.bulk_create(
        [
            Completion(enrolment=e, completed_at=at_of[e.pk], source=Completion.Source.RULE)
            for e in enrolments
        ],
        batch_size=1000,
    )
    # Each enrolment is stamped with its own completion's time in one UPDATE
    # (bulk_update's CASE of a thousand branches costs more than the rest).
    completed_at = Subquery(
        Completion.objects.filter(enrolment=OuterRef("pk"), revoked_at__isnull=True).values(
            "completed_at"
        )[:1]
    )
    Enrolment.objects.filter(pk__in=[e.pk for e in enrolments]).update(
        completed_at=completed_at, last_activity_at=completed_at
    )
    for enrolment in enrolments:
        enrolment.completed_at = enrolment.last_activity_at = at_of[enrolment.pk]
    trained_refresh(
        cadre_ids=sorted({e.cadre_id for e in enrolments}),
        course_ids=sorted({e.course_id for e in enrolments}),
    )
    completion_ids = [completion.pk for completion in completions]
    transaction.on_commit(
        lambda: courses_completed.send(sender=Completion, completion_ids=completion_ids)
    )
    return completions


def _completion_create(
    *,
    enrolment: Enrolment,
    source: str,
    by: User | None = None,
    reason: str = "",
    at: dt.datetime | None = None,
) -> Completion | None:
    at = at or timezone.now()
    try:
        with transaction.atomic():
            completion = Completion.objects.create(
                enrolment=enrolment, completed_at=at, source=source, recorded_by=by, reason=reason
            )
    except IntegrityError:
        # A concurrent request recorded it first: one completion, not two.
        return None
    Enrolment.objects.filter(pk=enrolment.pk).update(completed_at=at)
    enrolment.completed_at = at
    trained_refresh(cadre_ids=[enrolment.cadre_id], course_ids=[enrolment.course_id])
    transaction.on_commit(
        lambda: course_completed.send(
            sender=Completion, completion_id=completion.pk, enrolment_id=enrolment.pk
        )
    )
    return completion


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
    _lock(enrolment, at)
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
    return _evaluate(enrolment, at)


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


def _may_manage(by: User, enrolment: Enrolment) -> None:
    if not may_manage_completion(by, enrolment.cadre):
        raise PermissionDenied(_("You may not change this cadre's completions."))


@transaction.atomic
def completion_record_manual(
    *, enrolment: Enrolment, by: User, reason: str, at: dt.datetime | None = None
) -> Completion | None:
    """A trainer, an HR officer over the cadre's unit or an administrator records
    that the course was completed outside the platform. Audited."""
    _may_manage(by, enrolment)
    reason = reason.strip()
    if not reason:
        raise ValueError(_("Give a reason."))
    at = at or timezone.now()
    _lock(enrolment, at)
    completion = _completion_create(
        enrolment=enrolment, source=Completion.Source.MANUAL, by=by, reason=reason, at=at
    )
    audit_record(
        action="completion.manual",
        actor=by,
        obj=enrolment,
        data={
            "reason": reason,
            "enrolment": enrolment.pk,
            "completion": completion.pk if completion else None,
        },
    )
    return completion


@transaction.atomic
def completion_revoke(*, completion: Completion, by: User, reason: str) -> Completion:
    """Revoke a completion with a reason; the row stays, marked revoked. Audited."""
    enrolment = completion.enrolment
    _may_manage(by, enrolment)
    reason = reason.strip()
    if not reason:
        raise ValueError(_("Give a reason."))
    updated = Completion.objects.filter(pk=completion.pk, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=by, revoke_reason=reason
    )
    if updated:
        Enrolment.objects.filter(pk=completion.enrolment_id).update(completed_at=None)
        trained_refresh(cadre_ids=[enrolment.cadre_id], course_ids=[enrolment.course_id])
        audit_record(
            action="completion.revoke",
            actor=by,
            obj=enrolment,
            data={"reason": reason, "enrolment": enrolment.pk, "completion": completion.pk},
        )
        transaction.on_commit(
            lambda: course_completion_revoked.send(sender=Completion, completion_id=completion.pk)
        )
    completion.refresh_from_db()
    return completion
