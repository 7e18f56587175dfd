import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cadres.models import AuditEvent
from courses import requirements, services
from courses.models import Completion, CoursePage, Enrolment, LessonCompletion, LessonVideoProgress
from courses.signals import course_completed, course_completion_revoked

from .conftest import lessons_of, make_course

pytestmark = pytest.mark.django_db


class FakeQuizRequirement:
    """Stands in for the assessments app: names quizzes not yet passed."""

    def __init__(self):
        self.passed: set[int] = set()

    def unmet(self, *, enrolment) -> list[str]:
        return [] if enrolment.pk in self.passed else ["Bài kiểm tra cuối khóa"]


@pytest.fixture
def quiz(monkeypatch):
    requirement = FakeQuizRequirement()
    monkeypatch.setattr(requirements, "_registry", [])
    requirements.register(requirement)
    return requirement


def complete_all(enrolment, course):
    result = None
    for lesson in lessons_of(course):
        result = services.lesson_complete(enrolment=enrolment, lesson=lesson)
    return result


# --- sequential locks --------------------------------------------------------


def test_sequential_course_refuses_a_lesson_out_of_order(enrolment, course):
    first, second, _third = lessons_of(course)
    with pytest.raises(services.LessonLocked):
        services.lesson_complete(enrolment=enrolment, lesson=second)
    assert not LessonCompletion.objects.exists()


def test_sequential_course_accepts_lessons_in_order(enrolment, course):
    first, second, _third = lessons_of(course)
    services.lesson_complete(enrolment=enrolment, lesson=first)
    services.lesson_complete(enrolment=enrolment, lesson=second)
    assert LessonCompletion.objects.filter(enrolment=enrolment).count() == 2


def test_course_without_order_accepts_any_lesson_first(cadre, index):
    course = make_course(index, slug="tu-do", sequential=False)
    enrolment = services.enrolment_create(cadre=cadre, course=course, source="self")
    services.lesson_complete(enrolment=enrolment, lesson=lessons_of(course)[2])
    assert LessonCompletion.objects.filter(enrolment=enrolment).count() == 1


def test_unpublished_earlier_lesson_does_not_lock_the_next(enrolment, course):
    first, second, _third = lessons_of(course)
    first.unpublish()
    services.lesson_complete(enrolment=enrolment, lesson=second)
    assert LessonCompletion.objects.filter(enrolment=enrolment, lesson=second).exists()


# --- completion decided in the same transaction ------------------------------


def test_last_lesson_completes_the_course_with_its_timestamp(
    enrolment, course, django_capture_on_commit_callbacks
):
    sent = []

    def listener(sender, completion_id, enrolment_id, **kwargs):
        sent.append((completion_id, enrolment_id))

    course_completed.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            completion = complete_all(enrolment, course)
    finally:
        course_completed.disconnect(listener)
    assert completion is not None
    assert completion.source == Completion.Source.RULE
    enrolment.refresh_from_db()
    assert enrolment.completed_at == completion.completed_at
    assert sent == [(completion.pk, enrolment.pk)]


def test_course_is_not_complete_until_every_lesson_is(enrolment, course):
    first, second, _third = lessons_of(course)
    services.lesson_complete(enrolment=enrolment, lesson=first)
    assert services.lesson_complete(enrolment=enrolment, lesson=second) is None
    assert not Completion.objects.exists()
    assert services.enrolment_unmet(enrolment=enrolment) == ["Bài 3"]


def test_replayed_lesson_complete_records_once(enrolment, course):
    first = lessons_of(course)[0]
    for _ in range(3):
        services.lesson_complete(enrolment=enrolment, lesson=first)
    assert LessonCompletion.objects.filter(enrolment=enrolment).count() == 1


def test_replayed_last_lesson_records_one_course_completion(enrolment, course):
    complete_all(enrolment, course)
    assert services.lesson_complete(enrolment=enrolment, lesson=lessons_of(course)[-1]) is None
    assert Completion.objects.filter(enrolment=enrolment).count() == 1


