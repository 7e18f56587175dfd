"""The acting learner's courses: enrolments, progress, where they stand."""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from cadres.models import User
from cadres.selectors import cadre_of

from ..models import CoursePage, Enrolment, LessonCompletion, LessonPage, LessonVideoProgress
from ..requirements import Followup, completion_followups, course_steps
from .outline import Outline, course_outline, outline_with_steps, page_url


def enrolments_of(user: User) -> QuerySet[Enrolment]:
    cadre = cadre_of(user)
    if cadre is None:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(cadre=cadre)


@dataclass
class LearnerProgress:
    enrolment_id: int | None
    done: set[int]
    completed: bool = False


def learner_progress(user: User, course_id: int) -> LearnerProgress:
    """Whether the acting user is enrolled in the course, whether they completed
    it, and the lessons they have done: one query (the enrolment joined to its
    lesson completions)."""
    progress = LearnerProgress(enrolment_id=None, done=set())
    if not user.is_authenticated:
        return progress
    rows = (
        Enrolment.objects.filter(cadre__user=user, course_id=course_id)
        .order_by()
        .values_list("pk", "completed_at", "lesson_completions__lesson_id")
    )
    for enrolment_id, completed_at, lesson_id in rows:
        progress.enrolment_id = enrolment_id
        progress.completed = completed_at is not None
        if lesson_id is not None:
            progress.done.add(lesson_id)
    return progress


def learner_enrolment(user: User, course_id: int) -> Enrolment | None:
    """The acting user's enrolment in the course, with its course and programme: one query."""
    if not user.is_authenticated:
        return None
    # At most one row (one enrolment per cadre and course): no ORDER BY needed.
    rows = Enrolment.objects.filter(cadre__user=user, course_id=course_id).select_related(
        "programme", "cadre"
    )[:1]
    return next(iter(rows), None)


def lesson_for_learner(user: User, lesson_id) -> tuple[LessonPage, Enrolment]:
    """A live lesson of a live course the user is enrolled in; otherwise 404.

    Not enrolled, unpublished and missing look the same.
    """
    lesson = LessonPage.objects.live().filter(pk=lesson_id).first()
    if lesson is None:
        raise Http404
    course = (
        CoursePage.objects.live().filter(path=lesson.path[: -lesson.steplen]).first()
        if user.is_authenticated
        else None
    )
    if course is None:
        raise Http404
    enrolment = learner_enrolment(user, course.pk)
    if enrolment is None:
        raise Http404
    enrolment.course = course
    return lesson, enrolment


def course_for_learner(user: User, course_id) -> CoursePage:
    course = CoursePage.objects.live().filter(pk=course_id).first()
    if course is None or not user.is_authenticated:
        raise Http404
    return course


@dataclass
class LearnerCourse:
    enrolment: Enrolment
    course: CoursePage
    outline: Outline
    deadline: object = None
    assigned: bool = False

    @property
    def completed(self) -> bool:
        return self.enrolment.completed_at is not None

    @property
    def overdue(self) -> bool:
        """The deadline has passed and the course is not completed."""
        return overdue(self.deadline, completed=self.completed)

    @property
    def course_url(self) -> str:
        return page_url(self.course.url_path)

    @property
    def resume_url(self) -> str:
        """ "Học tiếp": the next lesson, then the required quiz, else the course."""
        step = self.outline.next_action
        return step.url if step else self.course_url


def overdue(deadline, *, completed: bool) -> bool:
    return deadline is not None and not completed and deadline < timezone.localdate()


def learner_courses(user: User) -> tuple[list[LearnerCourse], list[LearnerCourse]]:
    """The home page's two lists: assigned (by a required programme) then optional.

    Assigned ones sort by deadline, unfinished first. Two queries (the lesson
    lists come from the tree cache), plus the step providers' few for all the
    courses at once.
    """
    cadre = cadre_of(user) if user.is_authenticated else None
    if cadre is None:
        return [], []
    enrolments = list(
        Enrolment.objects.filter(cadre=cadre, course__live=True)
        .select_related("course", "programme")
        .order_by("enrolled_at", "pk")
    )
    if not enrolments:
        return [], []
    done = set(
        LessonCompletion.objects.filter(enrolment__cadre=cadre).values_list("lesson_id", flat=True)
    )
    steps = course_steps(course_paths=[e.course.path for e in enrolments], cadre=cadre)
    assigned, optional = [], []
    for enrolment in enrolments:
        course = enrolment.course
        programme = enrolment.programme
        item = LearnerCourse(
            enrolment=enrolment,
            course=course,
            outline=outline_with_steps(course, done, steps.get(course.path, [])),
            deadline=programme.deadline if programme else None,
            assigned=bool(programme and not programme.is_optional),
        )
        (assigned if item.assigned else optional).append(item)
    far = timezone.localdate().replace(year=9999)
    assigned.sort(key=lambda i: (i.completed, i.deadline or far))
    optional.sort(key=lambda i: i.completed)
    return assigned, optional


@dataclass
class CourseStanding:
    """Where a learner stands in a course after a step (a quiz result): done, and
    what follows (a certificate), or what is still missing and where to go next."""

    course: CoursePage
    enrolment: Enrolment
    outline: Outline
    completed: bool
    followups: list[Followup]
    missing: list[str]

    @property
    def course_url(self) -> str:
        return page_url(self.course.url_path)

    @property
    def next_action(self):
        return None if self.completed else self.outline.next_action


def course_standing(user: User, course_path: str) -> CourseStanding | None:
    """The acting user's standing in the live course at ``course_path``; None
    when they are not enrolled in it."""
    course = CoursePage.objects.live().filter(path=course_path).first()
    if course is None or not user.is_authenticated:
        return None
    enrolment = learner_enrolment(user, course.pk)
    if enrolment is None:
        return None
    enrolment.course = course
    outline = course_outline(course, enrolment)
    completed = enrolment.completed_at is not None
    missing: list[str] = []
    if not completed:
        if course.completion_rule != CoursePage.CompletionRule.QUIZZES_ONLY:
            missing += [step.title for step in outline.steps if not step.done]
        missing += [
            f"{extra.title} ({extra.status})" if extra.status else extra.title
            for extra in outline.extras
            if extra.required and not extra.done
        ]
    return CourseStanding(
        course=course,
        enrolment=enrolment,
        outline=outline,
        completed=completed,
        followups=completion_followups(enrolment=enrolment) if completed else [],
        missing=missing,
    )


def catalogue_courses() -> QuerySet[CoursePage]:
    return CoursePage.objects.live().order_by("path").select_related("cover_image")


def lesson_video_finished(enrolment_id: int, lesson_id: int) -> bool:
    """Whether the page reported the lesson's required video played to the end."""
    return LessonVideoProgress.objects.filter(
        enrolment_id=enrolment_id, lesson_id=lesson_id, finished_at__isnull=False
    ).exists()
