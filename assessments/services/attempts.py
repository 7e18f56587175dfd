"""Taking a quiz: starting (questions frozen), saving answers, submitting,
and closing what ran out of time.

Concurrency rests on the database: one open attempt per cadre and quiz is a
partial unique constraint; attempt numbers are unique, which caps the count;
a save only replaces an answer with a higher sequence number; an attempt
row is locked while it is saved to or finished, and finishing is a
conditional update, so an attempt is graded exactly once.
"""

import random
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.errors import ApplicationError
from cadres.models import Cadre

from .. import grading
from ..models import Attempt, AttemptSlot, Question, QuizPage
from .scoring import answers_by_question, attempt_grade, quiz_enrolment

MAX_SEQ = 2**53


class AttemptError(ApplicationError):
    """A refused attempt action; ``str()`` is the message for the cadre."""

    status = 400


class AttemptClosed(AttemptError):
    status = 409


def _pick_questions(quiz: QuizPage, rng: random.Random) -> list[tuple[Question, Decimal]]:
    if quiz.selection == QuizPage.Selection.RANDOM and quiz.random_category_id:
        category = quiz.random_category
        pool = Question.objects.filter(
            category__in=category.subtree() if quiz.random_include_subcategories else [category]
        )
        ids = sorted(pool.values_list("pk", flat=True))
        chosen = rng.sample(ids, min(quiz.random_count, len(ids)))
        by_id = Question.objects.in_bulk(chosen)
        picked = [(by_id[pk], by_id[pk].default_mark) for pk in chosen]
    else:
        rows = quiz.quiz_questions.select_related("question").order_by("sort_order", "pk")
        picked = [(row.question, row.mark or row.question.default_mark) for row in rows]
        if quiz.shuffle_questions:
            rng.shuffle(picked)
    return picked


def _deadline(quiz: QuizPage, now):
    deadline = None
    if quiz.time_limit_minutes:
        deadline = now + timezone.timedelta(minutes=quiz.time_limit_minutes)
    if quiz.closes_at and (deadline is None or quiz.closes_at < deadline):
        deadline = quiz.closes_at
    return deadline


def attempts_used(attempts: list[Attempt]) -> int:
    """How many of the quiz's attempts a cadre has used: the highest number
    given, so an attempt removed later does not give one back."""
    return max((a.number for a in attempts), default=0)


def attempts_left(*, quiz: QuizPage, used: int) -> int | None:
    return max(quiz.attempts_allowed - used, 0) if quiz.attempts_allowed else None


def attempt_start_check(*, quiz: QuizPage, used: int, now=None) -> None:
    """Whether a new attempt may start; raise AttemptError saying why not.
    The quiz page asks the same question before offering the button."""
    if not quiz.is_open(now or timezone.now()):
        raise AttemptError(_("The quiz is not open now."))
    if quiz.attempts_allowed and used >= quiz.attempts_allowed:
        raise AttemptError(_("You have used all the attempts allowed for this quiz."))


def attempt_start(*, quiz: QuizPage, cadre: Cadre, rng: random.Random | None = None) -> Attempt:
    """Resume the open attempt or start a new one with its questions frozen."""
    if quiz_enrolment(quiz=quiz, cadre=cadre) is None:
        raise AttemptError(_("Enrol in the course before taking its quiz."))
    rng = rng or random.SystemRandom()
    for _try in range(5):
        open_attempt = Attempt.objects.filter(
            quiz=quiz, cadre=cadre, state=Attempt.State.IN_PROGRESS
        ).first()
        if open_attempt is not None:
            if not attempt_overdue(open_attempt):
                return open_attempt
            attempt_finish(attempt=open_attempt, by_deadline=True)
            continue
        now = timezone.now()
        last = Attempt.objects.filter(quiz=quiz, cadre=cadre).aggregate(n=Max("number"))["n"] or 0
        attempt_start_check(quiz=quiz, used=last, now=now)
        picked = _pick_questions(quiz, rng)
        if not picked:
            raise AttemptError(_("This quiz has no questions yet."))
        answers = answers_by_question([q.pk for q, _m in picked])
        try:
            with transaction.atomic():
                attempt = Attempt.objects.create(
                    quiz=quiz,
                    cadre=cadre,
                    number=last + 1,
                    started_at=now,
                    deadline=_deadline(quiz, now),
                    max_score=sum((m for _q, m in picked), Decimal(0)),
                )
                AttemptSlot.objects.bulk_create(
                    AttemptSlot(
                        attempt=attempt,
                        number=i,
                        question=question,
                        mark=mark,
                        order=grading.freeze_order(
                            question, answers.get(question.pk, []), rng, quiz.shuffle_answers
                        ),
                    )
                    for i, (question, mark) in enumerate(picked, start=1)
                )
            return attempt
        except IntegrityError:
            # Another request started (or started and finished) one meanwhile.
            continue
    raise AttemptError(_("The quiz is busy; please try again."))


