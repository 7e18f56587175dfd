from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page

from cadres.models import Cadre, OrgUnit

from .blocks import LessonBodyBlock


class CourseIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogue")


class CoursePage(Page):
    class Level(models.TextChoices):
        BASIC = "basic", _("Basic")
        INTERMEDIATE = "intermediate", _("Intermediate")
        ADVANCED = "advanced", _("Advanced")

    class CompletionRule(models.TextChoices):
        LESSONS_AND_QUIZZES = (
            "lessons_and_quizzes",
            _("All lessons completed and every required quiz passed"),
        )
        QUIZZES_ONLY = "quizzes_only", _("Every required quiz passed")
        LESSONS_ONLY = "lessons_only", _("All lessons completed")

    summary = models.TextField(_("summary"), blank=True)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    estimated_minutes = models.PositiveIntegerField(_("estimated time (minutes)"), default=30)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default="basic")
    topics = models.CharField(
        _("topics and framework tags"),
        max_length=255,
        blank=True,
        help_text=_("Comma-separated, e.g. QĐ 757, information security"),
    )
    sequential = models.BooleanField(_("lessons in order"), default=True)
    completion_rule = models.CharField(
        _("completion rule"),
        max_length=32,
        choices=CompletionRule.choices,
        default=CompletionRule.LESSONS_AND_QUIZZES,
    )
    self_enrol = models.BooleanField(_("allow self-enrolment"), default=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("estimated_minutes"),
        FieldPanel("level"),
        FieldPanel("topics"),
        FieldPanel("sequential"),
        FieldPanel("completion_rule"),
        FieldPanel("self_enrol"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    # Children are lessons and quizzes; each child type names CoursePage as its
    # parent, so courses need not know the assessments app.

    class Meta:
        verbose_name = _("course")
        verbose_name_plural = _("course")


class LessonPage(Page):
    body = StreamField(LessonBodyBlock(), verbose_name=_("content"), blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated time (minutes)"), default=10)

    content_panels = [*Page.content_panels, FieldPanel("estimated_minutes"), FieldPanel("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lesson")


class Programme(ClusterableModel):
    """A set of required courses assigned to a population with a deadline."""

    name = models.CharField(_("programme name"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="programmes",
        help_text=_("Applies to this unit and every unit under it."),
    )
    full_time_only = models.BooleanField(_("full-time cadres only"), default=False)
    positions = models.CharField(
        _("positions"),
        max_length=255,
        blank=True,
        help_text=_("Comma-separated; leave empty for every position."),
    )
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    is_optional = models.BooleanField(_("optional"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("name"),
        FieldPanel("description"),
        FieldPanel("unit"),
        FieldPanel("full_time_only"),
        FieldPanel("positions"),
        FieldPanel("deadline"),
        FieldPanel("is_optional"),
        InlinePanel("programme_courses", label=_("course")),
    ]

    class Meta:
        verbose_name = _("training programme")
        verbose_name_plural = _("training programme")

    def __str__(self) -> str:
        return self.name

    @property
    def position_list(self) -> list[str]:
        return [p.strip() for p in self.positions.split(",") if p.strip()]


class ProgrammeCourse(Orderable):
    programme = ParentalKey(Programme, on_delete=models.CASCADE, related_name="programme_courses")
    course = models.ForeignKey(
        CoursePage, verbose_name=_("course"), on_delete=models.PROTECT, related_name="+"
    )
    required = models.BooleanField(_("required"), default=True)

    panels = [FieldPanel("course"), FieldPanel("required")]

    class Meta(Orderable.Meta):
        verbose_name = _("programme course")
        constraints = [
            models.UniqueConstraint(fields=["programme", "course"], name="programme_course_unique")
        ]


class Enrolment(models.Model):
    class Source(models.TextChoices):
        PROGRAMME = "programme", _("By programme")
        SELF = "self", _("Self-enrolled")
        MANUAL = "manual", _("Enrolled by an HR officer")

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey(CoursePage, on_delete=models.CASCADE, related_name="enrolments")
    programme = models.ForeignKey(
        Programme, null=True, blank=True, on_delete=models.SET_NULL, related_name="enrolments"
    )
    source = models.CharField(_("kind"), max_length=16, choices=Source.choices)
    enrolled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    enrolled_at = models.DateTimeField(_("enrolled on"), default=timezone.now)
    last_activity_at = models.DateTimeField(_("last activity"), null=True, blank=True)
    # Denormalised from the current Completion, for listing; Completion is the record.
    completed_at = models.DateTimeField(_("completed on"), null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolment")
        constraints = [models.UniqueConstraint(fields=["cadre", "course"], name="enrolment_unique")]
        indexes = [models.Index(fields=["course", "completed_at"])]

    def __str__(self) -> str:
        return f"{self.cadre} — {self.course}"


class LessonCompletion(models.Model):
    enrolment = models.ForeignKey(
        Enrolment, on_delete=models.CASCADE, related_name="lesson_completions"
    )
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="lesson_completion_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment} — {self.lesson_id}"


class Completion(models.Model):
    """The fact that an enrolment was completed; revoked, never deleted.

    A report as of day D counts completions with completed_at <= D and no
    revocation on or before D.
    """

    class Source(models.TextChoices):
        RULE = "rule", _("Automatically, by the course rule")
        MANUAL = "manual", _("Recorded manually")

    enrolment = models.ForeignKey(Enrolment, on_delete=models.PROTECT, related_name="completions")
    completed_at = models.DateTimeField(_("completed at"), default=timezone.now)
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reason = models.TextField(_("reason"), blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.TextField(_("revocation reason"), blank=True)

    class Meta:
        verbose_name = _("course completion")
        verbose_name_plural = _("course completion")
        constraints = [
            models.UniqueConstraint(
                fields=["enrolment"],
                condition=Q(revoked_at__isnull=True),
                name="one_current_completion_per_enrolment",
            )
        ]
        indexes = [models.Index(fields=["enrolment", "completed_at", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.enrolment} ({self.completed_at:%d/%m/%Y})"
