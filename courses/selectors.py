"""Reads for the learning side, scoped to the acting user.

Every list here costs a fixed number of queries, whatever the number of
lessons, courses or enrolments.
"""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from wagtail.models import Page

from cadres.models import Cadre, OrgUnit, User
from cadres.selectors import cadre_of, cadres_visible_to, current_membership, memberships_on

from . import tree_cache
from .models import Completion, CoursePage, Enrolment, LessonCompletion, LessonPage, Programme
from .requirements import CourseStep, Followup, StepState, completion_followups, course_steps


def enrolments_of(user: User) -> QuerySet[Enrolment]:
    cadre = cadre_of(user)
    if cadre is None:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(cadre=cadre)


def course_lessons(course: CoursePage) -> QuerySet[LessonPage]:
    return LessonPage.objects.child_of(course).live().order_by("path")


def page_url(url_path: str) -> str:
    """A course-tree page's URL from its ``url_path``, without a query.

    The site's root is the catalogue (depth 2), mounted at ``/khoa-hoc/``, so
    the first segment of the path is the catalogue's own slug.
    """
    rest = url_path.strip("/").split("/", 1)
    return "/khoa-hoc/" + (rest[1] + "/" if len(rest) > 1 and rest[1] else "")


@dataclass
class LessonStep:
    pk: int
    title: str
    url: str
    done: bool = False
    locked: bool = False
    current: bool = False
    path: str = ""
    kind: str = "lesson"


@dataclass
class Outline:
    """The lessons (``steps``) and the other steps (quizzes, from
    ``courses.requirements``) of a course, as one learner stands with them."""

    steps: list[LessonStep] = field(default_factory=list)
    extras: list[CourseStep] = field(default_factory=list)

    @property
    def entries(self) -> list:
        """Lessons and other steps together, in the order of the page tree."""
        if not self.extras:
            return list(self.steps)
        return sorted([*self.steps, *self.extras], key=lambda entry: entry.path)

    @property
    def next_action(self) -> "LessonStep | CourseStep | None":
        """Where "Continue" leads: the first lesson not done, then the first
        required step (the quiz) still to do; None when nothing is left."""
        lesson = self.next_step
        if lesson is not None:
            return lesson
        return next((extra for extra in self.extras if extra.to_do), None)

    @property
    def stuck(self) -> list[CourseStep]:
        """Required steps the learner can no longer pass (no attempt left)."""
        return [e for e in self.extras if e.required and e.state == StepState.EXHAUSTED]

    @property
    def done_count(self) -> int:
        return sum(step.done for step in self.steps)

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / self.total) if self.total else 0

    @property
    def next_step(self) -> LessonStep | None:
        return next((step for step in self.steps if not step.done), None)

    def neighbours(self, pk: int) -> tuple[LessonStep | None, LessonStep | None]:
        index = next((i for i, step in enumerate(self.steps) if step.pk == pk), None)
        if index is None:
            return None, None
        before = self.steps[index - 1] if index > 0 else None
        after = self.steps[index + 1] if index + 1 < len(self.steps) else None
        return before, after


def _outline(
    rows, done: set[int], *, sequential: bool, current: int | None = None, paths=()
) -> Outline:
    outline = Outline()
    blocked = False
    paths = paths or [""] * len(rows)
    for (pk, title, url_path), path in zip(rows, paths, strict=True):
        step = LessonStep(pk=pk, title=title, url=page_url(url_path), done=pk in done, path=path)
        step.locked = sequential and blocked and not step.done
        step.current = pk == current
        if not step.done:
            blocked = True
        outline.steps.append(step)
    return outline


@dataclass(frozen=True)
class CourseInTree:
    """A course as every learner sees it: kept in the tree cache."""

    pk: int
    title: str
    slug: str
    sequential: bool
    url_path: str
    lessons: tuple[tuple[int, str, str], ...]  # live lessons in order: pk, title, url_path
    lesson_paths: tuple[str, ...]  # their tree paths, in the same order
    # Other live pages of the course (quizzes) in order: pk, title, url_path, path.
    others: tuple[tuple[int, str, str, str], ...]

    @property
    def url(self) -> str:
        return page_url(self.url_path)

    def after(self, pk: int) -> tuple[int, str, str] | None:
        """The page (lesson or quiz) that follows page ``pk`` in the course."""
        pages = sorted(
            [(path, row) for path, row in zip(self.lesson_paths, self.lessons, strict=True)]
            + [(path, (opk, title, url_path)) for opk, title, url_path, path in self.others]
        )
        rows = [row for _path, row in pages]
        index = next((i for i, row in enumerate(rows) if row[0] == pk), None)
        if index is None or index + 1 >= len(rows):
            return None
        return rows[index + 1]


