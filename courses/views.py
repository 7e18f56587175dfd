"""Thin views: look up through selectors, change through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.paging import page_number
from cadres.selectors import cadre_of, cadre_search, current_membership

from . import selectors, services
from .forms import LearnerSearchForm, ReasonForm, VideoEventForm


def _wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@login_required
def home(request):
    cadre = cadre_of(request.user)
    membership = current_membership(cadre) if cadre else None
    assigned, optional = selectors.learner_courses(request.user)
    return render(
        request,
        "courses/home.html",
        {"cadre": cadre, "membership": membership, "assigned": assigned, "optional": optional},
    )


@require_POST
@login_required
def lesson_complete(request, lesson_id: int):
    """Record "Hoàn thành bài học". Safe to replay: the page retries until it hears back."""
    lesson, enrolment = selectors.lesson_for_learner(request.user, lesson_id)
    try:
        completion = services.lesson_complete(enrolment=enrolment, lesson=lesson)
    except PermissionDenied as exc:
        if _wants_json(request):
            return JsonResponse({"ok": False, "error": str(exc)}, status=403)
        messages.error(request, str(exc))
        return redirect(selectors.page_url(lesson.url_path))
    course_url = selectors.page_url(enrolment.course.url_path)
    next_url = selectors.lesson_after_url(lesson) or course_url
    course_done = completion is not None or enrolment.completed_at is not None
    if _wants_json(request):
        return JsonResponse({"ok": True, "course_completed": course_done, "next_url": next_url})
    if completion is not None:
        messages.success(request, _("Congratulations: you have completed the course."))
        return redirect(course_url)
    messages.success(request, _("Lesson completed."))
    return redirect(next_url)


@require_POST
@login_required
def lesson_video(request, lesson_id: int):
    """The page reports that the lesson's video started or ended."""
    lesson, enrolment = selectors.lesson_for_learner(request.user, lesson_id)
    form = VideoEventForm(request.POST)
    if not form.is_valid():
        return JsonResponse({"ok": False, "error": _("Unknown video event.")}, status=400)
    try:
        progress = services.lesson_video_event(
            enrolment=enrolment, lesson=lesson, event=form.cleaned_data["event"]
        )
    except PermissionDenied as exc:
        return JsonResponse({"ok": False, "error": str(exc)}, status=403)
    return JsonResponse({"ok": True, "finished": progress.finished_at is not None})


@require_POST
@login_required
def course_enrol(request, course_id: int):
    course = selectors.course_for_learner(request.user, course_id)
    cadre = cadre_of(request.user)
    if cadre is None:
        raise Http404
    try:
        services.enrolment_self_create(cadre=cadre, course=course, by=request.user)
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("You are enrolled. Good luck!"))
    return redirect(selectors.page_url(course.url_path))


def _manager(request) -> None:
    user = request.user
    if not (user.is_trainer or user.is_hr_officer or user.is_administrator):
        raise Http404


@login_required
def learners(request):
    """Trainers and HR officers find a cadre to record or revoke a completion."""
    _manager(request)
    form = LearnerSearchForm(request.GET or None)
    cadres = selectors.cadres_manageable_by(request.user)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    page = None
    if query:
        cadres = cadre_search(cadres, query).order_by("sort_key", "pk")
        page = Paginator(cadres, 30).get_page(page_number(request))
    return render(request, "courses/learners.html", {"form": form, "page": page, "query": query})


@login_required
def learner_detail(request, cadre_id: int):
    _manager(request)
    cadre = selectors.cadre_for_manager(request.user, cadre_id)
    return render(
        request,
        "courses/learner_detail.html",
        {
            "cadre": cadre,
            "unit_name": selectors.cadre_unit_name(cadre),
            "enrolments": selectors.cadre_enrolments(cadre),
            "form": ReasonForm(),
        },
    )


def _reason_or_back(request, cadre_id: int) -> tuple[str | None, HttpResponse | None]:
    form = ReasonForm(request.POST)
    if form.is_valid():
        return form.cleaned_data["reason"], None
    for error in form.errors.get("reason", []):
        messages.error(request, error)
    return None, redirect("courses:learner", cadre_id=cadre_id)


@require_POST
@login_required
def completion_record(request, enrolment_id: int):
    _manager(request)
    enrolment = selectors.enrolment_for_manager(request.user, enrolment_id)
    reason, back = _reason_or_back(request, enrolment.cadre_id)
    if back:
        return back
    completion = services.completion_record_manual(
        enrolment=enrolment, by=request.user, reason=reason
    )
    if completion is None:
        messages.error(request, _("This course is already completed."))
    else:
        messages.success(request, _("The completion is recorded."))
    return redirect("courses:learner", cadre_id=enrolment.cadre_id)


@require_POST
@login_required
def completion_revoke(request, completion_id: int):
    _manager(request)
    completion = selectors.completion_for_manager(request.user, completion_id)
    cadre_id = completion.enrolment.cadre_id
    reason, back = _reason_or_back(request, cadre_id)
    if back:
        return back
    services.completion_revoke(completion=completion, by=request.user, reason=reason)
    messages.success(request, _("The completion is revoked."))
    return redirect("courses:learner", cadre_id=cadre_id)