def attempt_overdue(attempt: Attempt, now=None) -> bool:
    until = attempt.accepts_until()
    return until is not None and (now or timezone.now()) > until


@dataclass
class SaveOutcome:
    accepted: bool
    seq: int
    response: dict | None


def attempt_save(*, attempt: Attempt, slot_number: int, seq: int, response) -> SaveOutcome:
    """Store one answer unless a save with a higher sequence number got there first."""
    _seq_check(seq)
    outcome = attempt_save_answers(attempt=attempt, answers={slot_number: (seq, response)})
    if isinstance(outcome[slot_number], Exception):
        raise outcome[slot_number]
    return outcome[slot_number]


def attempt_save_answers(
    *, attempt: Attempt, answers: dict[int, tuple[int, object]]
) -> dict[int, SaveOutcome | AttemptError | grading.ResponseError]:
    """Store several answers ({slot number: (seq, response)}) under one lock of
    the attempt. Each answer is kept or refused on its own: the outcome per slot
    is a SaveOutcome or the error that refused it. Raises AttemptClosed, with
    nothing stored, when the attempt is finished or past its deadline (which
    finishes it)."""
    closed = False
    outcomes: dict[int, SaveOutcome | AttemptError | grading.ResponseError] = {}
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.state != Attempt.State.IN_PROGRESS:
            raise AttemptClosed(_("This attempt has already been submitted."))
        if attempt_overdue(locked):
            _finish_locked(locked, by_deadline=True)
            closed = True
        else:
            slots = {
                slot.number: slot
                for slot in AttemptSlot.objects.filter(
                    attempt=locked, number__in=list(answers)
                ).select_related("question")
            }
            now = timezone.now()
            for number, (seq, response) in answers.items():
                try:
                    outcomes[number] = _slot_save(slots.get(number), seq, response, now)
                except (AttemptError, grading.ResponseError) as error:
                    outcomes[number] = error
    if closed:
        raise AttemptClosed(_("Time is up: the attempt was submitted with the answers saved."))
    return outcomes


def _seq_check(seq) -> None:
    if not isinstance(seq, int) or isinstance(seq, bool) or not 0 < seq < MAX_SEQ:
        raise AttemptError(_("The save is not in the expected form."))


def _slot_save(slot: AttemptSlot | None, seq, response, now) -> SaveOutcome:
    _seq_check(seq)
    if slot is None:
        raise AttemptError(_("This question is not part of your attempt."))
    cleaned = grading.clean_response(slot.question.qtype, slot.order, response)
    updated = AttemptSlot.objects.filter(pk=slot.pk, seq__lt=seq).update(
        response=cleaned, seq=seq, saved_at=now
    )
    if updated:
        return SaveOutcome(True, seq, cleaned)
    slot.refresh_from_db(fields=["seq", "response"])
    return SaveOutcome(False, slot.seq, slot.response)


def attempt_submit(*, attempt: Attempt) -> Attempt:
    """Finish and grade; a second submit (another tab, a retry) changes nothing."""
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.state == Attempt.State.IN_PROGRESS:
            _finish_locked(locked, by_deadline=attempt_overdue(locked))
    return Attempt.objects.get(pk=attempt.pk)


def attempt_finish(*, attempt: Attempt, by_deadline: bool = False) -> bool:
    with transaction.atomic():
        locked = Attempt.objects.select_for_update().get(pk=attempt.pk)
        if locked.state != Attempt.State.IN_PROGRESS:
            return False
        return _finish_locked(locked, by_deadline=by_deadline)


def _finish_locked(attempt: Attempt, *, by_deadline: bool) -> bool:
    now = timezone.now()
    # The conditional update is what makes grading happen once, even where the
    # row lock above is a no-op (SQLite).
    claimed = Attempt.objects.filter(pk=attempt.pk, state=Attempt.State.IN_PROGRESS).update(
        state=Attempt.State.FINISHED, finished_at=now, closed_by_deadline=by_deadline
    )
    if not claimed:
        return False
    attempt_grade(attempt, now=now)
    return True


def attempts_close_overdue(*, now=None) -> int:
    """Finish every attempt past its deadline and grace; returns how many."""
    now = now or timezone.now()
    cutoff = now - timezone.timedelta(seconds=_grace_seconds())
    closed = 0
    for attempt in Attempt.objects.filter(
        state=Attempt.State.IN_PROGRESS, deadline__lt=cutoff
    ).only("pk"):
        closed += attempt_finish(attempt=attempt, by_deadline=True)
    return closed


def _grace_seconds() -> int:
    from django.conf import settings

    return settings.ASSESSMENTS_GRACE_SECONDS
