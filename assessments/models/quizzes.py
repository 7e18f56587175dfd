"""Quizzes: a Wagtail page under a course, with its fixed questions or the
category it draws from, its timing, grading and review rules."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    MultiFieldPanel,
    MultipleChooserPanel,
)
from wagtail.fields import RichTextField
from wagtail.models import Orderable, Page

from courses.models import AsciiSlugMixin, StaleRevisionGuardMixin

from .bank import ZERO, Question, QuestionCategory


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
        from ..views import quiz_page_serve

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
