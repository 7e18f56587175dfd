"""Admin views for trainers; thin: they call services and selectors."""

import base64

from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cadres.figures import figure

from . import selectors, services
from .forms import ExportForm, ImportForm
from .models import Question

_SALT = "assessments.import"
TYPE_LABELS = dict(Question.Type.choices)


def _need(request, perm: str) -> None:
    if not request.user.has_perm(perm):
        raise PermissionDenied


# An import page shows one page of rejections, however many the file has.
REJECTIONS_SHOWN = 100


def _report_context(report) -> dict:
    return {
        "report": report,
        "rejections": report.result.rejections[:REJECTIONS_SHOWN],
        "rejections_total": len(report.result.rejections),
        "counts": [(TYPE_LABELS.get(k, k), n) for k, n in sorted(report.result.counts().items())],
        "sample": report.result.questions[:50],
        "type_labels": TYPE_LABELS,
    }


def import_questions(request):
    _need(request, "assessments.add_question")
    context: dict = {"form": ImportForm()}
    if request.method == "POST" and "payload" in request.POST:
        try:
            payload = signing.loads(request.POST["payload"], salt=_SALT, max_age=3600)
        except signing.BadSignature:
            messages.error(request, _("The preview has expired; please upload the file again."))
            return redirect("assessments_import")
        report = services.questions_import(
            data=base64.b64decode(payload["data"]),
            fmt=payload["format"],
            category_path=payload["category"],
            by=request.user,
        )
        if report.committed:
            messages.success(
                request,
                _("%(n)s questions were imported into “%(category)s”.")
                % {"n": figure(report.imported), "category": report.category.full_path},
            )
            return redirect("assessments_import")
        context.update(_report_context(report))
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        context["form"] = form
        if form.is_valid():
            data = form.cleaned_data["file"].read()
            report = services.questions_import(
                data=data,
                fmt=form.cleaned_data["format"],
                category_path=form.cleaned_data["category"],
                dry_run=True,
            )
            context.update(_report_context(report))
            context["category_path"] = form.cleaned_data["category"]
            if report.ok:
                context["payload"] = signing.dumps(
                    {
                        "data": base64.b64encode(data).decode(),
                        "format": form.cleaned_data["format"],
                        "category": form.cleaned_data["category"],
                    },
                    salt=_SALT,
                    compress=True,
                )
    return TemplateResponse(request, "assessments/admin/import.html", context)


def export_gift(request):
    _need(request, "assessments.view_question")
    form = ExportForm(request.GET or None)
    if form.is_valid():
        category = form.cleaned_data["category"]
        text = services.questions_export_gift(category=category)
        response = HttpResponse(text, content_type="text/plain; charset=utf-8")
        name = slugify(category.name) or "cau-hoi"
        response["Content-Disposition"] = f'attachment; filename="{name}.gift.txt"'
        return response
    return TemplateResponse(request, "assessments/admin/export.html", {"form": form})


def quiz_results(request, pk: int):
    quiz = selectors.quiz_get_for_trainer(request.user, pk)
    return TemplateResponse(
        request,
        "assessments/admin/results.html",
        {"quiz": quiz, "rows": selectors.quiz_results(quiz)},
    )


def quiz_statistics(request, pk: int):
    quiz = selectors.quiz_get_for_trainer(request.user, pk)
    return TemplateResponse(
        request,
        "assessments/admin/statistics.html",
        {
            "quiz": quiz,
            "stats": selectors.quiz_statistics(quiz),
            "regrades": quiz.regrades.select_related("by")[:10],
            "type_labels": TYPE_LABELS,
        },
    )


@require_POST
def quiz_regrade(request, pk: int):
    quiz = selectors.quiz_get_for_trainer(request.user, pk)
    regrade = services.quiz_regrade(quiz=quiz, by=request.user)
    messages.success(
        request,
        _("%(n)s attempts were graded again; %(changed)s results changed.")
        % {"n": figure(regrade.attempts), "changed": figure(regrade.changed)},
    )
    return redirect("assessments_statistics", pk=quiz.pk)
