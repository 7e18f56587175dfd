"""A course's lessons and other steps in order, as every learner sees them (from
the tree cache) and as one learner stands with them."""

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import QuerySet
from wagtail.models import Page

from .. import tree_cache
from ..models import CoursePage, Enrolment, LessonCompletion, LessonPage
from ..requirements import CourseStep, StepState, course_steps


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


def outline_with_steps(course: CoursePage, done: set[int], extras: list[CourseStep]) -> Outline:
    """The course's outline from the lessons done and its other steps already
    read (for many courses at once): no query, the lessons come from the tree
    cache."""
    in_tree = course_in_tree(course.path)
    outline = _outline(
        in_tree.lessons, done, sequential=course.sequential, paths=in_tree.lesson_paths
    )
    outline.extras = extras
    _apply_rule(outline.extras, course)
    return outline
