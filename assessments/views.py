"""Learner views: the quiz page, an attempt, saving, submitting, review."""

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cadres.selectors import cadre_of
from courses.selectors import course_in_tree, course_standing

from . import grading, selectors, services
from .models import Attempt, QuizPage

MAX_BODY = 16 * 1024


def quiz_page_serve(request, quiz: QuizPage):
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    cadre = cadre_of(request.user)
    attempts = []
    enrolled = False
    if cadre is not None:
        enrolled = services.quiz_enrolment(quiz=quiz, cadre=cadre) is not None
        attempts = list(Attempt.objects.filter(quiz=quiz, cadre=cadre).order_by("number"))
        for attempt in attempts:
            attempt.quiz = quiz  # review_allowed reads it: no query per attempt
    open_attempt = next((a for a in attempts if a.state == Attempt.State.IN_PROGRESS), None)
    counted = selectors.counting_attempt(quiz, attempts)
    used = services.attempts_used(attempts)
    try:
        services.attempt_start_check(quiz=quiz, used=used)
    except services.AttemptError:
        may_start = False
    else:
        may_start = True
    can_start = enrolled and open_attempt is None and may_start
    rows = [(a, selectors.review_allowed(a)) for a in attempts]
    return render(
        request,
        "assessments/quiz_page.html",
        {
            "page": quiz,
            "self": quiz,
            "cadre": cadre,
            "enrolled": enrolled,
            "rows": rows,
            "open_attempt": open_attempt,
            "counted": counted,
            "can_start": can_start,
            "attempts_left": services.attempts_left(quiz=quiz, used=used),
            "is_open": quiz.is_open(),
            "course": course_in_tree(quiz.path[: -quiz.steplen]),
        },
    )


def _cadre_or_404(request):
    cadre = cadre_of(request.user)
    if cadre is None:
        raise Http404
    return cadre


@login_required
@require_POST
def attempt_start(request, quiz_id: int):
    quiz = get_object_or_404(QuizPage.objects.live(), pk=quiz_id)
    cadre = _cadre_or_404(request)
    try:
        attempt = services.attempt_start(quiz=quiz, cadre=cadre)
    except services.AttemptError as exc:
        messages.error(request, str(exc))
        return redirect(quiz.url or "/")
    return redirect("assessments:attempt", pk=attempt.pk)


def _load_slots(attempt: Attempt, numbers=None):
    slots = attempt.slots.select_related("question").order_by("number")
    if numbers is not None:
        slots = slots.filter(number__in=numbers)
    slots = list(slots)
    answers = services.answers_by_question([s.question_id for s in slots])
    return slots, answers


def _overdue_redirect(request, attempt: Attempt):
    services.attempt_finish(attempt=attempt, by_deadline=True)
    messages.warning(request, _("Time is up: the attempt was submitted with the answers saved."))
    return redirect("assessments:review", pk=attempt.pk)


def _seconds_left(attempt: Attempt) -> int | None:
    """Seconds to the server's deadline, as of now; None without a time limit.

    The page and every autosave reply carry it, so a tab that was asleep, or
    whose clock is wrong, shows the server's time, not its own."""
    if attempt.deadline is None:
        return None
    return max(0, int((attempt.deadline - timezone.now()).total_seconds()))


def _clock(seconds: int | None) -> str:
    """ "19:59" for 1,199 seconds: what the timer shows before its script runs."""
    if seconds is None:
        return ""
    return f"{seconds // 60}:{seconds % 60:02d}"


@never_cache
@login_required
@require_GET
def attempt_view(request, pk: int):
    attempt = selectors.attempt_get_for_user(request.user, pk)
    if attempt.state == Attempt.State.FINISHED:
        return redirect("assessments:review", pk=attempt.pk)
    if services.attempt_overdue(attempt):
        return _overdue_redirect(request, attempt)
    quiz = attempt.quiz
    total = attempt.slots.count()
    one = quiz.layout == QuizPage.Layout.ONE_PER_PAGE
    try:
        asked = grading.as_id(request.GET.get("cau", "1") or "1")
    except ValueError:
        return HttpResponseBadRequest(_("The save is not in the expected form."))
    current = min(max(asked, 1), total) if one else None
    slots, answers = _load_slots(attempt, [current] if one else None)
    views = [
        grading.question_view(
            s.question,
            answers=answers.get(s.question_id, []),
            order=s.order,
            slot=s.number,
            response=s.response,
            seq=s.seq,
            mark=s.mark,
        )
        for s in slots
    ]
    seconds_left = _seconds_left(attempt)
    answered = attempt.slots.exclude(response__isnull=True).values_list("number", "response")
    answered_numbers = {n for n, r in answered if r and grading.is_answered(r)}
    return render(
        request,
        "assessments/attempt.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "questions": views,
            "one": one,
            "current": current,
            "total": total,
            "numbers": [(n, n in answered_numbers) for n in range(1, total + 1)],
            "prev": current - 1 if one and current > 1 else None,
            "next": current + 1 if one and current < total else None,
            "deadline": attempt.deadline,
            "seconds_left": seconds_left,
            "time_left": _clock(seconds_left),
        },
    )


def _json_error(message: str, status: int) -> JsonResponse:
    return JsonResponse({"error": message}, status=status)


