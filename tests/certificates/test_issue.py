"""Issuing, numbering, idempotency, programmes, revocation, reissue, the sweep."""

import datetime as dt
import io

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from cadres.models import Notification
from cadres.services import file_sha256
from certificates import issuing, services, sweep
from certificates.models import Certificate, CertificateTemplate, NumberSequence, TemplateAssignment
from certificates.tasks import certificate_issue_task
from courses.models import CoursePage
from courses.services import completion_revoke, enrolment_create
from tests.factories import make_cadre

pytestmark = pytest.mark.django_db


def _year() -> int:
    return timezone.localdate().year


def test_completing_a_course_issues_one_numbered_stored_certificate(cadre_user, course, complete):
    cadre = cadre_user.cadre
    complete(cadre, course)
    certificate = Certificate.objects.get(cadre=cadre, course=course)
    assert certificate.status == Certificate.Status.VALID
    assert certificate.number == f"00001/{_year()}/CN-MTTQ"
    assert len(certificate.code) == 16
    with certificate.pdf.open("rb") as handle:
        assert file_sha256(handle.read()) == certificate.sha256
    assert certificate.holder_name == "Nguyễn Thị Hoa"
    assert certificate.holder_unit == "Ủy ban MTTQ xã La Bằng"
    assert certificate.subject == course.title
    assert certificate.issuer == "ỦY BAN MTTQ VIỆT NAM TỈNH THÁI NGUYÊN"
    notification = Notification.objects.get(user=cadre_user)
    assert notification.dedupe_key == f"certificate-issued:{certificate.pk}"
    assert certificate.number in notification.body


