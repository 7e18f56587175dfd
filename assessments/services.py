"""Writes for the question bank, imports, attempts and regrading.

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
from django.db.models import F, Max, Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.errors import ApplicationError
from cadres.models import Cadre, User
from cadres.services import audit_record
from cadres.text import nfc
from courses.models import Enrolment
from courses.services import enrolment_evaluate_completion

from . import formats, grading
from .models import Answer, Attempt, AttemptSlot, Question, QuestionCategory, QuizPage, Regrade

MAX_SEQ = 2**53


class AttemptError(ApplicationError):
    """A refused attempt action; ``str()`` is the message for the cadre."""

    status = 400


class AttemptClosed(AttemptError):
    status = 409


# ----------------------------------------------------------------- question bank


@transaction.atomic
def category_save(
    *,
    category: QuestionCategory,
    parent: QuestionCategory | None,
    name: str,
    description: str = "",
) -> QuestionCategory:
    """Create a category under ``parent`` (None: at the top), or rename one and
    move it there; treebeard keeps the tree, a plain save would not."""
    if category.pk is None:
        if parent is None:
            return QuestionCategory.add_root(name=name, description=description)
        return parent.add_child(name=name, description=description)
    if parent is not None and parent.path.startswith(category.path):
        raise ApplicationError(_("A category cannot be moved under itself."))
    category.name, category.description = name, description
    category.save()
    if parent != category.get_parent():
        if parent is None:
            category.move(QuestionCategory.get_first_root_node(), pos="sorted-sibling")
        else:
            category.move(parent, pos="sorted-child")
        category.refresh_from_db()
    return category


def category_get_or_create(*, path: str, under: QuestionCategory | None = None) -> QuestionCategory:
    """Find or make the category at ``path`` ("A/B/C"), under ``under`` or at the root."""
    node = under
    for name in [nfc(p) for p in path.split("/") if nfc(p)]:
        children = node.get_children() if node else QuestionCategory.get_root_nodes()
        found = children.filter(name=name).first()
        if found is None:
            found = node.add_child(name=name) if node else QuestionCategory.add_root(name=name)
            node = QuestionCategory.objects.get(pk=found.pk)
        else:
            node = found
    if node is None:
        raise ValueError("empty category path")
    return node


def category_find(*, path: str) -> QuestionCategory | None:
    node = None
    for name in [nfc(p) for p in path.split("/") if nfc(p)]:
        children = node.get_children() if node else QuestionCategory.get_root_nodes()
        node = children.filter(name=name).first()
        if node is None:
            return None
    return node


def question_create(*, parsed: formats.ParsedQuestion, category: QuestionCategory) -> Question:
    question = Question(
        category=category,
        name=nfc(parsed.name)[:255] or nfc(parsed.text)[:60],
        qtype=parsed.qtype,
        text=parsed.text,
        text_format=parsed.text_format,
        general_feedback=parsed.general_feedback,
        default_mark=parsed.default_mark,
        ignore_case=parsed.ignore_case,
        ignore_spaces=parsed.ignore_spaces,
        ignore_diacritics=parsed.ignore_diacritics,
    )
    if parsed.tags:
        question.tags.add(*[t[:100] for t in parsed.tags])
    question.save()
    Answer.objects.bulk_create(
        Answer(
            question=question,
            sort_order=i,
            text=a.text,
            match_text=a.match_text[:255],
            fraction=a.fraction,
            tolerance=a.tolerance,
            feedback=a.feedback,
        )
        for i, a in enumerate(parsed.answers)
    )
    return question


@dataclass
class ImportReport:
    result: formats.ParseResult
    imported: int = 0
    committed: bool = False
    category: QuestionCategory | None = None

    @property
    def ok(self) -> bool:
        return not self.result.rejections


def _check_limits(result: formats.ParseResult) -> None:
    for question in result.questions[:]:
        reason = None
        if len(question.text) > 20000:
            reason = _("The question text is longer than 20,000 characters.")
        elif any(len(a.match_text) > 255 for a in question.answers):
            reason = _("A matching item is longer than 255 characters.")
        elif not 0 < question.default_mark < 1000:
            reason = _("The mark must be greater than zero.")
        elif any(not -100 <= a.fraction <= 100 for a in question.answers):
            reason = _("A weight must be between -100% and 100%.")
        elif any(not 0 <= a.tolerance < 10**8 for a in question.answers):
            reason = _("A tolerance must lie between 0 and 100,000,000.")
        if reason:
            result.questions.remove(question)
            result.rejections.append(formats.Rejection(question.line, reason))
    result.rejections.sort(key=lambda r: r.line)


def questions_import(
    *, data: bytes, fmt: str, category_path: str, by: User | None = None, dry_run: bool = False
) -> ImportReport:
    """Parse, then write all of it or none of it.

    Nothing is written on a dry run or when any question was rejected.
    """
    result = formats.parse(data, fmt)
    _check_limits(result)
    report = ImportReport(result=result)
    if not result.questions and not result.rejections:
        result.rejections.append(formats.Rejection(0, _("The file contains no questions.")))
    if dry_run or result.rejections:
        report.category = category_find(path=category_path)
        return report
    with transaction.atomic():
        root = category_get_or_create(path=category_path)
        categories: dict[str, QuestionCategory] = {"": root}
        for parsed in result.questions:
            if parsed.category not in categories:
                categories[parsed.category] = category_get_or_create(
                    path=parsed.category, under=root
                )
            question_create(parsed=parsed, category=categories[parsed.category])
        report.imported = len(result.questions)
        report.committed = True
        report.category = root
        audit_record(
            action="questions.import",
            actor=by,
            obj=root,
            data={"format": fmt, "counts": dict(result.counts()), "total": report.imported},
        )
    return report


def questions_export_gift(*, category: QuestionCategory) -> str:
    from .formats import gift

    questions = (
        Question.objects.filter(category__in=category.subtree())
        .prefetch_related(
            Prefetch("category", queryset=QuestionCategory.objects.with_paths()),
            "answers",
            "tags",
        )
        .order_by("category__path", "pk")
    )
    return gift.export(questions, root_path_length=category.depth)


# ----------------------------------------------------------------- attempts


def quiz_enrolment(*, quiz: QuizPage, cadre: Cadre) -> Enrolment | None:
    parent_path = quiz.path[: -quiz.steplen]
    return Enrolment.objects.filter(cadre=cadre, course__path=parent_path).first()


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


def answers_by_question(question_ids) -> dict[int, list[Answer]]:
    out: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(question_id__in=question_ids).order_by(
        "question_id", "sort_order", "pk"
    ):
        out.setdefault(answer.question_id, []).append(answer)
    return out


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
    _grade(attempt, now=now)
    return True


def _grade(attempt: Attempt, *, now) -> tuple[Decimal, bool]:
    """Grade a submitted attempt; a pass is the learner's activity and may complete the course."""
    slots = list(attempt.slots.select_related("question"))
    answers = answers_by_question([s.question_id for s in slots])
    percent, passed = _score(attempt, slots, answers, now=now)
    if passed:
        enrolment = quiz_enrolment(quiz=attempt.quiz, cadre=attempt.cadre)
        if enrolment is not None:
            Enrolment.objects.filter(pk=enrolment.pk).update(last_activity_at=now)
            enrolment_evaluate_completion(enrolment=enrolment)
    return percent, passed


def _score(
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


# ----------------------------------------------------------------- regrading


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
        percent, passed = _score(attempt, slots.get(attempt.pk, []), answers, now=now)
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
