"""The small interface through which other apps tell courses what a course
still requires beyond its lessons (assessments: required quizzes passed), and
what completes it by another route (trainings: a training session attended).

Courses defines it and never imports the implementers; they register in their
AppConfig.ready().
"""

from typing import Protocol


class CompletionRequirement(Protocol):
    def unmet(self, *, enrolment) -> list[str]:
        """Human-readable names of what this enrolment still has to do; [] when met."""
        ...


_registry: list[CompletionRequirement] = []


def register(requirement: CompletionRequirement) -> None:
    if requirement not in _registry:
        _registry.append(requirement)


def registered() -> list[CompletionRequirement]:
    return list(_registry)


class CompletionRoute(Protocol):
    def satisfied(self, *, enrolment) -> bool:
        """True when the enrolment is complete by this route, whatever its lessons
        and quizzes (a training session attended counts for the course)."""
        ...


_routes: list[CompletionRoute] = []


def register_route(route: CompletionRoute) -> None:
    if route not in _routes:
        _routes.append(route)


def routes() -> list[CompletionRoute]:
    return list(_routes)
