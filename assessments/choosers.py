"""The quiz editor's question picker: text, type, category and use of each
question; search without diacritics, filters by category and type, and
several questions chosen at once."""

from django import forms
from django.utils.functional import cached_property
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import Column
from wagtail.snippets.views.chooser import ChooseResultsView, ChooseView, SnippetChooserViewSet

from . import selectors
from .models import Question


class QuestionFilterForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("Words from the title or text")}),
    )
    category = forms.TypedChoiceField(label=_("category"), required=False, coerce=int)
    qtype = forms.ChoiceField(
        label=_("type"), required=False, choices=[("", _("All types")), *Question.Type.choices]
    )

    def __init__(self, *args, category_paths=None, **kwargs):
        super().__init__(*args, **kwargs)
        paths = category_paths or {}
        self.fields["category"].choices = [
            ("", _("All categories")),
            *sorted(paths.items(), key=lambda item: item[1]),
        ]


class QuestionChooseMixin:
    per_page = 25

    @cached_property
    def category_paths(self) -> dict[int, str]:
        return selectors.question_category_paths()

    def get_filter_form(self):
        return QuestionFilterForm(self.request.GET, category_paths=self.category_paths)

    def get_object_list(self):
        return selectors.questions_for_picker(self.request.user)

    def apply_object_list_ordering(self, objects):
        return objects

    def filter_object_list(self, objects):
        form = self.filter_form
        if not form.is_valid():
            return objects.none()
        data = form.cleaned_data
        if data["q"]:
            form.is_searching = True
            form.search_query = data["q"]
        return selectors.questions_for_picker(
            self.request.user,
            query=data["q"],
            category_id=data["category"] or None,
            qtype=data["qtype"],
        )

    @property
    def columns(self):
        return [
            self.title_column,
            Column(
                "text",
                label=_("question text"),
                accessor=lambda question: Truncator(question.text).chars(120),
            ),
            Column("qtype", label=_("type"), accessor="get_qtype_display"),
            Column(
                "category",
                label=_("category"),
                accessor=lambda question: self.category_paths.get(question.category_id, ""),
            ),
            Column("usage_count", label=_("Used in quizzes")),
        ]


class QuestionChooseView(QuestionChooseMixin, ChooseView):
    pass


class QuestionChooseResultsView(QuestionChooseMixin, ChooseResultsView):
    pass


class QuestionChooserViewSet(SnippetChooserViewSet):
    choose_view_class = QuestionChooseView
    choose_results_view_class = QuestionChooseResultsView
    choose_one_text = _("Choose a question")
    choose_another_text = _("Choose another question")