@login_required
@require_POST
def attempt_save(request, pk: int):
    """JSON autosave of one answer: {"slot": n, "seq": n, "response": {...}}."""
    attempt = selectors.attempt_get_for_user(request.user, pk)
    if len(request.body) > MAX_BODY:
        return _json_error(_("The save is not in the expected form."), 400)
    try:
        payload = json.loads(request.body)
    except (ValueError, UnicodeDecodeError):
        return _json_error(_("The save is not in the expected form."), 400)
    if not isinstance(payload, dict) or set(payload) != {"slot", "seq", "response"}:
        return _json_error(_("The save is not in the expected form."), 400)
    slot, seq = payload["slot"], payload["seq"]
    if not isinstance(slot, int) or isinstance(slot, bool) or not 0 < slot < 10000:
        return _json_error(_("This question is not part of your attempt."), 400)
    try:
        outcome = services.attempt_save(
            attempt=attempt, slot_number=slot, seq=seq, response=payload["response"]
        )
    except services.AttemptError as exc:
        return _json_error(str(exc), exc.status)
    except grading.ResponseError as exc:
        return _json_error(str(exc), 400)
    return JsonResponse(
        {
            "accepted": outcome.accepted,
            "seq": outcome.seq,
            "response": outcome.response,
            "seconds_left": _seconds_left(attempt),
        }
    )


def _ids(values: list[str]) -> list[int]:
    """Posted ids, indexes and numbers: plain digits only (see grading.as_id).
    Raises ValueError, so "1.234" is a bad request, never another answer."""
    return [grading.as_id(v) for v in values]


def _form_responses(request, slots) -> dict[int, tuple[int, dict]] | None:
    """Read the answers of the shown questions from a plain form post; None if forged."""
    allowed = {"csrfmiddlewaretoken", "shown", "go", "finish"}
    out = {}
    try:
        if request.POST.get("go", "") != "":
            _ids([request.POST["go"]])
        for slot in slots:
            n = slot.number
            allowed |= {f"q{n}", f"s{n}"}
            qtype = slot.question.qtype
            if qtype == "multiple":
                response = {"choices": _ids(request.POST.getlist(f"q{n}"))}
            elif qtype in ("single", "truefalse"):
                picked = _ids([v for v in request.POST.getlist(f"q{n}") if v != ""])
                if len(picked) > 1:
                    return None
                response = {"choice": picked[0] if picked else None}
            elif qtype == "matching":
                items = slot.order[0] if slot.order else []
                allowed |= {f"q{n}-{item}" for item in items}
                response = {
                    "matches": {
                        str(item): _ids([request.POST[f"q{n}-{item}"]])[0]
                        for item in items
                        if request.POST.get(f"q{n}-{item}") not in (None, "")
                    }
                }
            else:
                response = {"text": request.POST.get(f"q{n}", "")}
            seq = _ids([request.POST.get(f"s{n}", "")])[0]
            out[n] = (seq, response)
    except ValueError:
        return None
    if set(request.POST) - allowed:
        return None
    return out


@login_required
@require_POST
def attempt_form(request, pk: int):
    """The no-JavaScript path: save the shown answers, then move or submit."""
    attempt = selectors.attempt_get_for_user(request.user, pk)
    if attempt.state == Attempt.State.FINISHED:
        return redirect("assessments:review", pk=attempt.pk)
    try:
        shown = _ids([x for x in request.POST.get("shown", "").split(",") if x])[:200]
    except ValueError:
        return HttpResponseBadRequest(_("The save is not in the expected form."))
    slots, _answers = _load_slots(attempt, shown)
    responses = _form_responses(request, slots)
    if responses is None or len(slots) != len(set(shown)):
        return HttpResponseBadRequest(_("The save is not in the expected form."))
    try:
        outcomes = services.attempt_save_answers(attempt=attempt, answers=responses)
    except services.AttemptClosed:
        return redirect("assessments:review", pk=attempt.pk)
    for outcome in outcomes.values():
        if isinstance(outcome, Exception):
            messages.error(request, str(outcome))
    if "finish" in request.POST:
        services.attempt_submit(attempt=attempt)
        return redirect("assessments:review", pk=attempt.pk)
    url = reverse("assessments:attempt", kwargs={"pk": attempt.pk})
    go = request.POST.get("go", "")
    return redirect(f"{url}?cau={int(go)}" if go.isdecimal() else url)


@login_required
@require_POST
def attempt_submit(request, pk: int):
    attempt = selectors.attempt_get_for_user(request.user, pk)
    services.attempt_submit(attempt=attempt)
    return redirect("assessments:review", pk=attempt.pk)


@login_required
@require_GET
def attempt_review(request, pk: int):
    attempt = selectors.attempt_get_for_user(request.user, pk)
    if attempt.state != Attempt.State.FINISHED:
        return redirect("assessments:attempt", pk=attempt.pk)
    quiz = attempt.quiz
    allowed = selectors.review_allowed(attempt)
    answers_shown = selectors.answers_allowed(attempt)
    questions = []
    if answers_shown and (
        quiz.review_correctness or quiz.review_correct_answers or quiz.review_feedback
    ):
        slots, answers = _load_slots(attempt)
        for s in slots:
            view = grading.question_view(
                s.question,
                answers=answers.get(s.question_id, []),
                order=s.order,
                slot=s.number,
                response=s.response,
                mark=s.mark,
            )
            questions.append(
                grading.review(
                    view,
                    s.question,
                    answers.get(s.question_id, []),
                    s.fraction,
                    s.score,
                    correctness=quiz.review_correctness,
                    key=quiz.review_correct_answers,
                    feedback=quiz.review_feedback,
                )
            )
    return render(
        request,
        "assessments/review.html",
        {
            "attempt": attempt,
            "quiz": quiz,
            "allowed": answers_shown,
            "show_score": allowed and quiz.review_score,
            "questions": questions,
            # What happened to the course: completed (and the certificate), or what is left.
            "standing": course_standing(request.user, quiz.path[: -quiz.steplen]),
        },
    )
