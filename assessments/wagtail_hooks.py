"""Trainer tools in the Wagtail admin: question bank, import/export, results."""

import django_filters
from django.db.models import Prefetch
from django.urls import path, reverse
from django.utils.dateformat import format as date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column
from wagtail.admin.widgets.button import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from . import admin_views
from .choosers import QuestionChooserViewSet
from .forms import QuestionCategoryForm
from .models import Question, QuestionCategory, QuizPage


def _updated(question: Question) -> str:
    return date_format(localtime(question.updated_at), "d/m/Y H:i")


class QuestionFilterSet(WagtailFilterSet):
    category = django_filters.ModelChoiceFilter(
        label=_("category"), queryset=QuestionCategory.objects.with_paths()
    )

    class Meta:
        model = Question
        fields = ["qtype", "category"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = [
        "name",
        Column("qtype", label=_("type"), accessor="get_qtype_display"),
        "category",
        Column("updated_at", label=_("Updated"), accessor=_updated),
    ]
    filterset_class = QuestionFilterSet
    search_fields = ["name", "text"]
    list_per_page = 50
    ordering = ["category__path", "name"]
    chooser_viewset_class = QuestionChooserViewSet
    chooser_per_page = 25

    def get_queryset(self, request):
        # The category column shows each path: read them together, not per row.
        return Question.objects.prefetch_related(
            Prefetch("category", queryset=QuestionCategory.objects.with_paths())
        )


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = [Column("full_path", label=_("Category")), "description"]
    ordering = ["path"]

    def get_queryset(self, request):
        return QuestionCategory.objects.with_paths()

    edit_handler = ObjectList(
        [FieldPanel("name"), FieldPanel("parent"), FieldPanel("description")],
        base_form_class=QuestionCategoryForm,
    )


class QuestionBankGroup(SnippetViewSetGroup):
    items = (QuestionViewSet, QuestionCategoryViewSet)
    menu_icon = "help"
    menu_label = _("Question bank")
    menu_name = "question-bank"
    menu_order = 250


register_snippet(QuestionBankGroup)


@hooks.register("register_admin_urls")
def _urls():
    return [
        path("ngan-hang/nhap/", admin_views.import_questions, name="assessments_import"),
        path("ngan-hang/xuat/", admin_views.export_gift, name="assessments_export"),
        path(
            "bai-kiem-tra/<int:pk>/ket-qua/", admin_views.quiz_results, name="assessments_results"
        ),
        path(
            "bai-kiem-tra/<int:pk>/thong-ke/",
            admin_views.quiz_statistics,
            name="assessments_statistics",
        ),
        path(
            "bai-kiem-tra/<int:pk>/cham-lai/", admin_views.quiz_regrade, name="assessments_regrade"
        ),
    ]


class _PermMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm("assessments.add_question")


@hooks.register("register_admin_menu_item")
def _import_menu():
    return _PermMenuItem(
        _("Import questions"), reverse("assessments_import"), icon_name="upload", order=251
    )


@hooks.register("register_admin_menu_item")
def _export_menu():
    return _PermMenuItem(
        _("Export questions (GIFT)"), reverse("assessments_export"), icon_name="download", order=252
    )


@hooks.register("register_page_listing_buttons")
def _quiz_buttons(page, user, next_url=None):
    if isinstance(page.specific_deferred, QuizPage) and page.permissions_for_user(user).can_edit():
        yield ListingButton(
            _("Results"), reverse("assessments_results", args=[page.pk]), priority=30
        )
        yield ListingButton(
            _("Statistics"), reverse("assessments_statistics", args=[page.pk]), priority=31
        )


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def warn_about_answer_key_between_attempts(request, page):
    """Saving is the trainer's call; the warning says what it costs."""
    from django.contrib import messages

    quiz = page.specific if hasattr(page, "specific") else page
    if not isinstance(quiz, QuizPage):
        return
    if (
        quiz.review_correct_answers
        and quiz.review_when == QuizPage.ReviewWhen.IMMEDIATELY
        and quiz.attempts_allowed != 1
    ):
        messages.warning(
            request,
            _(
                "This quiz shows the correct answers right after each attempt while attempts "
                "remain: a learner can submit a blank attempt, read the answers and score full "
                "marks on the next one. Choose “Score at once; answers after the last attempt "
                "or when the quiz closes” to prevent it."
            ),
        )
