"""The small interface through which other apps tell courses what a course
still requires beyond its lessons (assessments: required quizzes passed), and
what completes it by another route (trainings: a training session attended).

Courses defines it and never imports the implementers; they register in their
AppConfig.ready().
"""

from dataclasses import dataclass
from typing import Protocol


class CompletionRequirement(Protocol):
    def unmet(self, *, enrolment) -> list[str]:
        """Human-readable names of what this enrolment still has to do; [] when met."""
        ...

    # Optional, for completions decided in a batch (see ``unmet_many`` below):
    # def unmet_many(self, *, enrolments) -> dict[int, list[str]]
    #     ``unmet`` of each enrolment, by enrolment id, in a fixed number of
    #     queries whatever the number of enrolments.


class StepState:
    """Where a learner stands with a step."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"  # an attempt is open
    FAILED = "failed"  # tried, not passed, may try again
    EXHAUSTED = "exhausted"  # tried, not passed, no attempt left
    PASSED = "passed"


@dataclass
class CourseStep:
    """A page of a course that is not a lesson (a quiz), as one learner stands with it.

    ``path`` is the page's place in the tree, so the outline lists the step
    among the lessons where the trainer put it.
    """

    pk: int
    title: str
    url: str
    path: str
    required: bool
    state: str = StepState.NOT_STARTED
    status: str = ""  # for people: "Passed · 85%", "1 of 3 attempts used"
    attempts_used: int = 0
    attempts_left: int | None = None  # None: unlimited
    can_start: bool = True  # open now and an attempt left
    kind: str = "quiz"

    @property
    def done(self) -> bool:
        return self.state == StepState.PASSED

    @property
    def to_do(self) -> bool:
        """Required, not passed, and the learner can still act on it."""
        return self.required and not self.done and self.state != StepState.EXHAUSTED


class StepProvider(Protocol):
    def steps(self, *, course_paths: list[str], cadre) -> dict[str, list[CourseStep]]:
        """For each course (by page path), its live steps in page order with the
        cadre's state (``cadre`` None: not started). A fixed number of queries
        whatever the number of courses."""
        ...


_registry: list[CompletionRequirement] = []
_providers: list[StepProvider] = []


def register(requirement: CompletionRequirement) -> None:
    if requirement not in _registry:
        _registry.append(requirement)


def registered() -> list[CompletionRequirement]:
    return list(_registry)


def unmet_many(enrolments) -> dict[int, list[str]]:
    """Every registered requirement's ``unmet`` for each enrolment, by enrolment
    id: one call per requirement when it answers for a batch (``unmet_many``),
    else one per enrolment."""
    out: dict[int, list[str]] = {enrolment.pk: [] for enrolment in enrolments}
    if not out:
        return out
    for requirement in _registry:
        batch = getattr(requirement, "unmet_many", None)
        if batch is not None:
            found = batch(enrolments=enrolments)
        else:
            found = {e.pk: requirement.unmet(enrolment=e) for e in enrolments}
        for pk, names in found.items():
            out[pk] += names
    return out


def register_steps(provider: StepProvider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def course_steps(*, course_paths: list[str], cadre) -> dict[str, list[CourseStep]]:
    """Every registered provider's steps per course path, in page order."""
    out: dict[str, list[CourseStep]] = {path: [] for path in course_paths}
    if not course_paths:
        return out
    for provider in _providers:
        for path, steps in provider.steps(course_paths=course_paths, cadre=cadre).items():
            out.setdefault(path, []).extend(steps)
    for steps in out.values():
        steps.sort(key=lambda step: step.path)
    return out


@dataclass
class Followup:
    """What happens after a course is completed (a certificate being issued),
    told to the learner with a link."""

    text: str
    url: str = ""
    link_text: str = ""


class FollowupProvider(Protocol):
    def followups(self, *, enrolment) -> list[Followup]:
        """For a completed enrolment, what follows (a few queries at most)."""
        ...


_followups: list[FollowupProvider] = []


def register_followups(provider: FollowupProvider) -> None:
    if provider not in _followups:
        _followups.append(provider)


def completion_followups(*, enrolment) -> list[Followup]:
    out: list[Followup] = []
    for provider in _followups:
        out += provider.followups(enrolment=enrolment)
    return out


class CompletionRoute(Protocol):
    def satisfied(self, *, enrolment) -> bool:
        """True when the enrolment is complete by this route, whatever its lessons
        and quizzes (a training session attended counts for the course)."""
        ...

    # Optional, for completions decided in a batch (see ``satisfied_many``):
    # def satisfied_many(self, *, enrolments) -> set[int]
    #     The ids of the enrolments ``satisfied`` holds for, in a fixed number
    #     of queries whatever the number of enrolments.


_routes: list[CompletionRoute] = []


def register_route(route: CompletionRoute) -> None:
    if route not in _routes:
        _routes.append(route)


def routes() -> list[CompletionRoute]:
    return list(_routes)


class CompletionOrigin(Protocol):
    def by_training(self):
        """A queryset of the ids (one column) of completions that attending a
        training session or series caused; the maintained "trained" fact tells
        its route from them."""
        ...


_origins: list[CompletionOrigin] = []


def register_origin(origin: CompletionOrigin) -> None:
    if origin not in _origins:
        _origins.append(origin)


def origins() -> list[CompletionOrigin]:
    return list(_origins)


def satisfied_many(enrolments) -> set[int]:
    """Ids of the enrolments some registered route completes (``satisfied``),
    asking each route once for the batch when it can (``satisfied_many``)."""
    done: set[int] = set()
    for route in _routes:
        rest = [e for e in enrolments if e.pk not in done]
        if not rest:
            break
        batch = getattr(route, "satisfied_many", None)
        if batch is not None:
            done |= set(batch(enrolments=rest))
        else:
            done |= {e.pk for e in rest if route.satisfied(enrolment=e)}
    return done
