"""Reads that take the acting user, and the trainer's statistics."""

import math
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from cadres.models import Cadre, User
from cadres.selectors import cadre_of

from .models import Answer, Attempt, AttemptSlot, QuizPage


def attempts_of(user: User) -> QuerySet[Attempt]:
    cadre = cadre_of(user)
    if cadre is None:
        return Attempt.objects.none()
    return Attempt.objects.filter(cadre=cadre)


def attempt_get_for_user(user: User, pk) -> Attempt:
    """The user's own attempt; another cadre's attempt is as missing as a bad id."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404 from None
    attempt = attempts_of(user).select_related("quiz", "cadre").filter(pk=pk).first()
    if attempt is None:
        raise Http404
    return attempt


def quiz_get_for_trainer(user: User, pk) -> QuizPage:
    quiz = QuizPage.objects.filter(pk=pk).first()
    if quiz is None or not user.is_authenticated:
        raise Http404
    if not (user.is_administrator or quiz.permissions_for_user(user).can_edit()):
        raise Http404
    return quiz


def counting_attempt(quiz: QuizPage, attempts: list[Attempt]) -> Attempt | None:
    """The finished attempt whose result counts under the quiz's grading method."""
    finished = [a for a in attempts if a.state == Attempt.State.FINISHED and a.percent is not None]
    if not finished:
        return None
    if quiz.grading_method == QuizPage.Grading.LAST:
        return max(finished, key=lambda a: a.number)
    return max(finished, key=lambda a: (a.percent, -a.number))


def _counted_attempts(cadre: Cadre, quizzes: list[QuizPage]) -> dict[int, Attempt | None]:
    """Quiz id -> the attempt that counts for the cadre, in one query."""
    by_quiz: dict[int, list[Attempt]] = defaultdict(list)
    for attempt in Attempt.objects.filter(
        cadre=cadre, quiz__in=quizzes, state=Attempt.State.FINISHED
    ):
        by_quiz[attempt.quiz_id].append(attempt)
    return {quiz.pk: counting_attempt(quiz, by_quiz.get(quiz.pk, [])) for quiz in quizzes}


def quizzes_passed(cadre: Cadre, quizzes: list[QuizPage]) -> set[int]:
    counted = _counted_attempts(cadre, quizzes)
    return {pk for pk, attempt in counted.items() if attempt is not None and attempt.passed}


def required_quizzes(course) -> list[QuizPage]:
    """The live quizzes a course requires for completion, in page order."""
    return list(
        QuizPage.objects.child_of(course)
        .live()
        .filter(required_for_completion=True)
        .order_by("path")
    )


def course_score(*, cadre: Cadre, course) -> Decimal | None:
    """The cadre's result on the course's required quizzes, in %: the mean of the
    result that counts on each (the best passing attempt, or the last under "last
    attempt" grading) — what the results page shows.

    None when the course requires no quiz, when one is not passed, or when a quiz
    keeps the score from the learner: a certificate must not print what the
    quiz's own review hides.
    """
    quizzes = required_quizzes(course)
    if not quizzes or not all(quiz.review_score for quiz in quizzes):
        return None
    counted = _counted_attempts(cadre, quizzes)
    percents = []
    for quiz in quizzes:
        attempt = counted[quiz.pk]
        if attempt is None or not attempt.passed:
            return None
        percents.append(attempt.percent)
    return sum(percents, Decimal(0)) / len(percents)


def review_allowed(attempt: Attempt, now=None) -> bool:
    """May the learner see this attempt's result (score)?"""
    quiz = attempt.quiz
    if attempt.state != Attempt.State.FINISHED:
        return False
    if quiz.review_when in (
        QuizPage.ReviewWhen.IMMEDIATELY,
        QuizPage.ReviewWhen.AFTER_LAST_ATTEMPT,
    ):
        return True
    if quiz.review_when == QuizPage.ReviewWhen.AFTER_CLOSE:
        return _closed(quiz, now)
    return False


def answers_allowed(attempt: Attempt, now=None, *, finished_attempts: int | None = None) -> bool:
    """May the learner see this attempt's answers (right/wrong, key, feedback)?

    Under "after the last attempt", only once the learner has no attempt left
    (all used and finished, none in progress) or the quiz has closed.
    ``finished_attempts`` saves a query when the caller already counted them.
    """
    if not review_allowed(attempt, now):
        return False
    quiz = attempt.quiz
    if quiz.review_when != QuizPage.ReviewWhen.AFTER_LAST_ATTEMPT or _closed(quiz, now):
        return True
    if not quiz.attempts_allowed:
        return False  # unlimited attempts: the key waits for the close
    if finished_attempts is None:
        finished_attempts = Attempt.objects.filter(
            quiz_id=attempt.quiz_id, cadre_id=attempt.cadre_id, state=Attempt.State.FINISHED
        ).count()
    return finished_attempts >= quiz.attempts_allowed


def _closed(quiz: QuizPage, now=None) -> bool:
    return quiz.closes_at is not None and (now or timezone.now()) >= quiz.closes_at


def quiz_results(quiz: QuizPage) -> list[dict]:
    """One row per cadre who attempted: attempts, the counting result, passed."""
    rows: dict[int, dict] = {}
    attempts = Attempt.objects.filter(quiz=quiz).select_related("cadre").order_by("number")
    for attempt in attempts:
        row = rows.setdefault(attempt.cadre_id, {"cadre": attempt.cadre, "attempts": []})
        row["attempts"].append(attempt)
    out = []
    for row in rows.values():
        counted = counting_attempt(quiz, row["attempts"])
        row["counted"] = counted
        row["passed"] = bool(counted and counted.passed)
        row["open"] = any(a.state == Attempt.State.IN_PROGRESS for a in row["attempts"])
        out.append(row)
    from cadres.text import sort_key

    out.sort(key=lambda r: sort_key(r["cadre"].given_name, r["cadre"].family_name))
    return out


