"""Question bank, quizzes and attempts.

Grading, timing and the answer key live on the server: an attempt freezes
its questions and the order of their choices when it starts, and stores what
the cadre answered per question with the sequence number of the last save.
"""

from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import TaggedItemBase
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    MultipleChooserPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page, PreviewableMixin

from cadres.models import Cadre
from cadres.text import fold
from courses.models import AsciiSlugMixin, StaleRevisionGuardMixin

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
        from .grading import question_view

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


class QuizPage(StaleRevisionGuardMixin, AsciiSlugMixin, Page):
    class Grading(models.TextChoices):
        HIGHEST = "highest", _("Highest attempt")
        LAST = "last", _("Last attempt")

    class Selection(models.TextChoices):
        FIXED = "fixed", _("Fixed questions")
        RANDOM = "random", _("Drawn at random from a category")

    class Layout(models.TextChoices):
        ONE_PER_PAGE = "one", _("One question per screen")
        ALL = "all", _("All questions on one page")

    class ReviewWhen(models.TextChoices):
        AFTER_LAST_ATTEMPT = (
            "after_last",
            _("Score at once; answers after the last attempt or when the quiz closes"),
        )
        IMMEDIATELY = "immediately", _("Immediately after submitting")
        AFTER_CLOSE = "after_close", _("After the quiz closes")
        NEVER = "never", _("Never")

    intro = RichTextField(_("instructions"), blank=True)
    pass_mark = models.DecimalField(
        _("pass mark (%)"),
        max_digits=5,
        decimal_places=2,
        default=Decimal("80"),
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100"))],
    )
    attempts_allowed = models.PositiveIntegerField(
        _("attempts allowed"), default=3, help_text=_("0 means unlimited.")
    )
    grading_method = models.CharField(
        _("grading method"), max_length=10, choices=Grading.choices, default=Grading.HIGHEST
    )
    time_limit_minutes = models.PositiveIntegerField(
        _("time limit (minutes)"), default=0, help_text=_("0 means no time limit.")
    )
    opens_at = models.DateTimeField(_("opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes"), null=True, blank=True)
    selection = models.CharField(
        _("questions"), max_length=10, choices=Selection.choices, default=Selection.FIXED
    )
    random_category = models.ForeignKey(
        QuestionCategory,
        verbose_name=_("draw from category"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    random_include_subcategories = models.BooleanField(_("include subcategories"), default=True)
    random_count = models.PositiveIntegerField(_("number of questions drawn"), default=10)
    shuffle_questions = models.BooleanField(_("shuffle questions"), default=True)
    shuffle_answers = models.BooleanField(_("shuffle answers"), default=True)
    layout = models.CharField(
        _("layout"), max_length=5, choices=Layout.choices, default=Layout.ONE_PER_PAGE
    )
    review_when = models.CharField(
        _("review shown"),
        max_length=12,
        choices=ReviewWhen.choices,
        # Answers shown right after an attempt with attempts left are a key
        # for the next one: a blank first try, then full marks.
        default=ReviewWhen.AFTER_LAST_ATTEMPT,
    )
    review_score = models.BooleanField(_("show the score"), default=True)
    review_correctness = models.BooleanField(_("show right/wrong"), default=True)
    review_correct_answers = models.BooleanField(
        _("show the correct answers"),
        default=True,
        help_text=_(
            "Shown immediately with attempts left, the answers let a learner pass the next "
            "attempt by copying them."
        ),
    )
    review_feedback = models.BooleanField(_("show feedback"), default=True)
    required_for_completion = models.BooleanField(_("required for course completion"), default=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        MultiFieldPanel(
            [
                FieldPanel("selection"),
                MultipleChooserPanel(
                    "quiz_questions", chooser_field_name="question", label=_("question")
                ),
                FieldPanel("random_category"),
                FieldRowPanel(
                    [FieldPanel("random_count"), FieldPanel("random_include_subcategories")]
                ),
                FieldRowPanel([FieldPanel("shuffle_questions"), FieldPanel("shuffle_answers")]),
                FieldPanel("layout"),
            ],
            heading=_("Questions"),
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("attempts_allowed")]),
                FieldRowPanel([FieldPanel("grading_method"), FieldPanel("time_limit_minutes")]),
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldPanel("required_for_completion"),
            ],
            heading=_("Grading and timing"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("review_when"),
                FieldRowPanel(
                    [
                        FieldPanel("review_score"),
                        FieldPanel("review_correctness"),
                        FieldPanel("review_correct_answers"),
                        FieldPanel("review_feedback"),
                    ]
                ),
            ],
            heading=_("Review"),
        ),
    ]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def clean(self):
        super().clean()
        errors = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors["closes_at"] = _("The quiz must close after it opens.")
        if self.selection == self.Selection.RANDOM:
            if self.random_category_id is None:
                errors["random_category"] = _("Choose the category to draw questions from.")
            if not self.random_count:
                errors["random_count"] = _("Draw at least one question.")
        if errors:
            raise ValidationError(errors)

    def serve(self, request, *args, **kwargs):
        from .views import quiz_page_serve

        return quiz_page_serve(request, self)

    def is_open(self, now=None) -> bool:
        now = now or timezone.now()
        return (self.opens_at is None or self.opens_at <= now) and (
            self.closes_at is None or now < self.closes_at
        )


