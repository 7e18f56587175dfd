"""Marking an attempt against the answer key, and what a pass does: it is the
learner's activity and may complete the course."""

from decimal import Decimal

from django.db.models import F

from cadres.models import Cadre
from courses.models import Enrolment
from courses.services import enrolment_evaluate_completion

from .. import grading
from ..models import Answer, Attempt, AttemptSlot, QuizPage


def quiz_enrolment(*, quiz: QuizPage, cadre: Cadre) -> Enrolment | None:
    parent_path = quiz.path[: -quiz.steplen]
    return Enrolment.objects.filter(cadre=cadre, course__path=parent_path).first()


def answers_by_question(question_ids) -> dict[int, list[Answer]]:
    out: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(question_id__in=question_ids).order_by(
        "question_id", "sort_order", "pk"
    ):
        out.setdefault(answer.question_id, []).append(answer)
    return out


def attempt_grade(attempt: Attempt, *, now) -> tuple[Decimal, bool]:
    """Grade a submitted attempt; a pass is the learner's activity and may complete the course."""
    slots = list(attempt.slots.select_related("question"))
    answers = answers_by_question([s.question_id for s in slots])
    percent, passed = attempt_score(attempt, slots, answers, now=now)
    if passed:
        enrolment = quiz_enrolment(quiz=attempt.quiz, cadre=attempt.cadre)
        if enrolment is not None:
            Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=now)
            enrolment_evaluate_completion(enrolment=enrolment)
    return percent, passed


def attempt_score(
    attempt: Attempt, slots: list[AttemptSlot], answers: dict[int, list[Answer]], *, now
) -> tuple[Decimal, bool]:
    """Mark each slot against the key in ``answers`` and store the attempt's result."""
    total = Decimal(0)
    for slot in slots:
        slot.fraction = grading.grade(
            slot.question, answers.get(slot.question_id, []), slot.order, slot.response
        )
        slot.score = (slot.fraction * slot.mark).quantize(Decimal("0.0001"))
        total += slot.score
    AttemptSlot.objects.bulk_update(slots, ["fraction", "score"])
    percent = (
        (total * 100 / attempt.max_score).quantize(Decimal("0.0001"))
        if attempt.max_score
        else Decimal(0)
    )
    passed = percent >= attempt.quiz.pass_mark
    Attempt.objects.filter(pk=attempt.pk).update(
        score=total, percent=percent, passed=passed, graded_at=now, grade_count=F("grade_count") + 1
    )
    return percent, passed
