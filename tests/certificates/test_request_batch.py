"""certificates_request_for_completions: the certificates a batch of
completions (an attendee report's) asks for, as each would alone."""

import pytest
from django.utils import timezone

from certificates import services
from certificates.models import Certificate
from courses.models import Completion
from courses.services import completion_revoke, enrolment_create
from tests.factories import make_cadre

pytestmark = pytest.mark.django_db


def _completions(cadres, course):
    """Completions recorded without telling anyone (no signal, no certificate)."""
    return [
        Completion.objects.create(
            enrolment=enrolment_create(cadre=cadre, course=course, source="manual"),
            completed_at=timezone.now(),
        )
        for cadre in cadres
    ]


def _request(completions, capture):
    with capture(execute=True):
        return services.certificates_request_for_completions(
            completion_ids=[c.pk for c in completions]
        )


def test_batch_issues_one_numbered_certificate_per_completion(
    tree, course, django_capture_on_commit_callbacks
):
    cadres = [make_cadre(tree["la_bang"]) for _ in range(3)]
    created = _request(_completions(cadres, course), django_capture_on_commit_callbacks)
    assert len(created) == 3
    certificates = Certificate.objects.filter(course=course)
    assert {c.cadre_id for c in certificates} == {c.pk for c in cadres}
    # Issued by the tasks the batch enqueued (eager in the tests).
    assert {c.status for c in certificates} == {Certificate.Status.VALID}
    assert sorted(int(c.number.split("/")[0]) for c in certificates) == [1, 2, 3]


def test_batch_gives_no_second_certificate_to_a_cadre_who_holds_one(
    tree, course, complete, django_capture_on_commit_callbacks
):
    holder, newcomer = make_cadre(tree["la_bang"]), make_cadre(tree["la_bang"])
    complete(holder, course)
    completions = [
        Completion.objects.get(enrolment__cadre=holder),
        *_completions([newcomer], course),
    ]
    created = _request(completions, django_capture_on_commit_callbacks)
    assert [c.cadre_id for c in created] == [newcomer.pk]
    assert Certificate.objects.filter(cadre=holder).count() == 1


def test_batch_replaces_a_certificate_whose_completion_was_revoked_unheard(
    tree, course, complete, administrator, django_capture_on_commit_callbacks
):
    cadre = make_cadre(tree["la_bang"])
    old = complete(cadre, course)
    # Revoked, but the revocation never reached certificates (no on-commit run).
    completion_revoke(completion=old, by=administrator, reason="Nhập nhầm")
    (fresh,) = _completions([cadre], course)
    created = _request([fresh], django_capture_on_commit_callbacks)
    assert [c.completion_id for c in created] == [fresh.pk]
    assert Certificate.objects.get(completion=old).status == Certificate.Status.REVOKED


def test_batch_gives_the_programme_certificate_once_every_required_course_is_complete(
    tree, programme, complete, django_capture_on_commit_callbacks
):
    first, second = programme.required_courses
    cadre = make_cadre(tree["la_bang"])
    complete(cadre, first)
    _request(_completions([cadre], second), django_capture_on_commit_callbacks)
    assert Certificate.objects.filter(cadre=cadre, programme=programme).count() == 1


def test_batch_gives_no_programme_certificate_while_a_required_course_is_missing(
    tree, programme, django_capture_on_commit_callbacks
):
    first, _second = programme.required_courses
    cadre = make_cadre(tree["la_bang"])
    _request(_completions([cadre], first), django_capture_on_commit_callbacks)
    assert Certificate.objects.filter(cadre=cadre, course=first).exists()
    assert not Certificate.objects.filter(programme=programme).exists()


def test_batch_ignores_a_revoked_completion(
    tree, course, administrator, django_capture_on_commit_callbacks
):
    (completion,) = _completions([make_cadre(tree["la_bang"])], course)
    completion_revoke(completion=completion, by=administrator, reason="Nhập nhầm")
    assert _request([completion], django_capture_on_commit_callbacks) == []
    assert not Certificate.objects.exists()
