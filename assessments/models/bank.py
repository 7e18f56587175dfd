"""The question bank: a tree of categories, questions with their tags, and
their answers (the key)."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models.query import ModelIterable
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable, PreviewableMixin

from cadres.text import fold

ZERO = Decimal("0")
ONE = Decimal("1")


class _CategoriesWithPaths(ModelIterable):
    """Categories with their full path filled in from one more query for all
    of them (their ancestors' names), instead of one query each."""

    def __iter__(self):
        categories = list(super().__iter__())
        steplen = QuestionCategory.steplen
        names = {category.path: category.name for category in categories}
        above = {
            category.path[:end]
            for category in categories
            for end in range(steplen, len(category.path), steplen)
        } - names.keys()
        if above:
            names.update(
                QuestionCategory.objects.filter(path__in=above).values_list("path", "name")
            )
        for category in categories:
            ends = range(steplen, len(category.path) + 1, steplen)
            category._full_path = "/".join(names[category.path[:end]] for end in ends)
        return iter(categories)


class QuestionCategoryQuerySet(MP_NodeQuerySet):
    def with_paths(self) -> "QuestionCategoryQuerySet":
        """Categories whose ``full_path`` (and ``str()``) costs no query each:
        for dropdowns, listings and exports."""
        clone = self._chain()
        clone._iterable_class = _CategoriesWithPaths
        return clone


class QuestionCategoryManager(MP_NodeManager):
    def get_queryset(self) -> QuestionCategoryQuerySet:
        return QuestionCategoryQuerySet(self.model).order_by("path")

    def with_paths(self) -> QuestionCategoryQuerySet:
        return self.get_queryset().with_paths()


class QuestionCategory(MP_Node):
    """A node of the question bank; shared by every course that draws from it."""

    name = models.CharField(_("name"), max_length=255)
    description = models.TextField(_("description"), blank=True)

    objects = QuestionCategoryManager()

    node_order_by = ["name"]

    class Meta:
        verbose_name = _("question category")
        verbose_name_plural = _("question categories")

    def __str__(self) -> str:
        return self.full_path

    @property
    def full_path(self) -> str:
        """ "Chủ đề 1/Lừa đảo". One query, unless read through ``with_paths()``."""
        if "_full_path" not in self.__dict__:
            self._full_path = "/".join([a.name for a in self.get_ancestors()] + [self.name])
        return self._full_path

    def subtree(self):
        return QuestionCategory.objects.filter(path__startswith=self.path, depth__gte=self.depth)


class QuestionTag(TaggedItemBase):
    content_object = ParentalKey(
        "assessments.Question", on_delete=models.CASCADE, related_name="tagged_items"
    )


class Question(PreviewableMixin, ClusterableModel):
    class Type(models.TextChoices):
        SINGLE = "single", _("Single choice")
        MULTIPLE = "multiple", _("Multiple choice")
        TRUE_FALSE = "truefalse", _("True/false")
        SHORT_ANSWER = "shortanswer", _("Short answer")
        NUMERICAL = "numerical", _("Numerical")
        MATCHING = "matching", _("Matching")

    class Format(models.TextChoices):
        PLAIN = "plain", _("Plain text")
        HTML = "html", _("HTML")
        MARKDOWN = "markdown", _("Markdown")

    category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("category"),
        on_delete=models.PROTECT,
        related_name="questions",
    )
    name = models.CharField(_("title"), max_length=255)
    qtype = models.CharField(_("type"), max_length=16, choices=Type.choices)
    text = models.TextField(_("question text"))
    text_format = models.CharField(
        _("text format"), max_length=10, choices=Format.choices, default=Format.PLAIN
    )
    general_feedback = models.TextField(
        _("general feedback"), blank=True, help_text=_("Shown to every cadre at review.")
    )
    default_mark = models.DecimalField(
        _("default mark"), max_digits=6, decimal_places=2, default=ONE
    )
    ignore_case = models.BooleanField(_("ignore upper/lower case"), default=True)
    ignore_spaces = models.BooleanField(_("ignore extra spaces"), default=True)
    ignore_diacritics = models.BooleanField(
        _("ignore Vietnamese diacritics"),
        default=False,
        help_text=_("Short answer: “Thái Nguyên” also accepts “thai nguyen”."),
    )
    tags = ClusterTaggableManager(through=QuestionTag, blank=True, verbose_name=_("tags"))
    # Title and text without diacritics, for the question picker's search.
    search_text = models.TextField(editable=False, blank=True, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    panels = [
        FieldPanel("category"),
        FieldPanel("name"),
        FieldPanel("qtype"),
        FieldPanel("text"),
        FieldPanel("text_format"),
        FieldPanel("default_mark"),
        MultiFieldPanel(
            [
                FieldPanel("ignore_case"),
                FieldPanel("ignore_spaces"),
                FieldPanel("ignore_diacritics"),
            ],
            heading=_("Short answer options"),
        ),
        InlinePanel("answers", label=_("answer"), min_num=1),
        FieldPanel("general_feedback"),
        FieldPanel("tags"),
    ]

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["category", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.text}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_preview_template(self, request, mode_name):
        return "assessments/question_preview.html"

    def get_preview_context(self, request, mode_name):
        from ..grading import question_view

        context = super().get_preview_context(request, mode_name)
        answers = list(self.answers.all())
        context["q"] = question_view(
            self, answers=answers, order=[a.pk or i for i, a in enumerate(answers)], slot=1
        )
        return context

    def clean(self):
        super().clean()
        if self.default_mark is not None and self.default_mark <= 0:
            raise ValidationError({"default_mark": _("The mark must be greater than zero.")})


class Answer(Orderable):
    """A choice, an accepted answer, a number with tolerance or a matching pair."""

    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="answers")
    text = models.TextField(
        _("answer"),
        help_text=_("Matching: the item on the left. Numerical: the value, e.g. 3,14."),
    )
    match_text = models.CharField(
        _("matches"), max_length=255, blank=True, help_text=_("Matching only: the right-hand item.")
    )
    fraction = models.DecimalField(
        _("grade (%)"),
        max_digits=7,
        decimal_places=4,
        default=ZERO,
        validators=[MinValueValidator(Decimal("-100")), MaxValueValidator(Decimal("100"))],
        help_text=_("100 for a correct answer, 0 for a wrong one; negative to penalise."),
    )
    tolerance = models.DecimalField(
        _("tolerance"), max_digits=14, decimal_places=6, default=ZERO, blank=True
    )
    feedback = models.TextField(_("feedback"), blank=True)

    panels = [
        FieldPanel("text"),
        FieldRowPanel([FieldPanel("fraction"), FieldPanel("tolerance"), FieldPanel("match_text")]),
        FieldPanel("feedback"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self) -> str:
        return self.text[:80]

    @property
    def weight(self) -> Decimal:
        """The fraction as a share of the question's mark, between -1 and 1."""
        return (self.fraction or ZERO) / Decimal(100)