def test_complete_lesson_takes_the_same_queries_for_3_and_30_lessons(
    cadre, index, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for n in (3, 30):
        course = make_course(index, slug=f"k{n}", lessons=n, sequential=True)
        enrolment = services.enrolment_create(cadre=cadre, course=course, source="self")
        lessons = lessons_of(course)
        for lesson in lessons[:-1]:
            services.lesson_complete(enrolment=enrolment, lesson=lesson)
        with CaptureQueriesContext(connection) as ctx:
            services.lesson_complete(enrolment=enrolment, lesson=lessons[-1])
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    assert counts[0] <= 13  # one more since completions keep the trained fact (issue 14)


# --- required quizzes through courses.requirements ----------------------------


def test_required_quiz_not_passed_keeps_the_course_open(enrolment, course, quiz):
    assert complete_all(enrolment, course) is None
    assert services.enrolment_unmet(enrolment=enrolment) == ["Bài kiểm tra cuối khóa"]
    assert not Completion.objects.exists()


def test_passing_the_required_quiz_completes_the_course(enrolment, course, quiz):
    complete_all(enrolment, course)
    quiz.passed.add(enrolment.pk)
    completion = services.enrolment_evaluate_completion(enrolment=enrolment)
    assert completion is not None
    assert Completion.objects.filter(enrolment=enrolment, revoked_at__isnull=True).count() == 1


def test_lessons_only_rule_ignores_quizzes(cadre, index, quiz):
    course = make_course(index, slug="chi-bai", rule=CoursePage.CompletionRule.LESSONS_ONLY)
    enrolment = services.enrolment_create(cadre=cadre, course=course, source="self")
    assert complete_all(enrolment, course) is not None


def test_quizzes_only_rule_ignores_lessons(cadre, index, quiz):
    course = make_course(index, slug="chi-kt", rule=CoursePage.CompletionRule.QUIZZES_ONLY)
    enrolment = services.enrolment_create(cadre=cadre, course=course, source="self")
    assert services.enrolment_evaluate_completion(enrolment=enrolment) is None
    quiz.passed.add(enrolment.pk)
    assert services.enrolment_evaluate_completion(enrolment=enrolment) is not None


# --- video must be played to the end -------------------------------------------


@pytest.fixture
def video_enrolment(cadre, index):
    course = make_course(index, slug="video", video_seconds=120)
    return services.enrolment_create(cadre=cadre, course=course, source="self")


def test_lesson_with_required_video_is_refused_before_the_video_ends(video_enrolment):
    lesson = lessons_of(video_enrolment.course)[0]
    with pytest.raises(services.VideoNotWatched):
        services.lesson_complete(enrolment=video_enrolment, lesson=lesson)
    assert not LessonCompletion.objects.exists()


def test_video_end_sooner_than_it_can_play_is_refused(video_enrolment):
    lesson = lessons_of(video_enrolment.course)[0]
    start = timezone.now()
    services.lesson_video_event(enrolment=video_enrolment, lesson=lesson, event="start", at=start)
    with pytest.raises(services.VideoNotWatched):
        services.lesson_video_event(
            enrolment=video_enrolment,
            lesson=lesson,
            event="end",
            at=start + dt.timedelta(seconds=20),
        )
    assert LessonVideoProgress.objects.get().finished_at is None


def test_video_end_without_a_start_is_refused(video_enrolment):
    lesson = lessons_of(video_enrolment.course)[0]
    with pytest.raises(services.VideoNotWatched):
        services.lesson_video_event(enrolment=video_enrolment, lesson=lesson, event="end")


def test_video_played_to_the_end_lets_the_lesson_complete(video_enrolment):
    lesson = lessons_of(video_enrolment.course)[0]
    start = timezone.now() - dt.timedelta(minutes=3)
    services.lesson_video_event(enrolment=video_enrolment, lesson=lesson, event="start", at=start)
    services.lesson_video_event(enrolment=video_enrolment, lesson=lesson, event="end")
    services.lesson_complete(enrolment=video_enrolment, lesson=lesson)
    assert LessonCompletion.objects.filter(enrolment=video_enrolment, lesson=lesson).exists()


# --- manual completion and revocation, audited ----------------------------------


def test_trainer_records_a_manual_completion_with_reason_and_audit(enrolment, trainer):
    completion = services.completion_record_manual(
        enrolment=enrolment, by=trainer, reason="Học lớp trực tiếp ngày 12/9/2025"
    )
    assert completion.source == Completion.Source.MANUAL
    assert completion.recorded_by == trainer
    event = AuditEvent.objects.get(action="completion.manual")
    assert event.actor == trainer
    assert event.data["reason"] == "Học lớp trực tiếp ngày 12/9/2025"


def test_hr_officer_records_completion_within_their_subtree(enrolment, hr_la_bang):
    assert services.completion_record_manual(
        enrolment=enrolment, by=hr_la_bang, reason="Lớp tập trung"
    )


def test_hr_officer_of_another_commune_cannot_record_completion(enrolment, hr_dai_phuc):
    with pytest.raises(PermissionDenied):
        services.completion_record_manual(enrolment=enrolment, by=hr_dai_phuc, reason="Lớp")
    assert not Completion.objects.exists()
    assert not AuditEvent.objects.filter(action="completion.manual").exists()


def test_learner_cannot_record_their_own_completion(enrolment, cadre_user):
    with pytest.raises(PermissionDenied):
        services.completion_record_manual(enrolment=enrolment, by=cadre_user, reason="Tự học")
    assert not Completion.objects.exists()


def test_manual_completion_needs_a_reason(enrolment, trainer):
    with pytest.raises(ValueError):
        services.completion_record_manual(enrolment=enrolment, by=trainer, reason="   ")
    assert not Completion.objects.exists()


def test_revoked_completion_stays_on_record_with_its_reason(
    enrolment, course, hr_la_bang, django_capture_on_commit_callbacks
):
    completion = complete_all(enrolment, course)
    revoked = []
    course_completion_revoked.connect(
        lambda sender, completion_id, **kw: revoked.append(completion_id),
        weak=False,
        dispatch_uid="t",
    )
    try:
        with django_capture_on_commit_callbacks(execute=True):
            services.completion_revoke(completion=completion, by=hr_la_bang, reason="Gian lận")
    finally:
        course_completion_revoked.disconnect(dispatch_uid="t")
    completion.refresh_from_db()
    assert completion.revoked_at is not None
    assert completion.revoke_reason == "Gian lận"
    assert Completion.objects.filter(pk=completion.pk).exists()
    enrolment.refresh_from_db()
    assert enrolment.completed_at is None
    assert revoked == [completion.pk]
    assert AuditEvent.objects.filter(action="completion.revoke", actor=hr_la_bang).exists()


def test_hr_officer_of_another_commune_cannot_revoke(enrolment, course, hr_dai_phuc):
    completion = complete_all(enrolment, course)
    with pytest.raises(PermissionDenied):
        services.completion_revoke(completion=completion, by=hr_dai_phuc, reason="Sai")
    completion.refresh_from_db()
    assert completion.revoked_at is None


def test_revoke_needs_a_reason(enrolment, course, trainer):
    completion = complete_all(enrolment, course)
    with pytest.raises(ValueError):
        services.completion_revoke(completion=completion, by=trainer, reason="")
    completion.refresh_from_db()
    assert completion.revoked_at is None


# --- enrolment --------------------------------------------------------------------


def test_self_enrolment_in_an_optional_course(cadre, course, cadre_user):
    enrolment = services.enrolment_self_create(cadre=cadre, course=course, by=cadre_user)
    assert enrolment.source == Enrolment.Source.SELF


def test_self_enrolment_refused_when_the_course_does_not_allow_it(cadre, index, cadre_user):
    course = make_course(index, slug="bat-buoc", self_enrol=False)
    with pytest.raises(services.EnrolmentRefused):
        services.enrolment_self_create(cadre=cadre, course=course, by=cadre_user)
    assert not Enrolment.objects.exists()


def test_course_index_is_the_site_root(index):
    from wagtail.models import Site

    assert Site.objects.get(is_default_site=True).root_page_id == index.pk
    assert services.course_index_ensure().pk == index.pk