def test_running_the_issue_task_again_changes_nothing(cadre_user, course, complete):
    complete(cadre_user.cadre, course)
    certificate = Certificate.objects.get()
    before = (certificate.number, certificate.sha256, certificate.pdf.name, certificate.issued_at)
    certificate_issue_task.delay(certificate.pk)
    services.certificate_issue(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert (
        certificate.number,
        certificate.sha256,
        certificate.pdf.name,
        certificate.issued_at,
    ) == (before)
    assert Notification.objects.filter(user=cadre_user).count() == 1
    assert NumberSequence.objects.get().last == 1


def test_announcing_the_same_completion_twice_requests_one_certificate(
    cadre_user, course, complete
):
    completion = complete(cadre_user.cadre, course)
    assert services.certificates_request_for_completion(completion_id=completion.pk) == []
    assert Certificate.objects.count() == 1


def test_a_second_live_certificate_for_the_same_course_is_refused_by_the_database(
    cadre_user, course, complete
):
    complete(cadre_user.cadre, course)
    first = Certificate.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.create(
            cadre=first.cadre, course=course, template=first.template, code="X" * 16
        )


def _pdf_lines(certificate) -> list[str]:
    from pypdf import PdfReader

    with certificate.pdf.open("rb") as handle:
        text = PdfReader(io.BytesIO(handle.read())).pages[0].extract_text()
    return [line.strip() for line in text.splitlines()]


def test_the_quiz_result_is_printed_on_the_course_certificate(
    cadre_user, catalogue, django_capture_on_commit_callbacks
):
    from assessments import services as quizzes
    from assessments.models import QuestionCategory
    from tests.assessments.conftest import add_quiz, make_question

    cadre = cadre_user.cadre
    course = catalogue.add_child(
        instance=CoursePage(
            title="Kỹ năng số cơ bản",
            slug="ky-nang-so",
            completion_rule=CoursePage.CompletionRule.QUIZZES_ONLY,
        )
    )
    category = QuestionCategory.add_root(name="Kỹ năng số")
    quiz = add_quiz(course, [make_question(category, f"Câu {i}") for i in range(1, 9)])
    enrolment_create(cadre=cadre, course=course, source="self")

    def take(right: int):
        attempt = quizzes.attempt_start(quiz=quiz, cadre=cadre)
        for slot in attempt.slots.order_by("number"):
            wanted = 100 if slot.number <= right else 0
            choice = slot.question.answers.get(fraction=wanted)
            quizzes.attempt_save(
                attempt=attempt, slot_number=slot.number, seq=1, response={"choice": choice.pk}
            )
        with django_capture_on_commit_callbacks(execute=True):
            quizzes.attempt_submit(attempt=attempt)

    take(right=4)  # 50 %: not passed, no certificate yet
    assert not Certificate.objects.exists()
    take(right=7)  # 87.5 %: passed, the course completes
    certificate = Certificate.objects.get(course=course)
    assert certificate.status == Certificate.Status.VALID
    assert certificate.score == "87,5%"
    assert "Kết quả: 87,5%" in _pdf_lines(certificate)


def test_a_course_without_quizzes_prints_no_result_line(cadre_user, course, complete):
    complete(cadre_user.cadre, course)
    certificate = Certificate.objects.get()
    assert certificate.score == ""
    lines = _pdf_lines(certificate)
    assert not any(line.startswith("Kết quả") for line in lines)
    assert "Đã hoàn thành chương trình bồi dưỡng" in lines


def test_numbers_follow_each_other_without_gaps_per_issuer_and_year(tree, course, complete):
    cadres = [make_cadre(tree["la_bang"]) for _ in range(3)]
    for cadre in cadres:
        complete(cadre, course)
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert numbers == [f"{n:05d}/{_year()}/CN-MTTQ" for n in (1, 2, 3)]


def test_another_issuer_has_its_own_sequence(tree, catalogue, course, complete):
    from tests.certificates.conftest import make_course

    other = CertificateTemplate.objects.create(
        name="Xã La Bằng",
        issuer="ỦY BAN MTTQ VIỆT NAM XÃ LA BẰNG",
        number_pattern="{seq:04d}/{year}/CN-LB",
    )
    commune_course = make_course(catalogue, "Truyền thông số", "truyen-thong-so")
    TemplateAssignment.objects.create(template=other, course=commune_course)
    cadre = make_cadre(tree["la_bang"])
    complete(cadre, course)
    complete(cadre, commune_course)
    assert Certificate.objects.get(course=course).number == f"00001/{_year()}/CN-MTTQ"
    assigned = Certificate.objects.get(course=commune_course)
    assert assigned.number == f"0001/{_year()}/CN-LB"
    assert assigned.issuer == "ỦY BAN MTTQ VIỆT NAM XÃ LA BẰNG"


def test_issuing_takes_a_small_fixed_number_of_queries(
    tree, cadre_user, course, complete, monkeypatch, django_assert_max_num_queries
):
    """Lock, freeze and number; then store, mark valid and notify. Two workers
    issue about fifty a second only if nothing else rides along (Wagtail's
    reference index once doubled this)."""
    complete(make_cadre(tree["la_bang"]), course)  # the year's sequence exists
    monkeypatch.setattr(certificate_issue_task, "delay", lambda *a, **k: None)
    complete(cadre_user.cadre, course)
    pending = Certificate.objects.get(cadre=cadre_user.cadre)
    with django_assert_max_num_queries(16):
        services.certificate_issue(certificate_id=pending.pk)
    pending.refresh_from_db()
    assert pending.status == Certificate.Status.VALID
    assert Notification.objects.filter(user=cadre_user).count() == 1


def test_a_rolled_back_issue_gives_its_number_back(tree, course, complete, monkeypatch):
    cadre = make_cadre(tree["la_bang"])
    monkeypatch.setattr(
        issuing, "current_membership", lambda cadre: (_ for _ in ()).throw(RuntimeError)
    )
    complete(cadre, course)  # the failure is logged, not shown to the learner
    monkeypatch.undo()
    certificate = Certificate.objects.get()
    assert certificate.status == Certificate.Status.PENDING and certificate.number == ""
    assert NumberSequence.objects.filter(last__gt=0).count() == 0
    services.certificate_issue(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert certificate.number == f"00001/{_year()}/CN-MTTQ"


def test_programme_certificate_only_when_every_required_course_is_completed(
    cadre_user, programme, complete
):
    first, second = programme.required_courses
    complete(cadre_user.cadre, first)
    assert not Certificate.objects.filter(programme=programme).exists()
    complete(cadre_user.cadre, second)
    certificate = Certificate.objects.get(programme=programme)
    assert certificate.status == Certificate.Status.VALID
    assert certificate.course is None
    assert certificate.subject == "Chương trình kỹ năng số 2026"
    assert certificate.score == ""
    assert Certificate.objects.filter(cadre=cadre_user.cadre).count() == 3


def test_revoking_needs_a_reason_and_keeps_the_record(cadre_user, course, complete, administrator):
    complete(cadre_user.cadre, course)
    certificate = Certificate.objects.get()
    with pytest.raises(services.CertificateError):
        services.certificate_revoke(certificate=certificate, by=administrator, reason="  ")
    services.certificate_revoke(certificate=certificate, by=administrator, reason="Cấp nhầm")
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.REVOKED
    assert certificate.revoke_reason == "Cấp nhầm" and certificate.revoked_at is not None
    assert certificate.pdf and certificate.number
    with pytest.raises(services.CertificateError):
        services.certificate_revoke(certificate=certificate, by=administrator, reason="lần hai")


def test_reissue_gives_a_new_number_and_marks_the_old_one_superseded(
    cadre_user, course, complete, administrator, django_capture_on_commit_callbacks
):
    complete(cadre_user.cadre, course)
    old = Certificate.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        new = services.certificate_reissue(certificate=old, by=administrator, reason="Sửa họ tên")
    old.refresh_from_db()
    new.refresh_from_db()
    assert old.status == Certificate.Status.SUPERSEDED and old.superseded_by == new
    assert new.status == Certificate.Status.VALID
    assert new.number == f"00002/{_year()}/CN-MTTQ" and new.code != old.code
    assert Certificate.objects.count() == 2
    with pytest.raises(services.CertificateError):
        services.certificate_reissue(certificate=old, by=administrator, reason="lại")


def test_a_revoked_completion_revokes_its_certificates(
    cadre_user, programme, complete, administrator, django_capture_on_commit_callbacks
):
    first, second = programme.required_courses
    complete(cadre_user.cadre, first)
    completion = complete(cadre_user.cadre, second)
    with django_capture_on_commit_callbacks(execute=True):
        completion_revoke(completion=completion, by=administrator, reason="Gian lận")
    revoked = Certificate.objects.filter(status=Certificate.Status.REVOKED)
    assert {c.course_id or c.programme_id for c in revoked} == {second.pk, programme.pk}
    assert {c.revoke_reason for c in revoked} == {services.COMPLETION_REVOKED}
    kept = Certificate.objects.get(course=first)
    assert kept.status == Certificate.Status.VALID


def test_completing_again_after_a_revoked_completion_issues_a_new_certificate(
    cadre_user, course, complete, administrator, django_capture_on_commit_callbacks
):
    completion = complete(cadre_user.cadre, course)
    with django_capture_on_commit_callbacks(execute=True):
        completion_revoke(completion=completion, by=administrator, reason="Sai sót")
    complete(cadre_user.cadre, course)
    statuses = sorted(Certificate.objects.values_list("status", flat=True))
    assert statuses == ["revoked", "valid"]


def test_sweep_issues_what_a_crash_left_pending(tree, course, complete, monkeypatch):
    cadre = make_cadre(tree["la_bang"])
    monkeypatch.setattr(certificate_issue_task, "delay", lambda *a, **k: None)
    complete(cadre, course)
    certificate = Certificate.objects.get()
    assert certificate.status == Certificate.Status.PENDING
    monkeypatch.undo()
    assert sweep.certificates_sweep()["reenqueued"] == 0  # still inside the grace period
    Certificate.objects.update(requested_at=timezone.now() - dt.timedelta(hours=1))
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        outcome = sweep.certificates_sweep()
    assert outcome["reenqueued"] == 1
    certificate.refresh_from_db()
    assert certificate.status == Certificate.Status.VALID


def test_sweep_requests_a_certificate_for_a_completion_nobody_announced(
    tree, course, administrator
):
    from django.test import TestCase

    from courses.services import completion_record_manual, enrolment_create

    cadre = make_cadre(tree["dai_phuc"])
    enrolment = enrolment_create(cadre=cadre, course=course, source="manual")
    # No on-commit callbacks run: the web process died right after the commit.
    completion_record_manual(enrolment=enrolment, by=administrator, reason="Lớp trực tiếp")
    assert not Certificate.objects.exists()
    with TestCase.captureOnCommitCallbacks(execute=True):
        sweep.certificates_sweep(grace_seconds=0)
    assert Certificate.objects.get().status == Certificate.Status.VALID
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert sweep.certificates_sweep(grace_seconds=0) == {"requested": 0, "reenqueued": 0}


def test_codes_are_unguessable_and_typed_codes_are_forgiven():
    codes = {services.code_new() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(c) == 16 and set(c) <= set(services.CODE_ALPHABET) for c in codes)
    assert services.code_normalise("7k3m-q9xa 2b4c-d5ef") == "7K3MQ9XA2B4CD5EF"
    assert services.code_normalise("7K3M-Q9XA-2B4C-D5EO") == "7K3MQ9XA2B4CD5E0"
    assert services.code_normalise("<script>") is None
    assert services.code_normalise("X" * 200) is None


def test_tasks_survive_a_lost_worker_and_the_sweep_is_scheduled(settings):
    from certificates.tasks import certificate_export_build_task, certificates_sweep_task

    for task in (certificate_issue_task, certificates_sweep_task, certificate_export_build_task):
        assert task.acks_late and task.reject_on_worker_lost
    entry = settings.CELERY_BEAT_SCHEDULE["certificates-sweep"]
    assert entry["task"] == certificates_sweep_task.name


def test_issue_task_is_registered_under_its_own_name():
    from config.celery_app import app

    assert certificate_issue_task.name == "certificates.tasks.certificate_issue_task"
    registered = app.tasks["certificates.tasks.certificate_issue_task"]
    assert registered.run.__name__ == "certificate_issue_task"


def test_an_issue_message_queued_under_the_name_before_the_rename_still_issues(
    tree, course, complete, monkeypatch
):
    from config.celery_app import app

    monkeypatch.setattr(certificate_issue_task, "delay", lambda *a, **k: None)
    complete(make_cadre(tree["la_bang"]), course)
    monkeypatch.undo()
    pending = Certificate.objects.get()
    assert pending.status == Certificate.Status.PENDING
    app.tasks["certificates.tasks.issue_certificate_task"].apply(args=[pending.pk])
    pending.refresh_from_db()
    assert pending.status == Certificate.Status.VALID and pending.number
