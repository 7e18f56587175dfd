"""Demo question bank and quizzes (DEMO.md section C), from
``demo_data/question_bank.toml``. Idempotent.

Runs after ``courses.demo``: it adds a quiz as the last child of each demo
course it finds by slug, and gives demo cadres passed and failed attempts.
Cadres the courses demo already marked complete get a passed attempt, so a
completion always has the quiz result behind it. Without the courses, only
the question bank is loaded.
"""

import random
from decimal import Decimal

from django.db import transaction

from cadres.demo import demo_data
from courses.models import Completion, CourseIndexPage, CoursePage, Enrolment

from . import services
from .formats import ParsedAnswer, ParsedQuestion
from .models import Attempt, Question, QuizPage, QuizQuestion


def question_bank() -> dict:
    """The demo's questions, quiz settings and sample attempts, as data."""
    return demo_data("assessments", "question_bank")


def _bank(topics: list[dict]) -> dict[str, object]:
    categories = {}
    for topic in topics:
        key = topic["key"]
        category = services.category_get_or_create(path=topic["category"].replace("/", "-"))
        categories[key] = category
        existing = set(Question.objects.filter(category=category).values_list("name", flat=True))
        for number, question in enumerate(topic["question"], start=1):
            name = f"{key}-{number:02d}"
            if name in existing:
                continue
            services.question_create(
                parsed=ParsedQuestion(
                    line=number,
                    qtype="single",
                    name=name,
                    text=question["text"],
                    general_feedback=question.get("feedback", ""),
                    answers=[
                        ParsedAnswer(option, Decimal(100 if i == question["correct"] else 0))
                        for i, option in enumerate(question["options"], start=1)
                    ],
                    tags=[key],
                ),
                category=category,
            )
    return categories


def _quiz(course: CoursePage, category, draw: int | None, settings: dict) -> QuizPage:
    quiz = QuizPage.objects.child_of(course).filter(slug=settings["slug"]).first()
    if quiz is not None:
        return quiz
    random_draw = draw is not None
    quiz = QuizPage(
        title=settings["title"],
        slug=settings["slug"],
        intro=settings["intro"],
        pass_mark=Decimal(settings["pass_mark"]),
        attempts_allowed=settings["attempts_allowed"],
        # Several attempts: the answers wait for the last one (or the close).
        review_when=QuizPage.ReviewWhen.AFTER_LAST_ATTEMPT,
        time_limit_minutes=settings["time_limit_minutes"],
        selection=QuizPage.Selection.RANDOM if random_draw else QuizPage.Selection.FIXED,
        random_category=category if random_draw else None,
        random_count=draw or 10,
    )
    course.add_child(instance=quiz)
    if not random_draw:
        for i, question in enumerate(Question.objects.filter(category=category).order_by("name")):
            QuizQuestion.objects.create(quiz=quiz, question=question, sort_order=i)
    quiz.save_revision().publish()
    return QuizPage.objects.get(pk=quiz.pk)


def _attempt(
    quiz: QuizPage, enrolment: Enrolment, *, passing: bool, rng: random.Random, key: dict
) -> None:
    """Answer every question, the first half wrong unless ``passing``, and submit.
    ``key``: question id -> its answers, read once for the whole demo."""
    try:
        attempt = services.attempt_start(quiz=quiz, cadre=enrolment.cadre, rng=rng)
    except services.AttemptError:
        return  # attempts used up or the quiz closed: leave the cadre as they are
    slots = list(attempt.slots.values_list("number", "question_id").order_by("number"))
    wrong_slots = 0 if passing else max(1, len(slots) // 2)
    picks = {}
    for number, question_id in slots:
        right = [a for a in key[question_id] if a.fraction > 0]
        wrong = [a for a in key[question_id] if a.fraction <= 0]
        pick = wrong[0] if number <= wrong_slots and wrong else right[0]
        picks[number] = (1, {"choice": pick.pk})
    services.attempt_save_answers(attempt=attempt, answers=picks)
    services.attempt_submit(attempt=attempt)


@transaction.atomic
def load() -> None:
    data = question_bank()
    categories = _bank(data["topic"])
    index = CourseIndexPage.objects.first()
    if index is None:
        return
    rng = random.Random(2025)  # noqa: S311 - demo data, not security
    samples = data["attempts"]
    key = services.answers_by_question(Question.objects.values("pk"))
    for spec in data["quiz"]["course"]:
        course = CoursePage.objects.child_of(index).filter(slug=spec["slug"]).first()
        if course is None:
            continue
        quiz = _quiz(course, categories[spec["topic"]], spec.get("draw"), data["quiz"])
        tried = set(Attempt.objects.filter(quiz=quiz).values_list("cadre_id", flat=True))
        passers = set(
            Attempt.objects.filter(quiz=quiz, passed=True).values_list("cadre_id", flat=True)
        )
        # Sample attempts are made once; later runs only back new completions.
        first_run = not tried
        enrolments = list(
            Enrolment.objects.filter(course=course).select_related("cadre").order_by("pk")
        )
        completed = set(
            Completion.objects.filter(
                enrolment__in=enrolments, revoked_at__isnull=True
            ).values_list("enrolment_id", flat=True)
        )
        failed = passed = 0
        for enrolment in enrolments:
            if enrolment.pk in completed:
                if enrolment.cadre_id not in passers:
                    _attempt(quiz, enrolment, passing=True, rng=rng, key=key)
            elif not first_run or _is_demo_login(enrolment):
                continue
            elif failed < samples["failed_per_quiz"]:
                _attempt(quiz, enrolment, passing=False, rng=rng, key=key)
                failed += 1
            elif passed < samples["passed_per_quiz"]:
                # A failed try first, then a pass: what trainers see most often.
                _attempt(quiz, enrolment, passing=False, rng=rng, key=key)
                _attempt(quiz, enrolment, passing=True, rng=rng, key=key)
                passed += 1


def _is_demo_login(enrolment: Enrolment) -> bool:
    # The newcomer's own account keeps its quizzes untouched, ready to try.
    user = enrolment.cadre.user
    return user is not None and user.username == "hocvien"
