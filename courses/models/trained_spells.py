from django.db import models
from django.utils.translation import gettext_lazy as _

from cadres.models import Cadre

from .programmes import Programme


class TrainedSpell(models.Model):
    """A span during which a cadre was trained for a programme: every required
    course had a standing completion. Maintained by :mod:`courses.trained` in
    the transaction that records or revokes a completion, rebuilt and checked
    by ``manage.py trained_rebuild``; reports read it instead of re-deciding
    "trained" from every completion on each view.

    The cadre counts as trained at an instant ``t`` when
    ``trained_from < t <= trained_until`` (no end: still trained) — the same
    test a report day's end puts to each completion.
    """

    class Route(models.TextChoices):
        COURSE = "course", _("By course")
        TRAINING = "training", _("By training session")
        BOTH = "both", _("By course and training session")

    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="+")
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="+")
    trained_from = models.DateTimeField(_("trained from"))
    trained_until = models.DateTimeField(_("trained until"), null=True, blank=True)
    route = models.CharField(_("route"), max_length=16, choices=Route.choices)

    class Meta:
        verbose_name = _("trained spell")
        verbose_name_plural = _("trained spells")
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "cadre", "trained_from"], name="trained_spell_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cadre_id} · {self.programme_id} · {self.trained_from:%d/%m/%Y}"
