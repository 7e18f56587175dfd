"""Our apps' Vietnamese catalogues agree with each other.

Django merges every app's catalogue into one, and for a message (same msgid,
same context) the first app in INSTALLED_APPS wins: a second translation of it
elsewhere is silently never shown. So one message, one translation; where the
meaning differs, the template or code gives a context (``pgettext``)."""

import gettext
from collections import defaultdict

from django.apps import apps
from django.conf import settings
from django.template import Context, Template
from django.utils import translation

PROJECT_APPS = ("cadres", "courses", "assessments", "trainings", "certificates", "reports")


def _catalogues():
    for label in PROJECT_APPS:
        path = apps.get_app_config(label).path
        with open(f"{path}/locale/vi/LC_MESSAGES/django.mo", "rb") as handle:
            yield label, gettext.GNUTranslations(handle)._catalog
    with open(settings.LOCALE_PATHS[0] / "vi/LC_MESSAGES/django.mo", "rb") as handle:
        yield "site", gettext.GNUTranslations(handle)._catalog


def test_one_message_has_one_translation_across_our_apps():
    seen = defaultdict(dict)
    for label, catalogue in _catalogues():
        for key, text in catalogue.items():
            if key and text:
                seen[key][label] = text
    clashes = {key: found for key, found in seen.items() if len(set(found.values())) > 1}
    assert not clashes, f"translated differently by different apps: {clashes}"


def test_a_message_with_a_context_keeps_its_own_translation():
    """The report's course states read as a course's, not as a quiz's."""
    template = Template(
        '{% load i18n %}{% translate "In progress" context "course progress" %}|'
        '{% translate "In progress" %}'
    )
    with translation.override("vi"):
        course, quiz = template.render(Context()).split("|")
    assert (course, quiz) == ("Đang học", "Đang làm")
