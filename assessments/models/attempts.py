"""Attempts: what a cadre drew and answered, frozen when the attempt starts
(grading, timing and the answer key live on the server), and the record of
each regrade."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre

from .bank import Question
from .quizzes import QuizPage


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