def course_in_tree(course_path: str) -> CourseInTree | None:
    """The course at ``course_path`` with its live lessons and other pages: two
    queries, then none until the page tree changes."""

    def build() -> CourseInTree | None:
        course = (
            CoursePage.objects.filter(path=course_path)
            .values("pk", "title", "slug", "sequential", "url_path")
            .first()
        )
        if course is None:
            return None
        lesson_type = ContentType.objects.get_for_model(LessonPage).pk
        children = (
            Page.objects.live()
            .filter(path__startswith=course_path, depth=len(course_path) // Page.steplen + 1)
            .order_by("path")
            .values_list("pk", "title", "url_path", "path", "content_type_id")
        )
        lessons, paths, others = [], [], []
        for pk, title, url_path, path, type_id in children:
            if type_id == lesson_type:
                lessons.append((pk, title, url_path))
                paths.append(path)
            else:
                others.append((pk, title, url_path, path))
        return CourseInTree(
            **course, lessons=tuple(lessons), lesson_paths=tuple(paths), others=tuple(others)
        )

    # "v2": entries cached before quizzes were part of the outline have another shape.
    return tree_cache.cached(f"course:v2:{course_path}", build)


def _with_steps(outline: Outline, course: CoursePage, cadre) -> Outline:
    """Add the course's other steps (quizzes) with the cadre's state."""
    outline.extras = course_steps(course_paths=[course.path], cadre=cadre)[course.path]
    _apply_rule(outline.extras, course)
    return outline


def _apply_rule(extras: list[CourseStep], course: CoursePage) -> None:
    if course.completion_rule == CoursePage.CompletionRule.LESSONS_ONLY:
        for extra in extras:
            extra.required = False


def _done_lessons(enrolment: Enrolment | None) -> set[int]:
    if enrolment is None:
        return set()
    return set(
        LessonCompletion.objects.filter(enrolment=enrolment).values_list("lesson_id", flat=True)
    )


def course_outline(
    course: CoursePage, enrolment: Enrolment | None, *, current: int | None = None
) -> Outline:
    """The course's live lessons and quizzes in order with this learner's
    status: one query for the lessons, plus the step providers' few."""
    in_tree = course_in_tree(course.path)  # None: a new course previewed before it is saved
    lessons = in_tree.lessons if in_tree is not None else ()
    paths = in_tree.lesson_paths if in_tree is not None else ()
    outline = _outline(
        lessons,
        _done_lessons(enrolment),
        sequential=course.sequential,
        current=current,
        paths=paths,
    )
    return _with_steps(outline, course, enrolment.cadre if enrolment is not None else None)


def lesson_outline(lesson: LessonPage, done: set[int], *, sequential: bool) -> Outline:
    """Like :func:`course_outline`, from a lesson and the lessons done, without a
    query, and without the quizzes' state."""
    in_tree = course_in_tree(lesson.path[: -lesson.steplen])
    return _outline(
        in_tree.lessons, done, sequential=sequential, current=lesson.pk, paths=in_tree.lesson_paths
    )


@dataclass
class PageLink:
    url: str
    title: str
    kind: str  # "lesson", "step" (a quiz) or "course"


def next_page(course: CourseInTree, lesson_id: int, *, course_completed: bool) -> PageLink:
    """Where the lesson's "next" leads: the page after it in the course (a
    lesson, or the quiz), or back to the course after the last one or once the
    course is completed. No query."""
    after = course.after(lesson_id)
    lesson_ids = {pk for pk, _title, _url_path in course.lessons}
    if after is not None and (after[0] in lesson_ids or not course_completed):
        kind = "lesson" if after[0] in lesson_ids else "step"
        return PageLink(url=page_url(after[2]), title=after[1], kind=kind)
    return PageLink(url=course.url, title=course.title, kind="course")


def lesson_after_url(lesson: LessonPage) -> str | None:
    """The URL of the live page (lesson or quiz) after this lesson in its course, if any."""
    after = course_in_tree(lesson.path[: -lesson.steplen]).after(lesson.pk)
    return page_url(after[2]) if after is not None else None


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
        in_tree = course_in_tree(course.path)
        outline = _outline(
            in_tree.lessons, done, sequential=course.sequential, paths=in_tree.lesson_paths
        )
        outline.extras = steps.get(course.path, [])
        _apply_rule(outline.extras, course)
        item = LearnerCourse(
            enrolment=enrolment,
            course=course,
            outline=outline,
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


# --- manual completion: who may record and revoke ---------------------------


def cadres_manageable_by(user: User) -> QuerySet[Cadre]:
    """Cadres whose completions the user may record or revoke.

    Trainers and administrators: everyone; an HR officer: their unit subtree.
    """
    if not user.is_authenticated:
        return Cadre.objects.none()
    if user.is_administrator or user.is_trainer:
        return Cadre.objects.all()
    if user.is_hr_officer:
        return cadres_visible_to(user)
    return Cadre.objects.none()


def may_manage_completion(user: User, cadre: Cadre) -> bool:
    return cadres_manageable_by(user).filter(pk=cadre.pk).exists()


def cadre_for_manager(user: User, cadre_id) -> Cadre:
    cadre = cadres_manageable_by(user).filter(pk=cadre_id).first()
    if cadre is None:
        raise Http404
    return cadre


def enrolment_for_manager(user: User, enrolment_id) -> Enrolment:
    enrolment = (
        Enrolment.objects.filter(pk=enrolment_id, cadre__in=cadres_manageable_by(user).values("pk"))
        .select_related("cadre", "course")
        .first()
    )
    if enrolment is None:
        raise Http404
    return enrolment


def completion_for_manager(user: User, completion_id) -> Completion:
    completion = (
        Completion.objects.filter(
            pk=completion_id, enrolment__cadre__in=cadres_manageable_by(user).values("pk")
        )
        .select_related("enrolment__cadre", "enrolment__course")
        .first()
    )
    if completion is None:
        raise Http404
    return completion


def cadre_enrolments(cadre: Cadre) -> QuerySet[Enrolment]:
    return (
        Enrolment.objects.filter(cadre=cadre)
        .select_related("course", "programme")
        .prefetch_related("completions")
        .order_by("enrolled_at", "pk")
    )


def cadre_unit_name(cadre: Cadre) -> str:
    membership = current_membership(cadre)
    return membership.unit.name if membership else ""


# --- programmes in the admin -------------------------------------------------


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


def programmes_over(*, cadre: Cadre) -> QuerySet:
    """Programmes set on a unit the cadre belongs to today, or on one above it:
    the only ones whose population can include them."""
    steplen = OrgUnit.steplen
    paths = (
        memberships_on(timezone.localdate())
        .filter(cadre=cadre)
        .values_list("unit__path", flat=True)
    )
    above = {path[:end] for path in paths for end in range(steplen, len(path) + 1, steplen)}
    return Programme.objects.filter(unit__path__in=above).order_by("pk")


def programmes_visible_to(user: User) -> QuerySet:
    """Administrators see every programme; an HR officer those of their subtree."""
    from cadres.selectors import units_visible_to

    from .models import Programme

    if not user.is_authenticated:
        return Programme.objects.none()
    if user.is_administrator:
        return Programme.objects.all()
    if user.is_hr_officer:
        return Programme.objects.filter(unit__in=units_visible_to(user))
    return Programme.objects.none()


def programmes_applying_to(user: User) -> QuerySet:
    """Programmes an HR officer reads: those of their subtree, which they
    manage, and those set higher up whose population covers their unit."""
    from .models import Programme

    managed = programmes_visible_to(user)
    if user.is_authenticated and user.is_hr_officer and user.scope_unit_id:
        scope = user.scope_unit
        above = scope.get_ancestors().values("pk")
        return Programme.objects.filter(Q(pk__in=managed.values("pk")) | Q(unit__in=above))
    return managed


def programme_for_manager(user: User, programme_id):
    programme = programmes_visible_to(user).select_related("unit").filter(pk=programme_id).first()
    if programme is None:
        raise Http404
    return programme
