"""The small interface through which other apps tell courses what a course
still requires beyond its lessons (assessments: required quizzes passed).

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