class QuizQuestion(Orderable):
    quiz = ParentalKey(QuizPage, on_delete=models.CASCADE, related_name="quiz_questions")
    question = models.ForeignKey(
        Question, verbose_name=_("question"), on_delete=models.PROTECT, related_name="+"
    )
    mark = models.DecimalField(
        _("mark"),
        max_digits=6,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Empty: the question's default mark."),
    )

    panels = [FieldPanel("question"), FieldPanel("mark")]

    class Meta(Orderable.Meta):
        verbose_name = _("quiz question")
        constraints = [
            models.UniqueConstraint(fields=["quiz", "question"], name="quiz_question_unique")
        ]


class Attempt(models.Model):
    class State(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        FINISHED = "finished", _("Finished")

    quiz = models.ForeignKey(
        QuizPage, verbose_name=_("quiz"), on_delete=models.CASCADE, related_name="attempts"
    )
    cadre = models.ForeignKey(
        Cadre, verbose_name=_("cadre"), on_delete=models.CASCADE, related_name="quiz_attempts"
    )
    number = models.PositiveIntegerField(_("attempt number"))
    state = models.CharField(
        _("state"), max_length=12, choices=State.choices, default=State.IN_PROGRESS
    )
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    closed_by_deadline = models.BooleanField(_("closed at the deadline"), default=False)
    score = models.DecimalField(_("score"), max_digits=8, decimal_places=4, null=True, blank=True)
    max_score = models.DecimalField(_("maximum score"), max_digits=8, decimal_places=4)
    percent = models.DecimalField(
        _("result (%)"), max_digits=7, decimal_places=4, null=True, blank=True
    )
    passed = models.BooleanField(_("passed"), null=True)
    graded_at = models.DateTimeField(_("graded"), null=True, blank=True)
    grade_count = models.PositiveIntegerField(
        default=0, help_text="How many times this attempt was graded: 1, plus regrades."
    )

    class Meta:
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")
        constraints = [
            models.UniqueConstraint(
                fields=["quiz", "cadre"],
                condition=Q(state="in_progress"),
                name="one_open_attempt_per_cadre_and_quiz",
            ),
            models.UniqueConstraint(
                fields=["quiz", "cadre", "number"], name="attempt_number_unique"
            ),
        ]
        indexes = [models.Index(fields=["quiz", "state"]), models.Index(fields=["cadre", "quiz"])]

    def __str__(self) -> str:
        return f"{self.cadre} — {self.quiz} #{self.number}"

    def accepts_until(self):
        if self.deadline is None:
            return None
        return self.deadline + timedelta(seconds=settings.ASSESSMENTS_GRACE_SECONDS)


class AttemptSlot(models.Model):
    """One question of an attempt, its frozen order of choices and the saved response."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="slots")
    number = models.PositiveIntegerField()
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="slots")
    mark = models.DecimalField(max_digits=6, decimal_places=2)
    # Answer ids in display order; for matching, the right-hand items in display order.
    order = models.JSONField(default=list)
    response = models.JSONField(null=True, blank=True)
    seq = models.BigIntegerField(default=0)
    saved_at = models.DateTimeField(null=True, blank=True)
    fraction = models.DecimalField(max_digits=7, decimal_places=4, null=True, blank=True)
    score = models.DecimalField(max_digits=8, decimal_places=4, null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["attempt", "number"], name="attempt_slot_unique")
        ]
        ordering = ["attempt", "number"]

    def __str__(self) -> str:
        return f"{self.attempt_id}/{self.number}"


class Regrade(models.Model):
    """The record of a regrade after a question's key was corrected."""

    quiz = models.ForeignKey(QuizPage, on_delete=models.CASCADE, related_name="regrades")
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveIntegerField(default=0)
    changed = models.PositiveIntegerField(default=0)
    details = models.JSONField(default=list)

    class Meta:
        verbose_name = _("regrade")
        verbose_name_plural = _("regrades")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.quiz} {self.at:%d/%m/%Y %H:%M}"
