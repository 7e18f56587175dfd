"""Regrading a quiz after a key was corrected: every finished attempt marked
again, with a record of what changed."""

from django.db import transaction
from django.utils import timezone

from cadres.models import User
from cadres.services import audit_record
from courses.services import enrolment_evaluate_completion

from ..models import Attempt, AttemptSlot, QuizPage, Regrade
from .scoring import answers_by_question, attempt_score, quiz_enrolment


@transaction.atomic
def quiz_regrade(*, quiz: QuizPage, by: User | None) -> Regrade:
    """Grade every finished attempt again with the current keys, and record what changed.

    A completion already recorded stays: a course completion is revoked by a
    person, never by a regrade.
    """
    attempts = list(
        Attempt.objects.select_for_update()
        .filter(quiz=quiz, state=Attempt.State.FINISHED)
        .select_related("quiz", "cadre")
        .order_by("pk")
    )
    slots: dict[int, list[AttemptSlot]] = {}
    for slot in AttemptSlot.objects.filter(attempt__in=attempts).select_related("question"):
        slots.setdefault(slot.attempt_id, []).append(slot)
    # One read of the key for every attempt: the quiz's questions, whoever drew them.
    answers = answers_by_question({slot.question_id for group in slots.values() for slot in group})
    details = []
    now = timezone.now()
    for attempt in attempts:
        before = (attempt.percent, attempt.passed)
        percent, passed = attempt_score(attempt, slots.get(attempt.pk, []), answers, now=now)
        if passed and not before[1]:
            # Newly passed: the course may now be complete. Those who passed
            # before are left alone: a regrade is not their activity.
            enrolment = quiz_enrolment(quiz=quiz, cadre=attempt.cadre)
            if enrolment is not None:
                enrolment_evaluate_completion(enrolment=enrolment)
        if before != (percent, passed):
            details.append(
                {
                    "attempt": attempt.pk,
                    "cadre": str(attempt.cadre),
                    "before": str(before[0]),
                    "after": str(percent),
                    "passed_before": before[1],
                    "passed_after": passed,
                }
            )
    regrade = Regrade.objects.create(
        quiz=quiz, by=by, attempts=len(attempts), changed=len(details), details=details
    )
    audit_record(
        action="quiz.regrade",
        actor=by,
        obj=quiz,
        data={"regrade": regrade.pk, "attempts": len(attempts), "changed": len(details)},
    )
    return regrade
