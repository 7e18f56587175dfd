"""Sections later apps add to the learner's home page (trainings: the training
sessions a cadre is invited to). Courses renders them without importing the
apps that provide them; they register in their AppConfig.ready()."""

from collections.abc import Callable

from django.http import HttpRequest

# Called with the request; returns the section's HTML, or "" to show nothing.
HomeSection = Callable[[HttpRequest], str]

_sections: list[HomeSection] = []


def register(section: HomeSection) -> None:
    if section not in _sections:
        _sections.append(section)


def render(request: HttpRequest) -> list[str]:
    return [html for html in (section(request) for section in _sections) if html]
