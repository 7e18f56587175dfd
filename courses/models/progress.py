"""A learner's way through a course: enrolment, lessons and videos done, and
the completion that ends it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre

from .pages import CoursePage, LessonPage
from .programmes import Programme


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
        indexes = [
            models.Index(fields=["course", "completed_at"]),
            # Reports take the enrolments of a programme's required courses and
            # group them by cadre: with both columns (and the row id every SQLite
            # index carries) that read never touches the table.
            models.Index(fields=["course", "cadre"], name="enrolment_course_cadre"),
        ]

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


class LessonVideoProgress(models.Model):
    """When the page reported the lesson's required video started and ended.

    The server keeps its own clock: an end reported sooner after the start than
    the video could have played is not accepted.
    """

    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey(LessonPage, on_delete=models.CASCADE, related_name="+")
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        verbose_name = _("video progress")
        verbose_name_plural = _("video progress")
        constraints = [
            models.UniqueConstraint(fields=["enrolment", "lesson"], name="lesson_video_unique")
        ]

    def __str__(self) -> str:
        return f"{self.enrolment_id} — {self.lesson_id}"


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
