"""Questions in and out of the bank as files: an import is all or nothing,
the GIFT export carries a category subtree."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Prefetch
from django.utils.translation import gettext as _

from cadres.models import User
from cadres.services import audit_record

from .. import formats
from ..models import Question, QuestionCategory
from .bank import category_find, category_get_or_create, question_create


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
    from ..formats import gift

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