@dataclass
class QuestionStats:
    question_id: int
    name: str
    qtype: str
    attempts: int = 0
    facility: float | None = None
    discrimination: float | None = None
    frequencies: list[tuple[str, int, bool]] = field(default_factory=list)


def _pearson(xs: list[float], ys: list[float]) -> float | None:
    n = len(xs)
    if n < 2:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def quiz_statistics(quiz: QuizPage) -> list[QuestionStats]:
    """Moodle-style per-question statistics over every graded attempt.

    Facility index: the mean share of the mark earned, in %. Discrimination
    index: the correlation, in %, between the score on this question and the
    score on the rest of the attempt.
    """
    slots = list(
        AttemptSlot.objects.filter(
            attempt__quiz=quiz, attempt__state=Attempt.State.FINISHED, fraction__isnull=False
        )
        .select_related("question")
        .only(
            "attempt_id", "question_id", "question__name", "question__qtype", "fraction",
            "score", "mark", "order", "response",
        )
    )  # fmt: skip
    totals: dict[int, Decimal] = defaultdict(Decimal)
    for slot in slots:
        totals[slot.attempt_id] += slot.score or 0
    by_question: dict[int, list[AttemptSlot]] = defaultdict(list)
    for slot in slots:
        by_question[slot.question_id].append(slot)
    answers: dict[int, list[Answer]] = defaultdict(list)
    for answer in Answer.objects.filter(question_id__in=by_question).order_by("sort_order", "pk"):
        answers[answer.question_id].append(answer)
    stats = []
    for question_id, group in by_question.items():
        question = group[0].question
        row = QuestionStats(question_id, question.name, question.qtype, attempts=len(group))
        row.facility = round(float(sum(s.fraction for s in group) / len(group)) * 100, 2)
        scores = [float(s.score or 0) for s in group]
        rest = [float(totals[s.attempt_id] - (s.score or 0)) for s in group]
        r = _pearson(scores, rest)
        row.discrimination = None if r is None else round(r * 100, 2)
        row.frequencies = _frequencies(question, answers[question_id], group)
        stats.append(row)
    stats.sort(key=lambda s: s.name)
    return stats


def _frequencies(question, answers: list[Answer], group) -> list[tuple[str, int, bool]]:
    counts: Counter = Counter()
    for slot in group:
        response = slot.response or {}
        if question.qtype in ("single", "truefalse"):
            counts[response.get("choice")] += 1
        elif question.qtype == "multiple":
            for choice in response.get("choices", []):
                counts[choice] += 1
        elif question.qtype in ("shortanswer", "numerical"):
            counts[(response.get("text") or "").strip() or None] += 1
        elif question.qtype == "matching":
            options = slot.order[1] if len(slot.order) > 1 else []
            for item, option in (response.get("matches") or {}).items():
                if 0 <= option < len(options):
                    counts[(int(item), options[option])] += 1
    rows = []
    if question.qtype in ("single", "truefalse", "multiple"):
        from .grading import _label

        for answer in answers:
            rows.append(
                (_label(answer, question.qtype), counts.pop(answer.pk, 0), answer.fraction > 0)
            )
    elif question.qtype == "matching":
        by_id = {a.pk: a for a in answers}
        for (item, option), n in counts.most_common():
            if item in by_id:
                left = by_id[item]
                rows.append((f"{left.text} → {option}", n, option == left.match_text))
        counts = Counter()
    else:
        for text, n in counts.most_common(10):
            if text is not None:
                rows.append((text, n, False))
        counts = Counter({None: counts.get(None, 0)}) if counts.get(None) else Counter()
    unanswered = counts.get(None, 0)
    if unanswered:
        rows.append(("—", unanswered, False))
    return rows


def question_category_paths() -> dict[int, str]:
    """Every category's "Chủ đề 1/Lừa đảo" path, from one query."""
    from .models import QuestionCategory

    return {category.pk: category.full_path for category in QuestionCategory.objects.with_paths()}


def questions_for_picker(
    user: User, *, query: str = "", category_id: int | None = None, qtype: str = ""
) -> QuerySet:
    """Questions a trainer may put in a quiz, each with how many quizzes use it.

    The search ignores case and diacritics ("lua dao" finds "Lừa đảo"); a
    category includes its subcategories.
    """
    from django.db.models import Count, IntegerField, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce

    from cadres.text import fold

    from .models import Question, QuestionCategory, QuizQuestion

    if not (user.is_authenticated and user.has_perm("assessments.view_question")):
        return Question.objects.none()
    usage = (
        QuizQuestion.objects.filter(question=OuterRef("pk"))
        .values("question")
        .annotate(n=Count("pk"))
        .values("n")
    )
    questions = Question.objects.select_related("category").annotate(
        usage_count=Coalesce(Subquery(usage, output_field=IntegerField()), Value(0))
    )
    for word in fold(query).split():
        questions = questions.filter(search_text__contains=word)
    if category_id is not None:
        category = QuestionCategory.objects.filter(pk=category_id).first()
        if category is None:
            return questions.none()
        questions = questions.filter(category__in=category.subtree())
    if qtype:
        questions = questions.filter(qtype=qtype)
    return questions.order_by("category__path", "name", "pk")
