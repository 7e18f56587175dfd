"""Training sessions (tập huấn), their invitations and one attendance record
per session and cadre, however it was taken (QR, paper sheet, meeting report)."""

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable

from cadres.models import Cadre, OrgUnit
from courses.models import Completion, CoursePage, PopulationFilter, Programme


class CountsFor(models.Model):
    """What attending completes: one course, or every required course of a programme."""

    counts_for_course = models.ForeignKey(
        CoursePage,
        verbose_name=_("completes the course"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    counts_for_programme = models.ForeignKey(
        Programme,
        verbose_name=_("satisfies the programme"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Attending completes every required course of the programme."),
    )

    class Meta:
        abstract = True


class TrainingSeries(CountsFor):
    """Several sessions (a 3-day course of 6 sessions) that count together: a
    cadre who attended at least the minimum share of them is trained."""

    title = models.CharField(_("title"), max_length=255)
    organiser_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("organiser unit"), on_delete=models.PROTECT, related_name="+"
    )
    min_share_percent = models.PositiveSmallIntegerField(
        _("minimum share of sessions attended (%)"), default=80
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("organiser_unit"),
        FieldPanel("min_share_percent"),
        FieldPanel("counts_for_course"),
        FieldPanel("counts_for_programme"),
    ]

    class Meta:
        verbose_name = _("training series")
        verbose_name_plural = _("training series")
        constraints = [
            models.CheckConstraint(
                condition=Q(min_share_percent__gte=1, min_share_percent__lte=100),
                name="series_share_range",
            )
        ]

    def __str__(self) -> str:
        return self.title


class TrainingSession(ClusterableModel, CountsFor, PopulationFilter):
    class Mode(models.TextChoices):
        IN_PERSON = "truc_tiep", _("In person")
        ONLINE = "truc_tuyen", _("Online")
        HYBRID = "ket_hop", _("Hybrid")

    title = models.CharField(_("title"), max_length=255)
    description = models.TextField(_("description"), blank=True)
    organiser_unit = models.ForeignKey(
        OrgUnit, verbose_name=_("organiser unit"), on_delete=models.PROTECT, related_name="+"
    )
    trainers = ParentalManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("trainers"), blank=True, related_name="+"
    )
    mode = models.CharField(_("mode"), max_length=12, choices=Mode.choices, default=Mode.IN_PERSON)
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    meeting_link = models.URLField(_("meeting link"), blank=True)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    capacity = models.PositiveIntegerField(_("capacity"), null=True, blank=True)
    series = models.ForeignKey(
        TrainingSeries,
        verbose_name=_("series"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="sessions",
        help_text=_("A session in a series counts through the series' rule."),
    )
    # Who is invited: a unit subtree narrowed like a programme, and/or named cadres.
    invite_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("invite the cadres of"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("This unit and every unit under it."),
    )
    named_cadres = ParentalManyToManyField(
        Cadre, verbose_name=_("named cadres"), blank=True, related_name="+"
    )
    checkin_open_minutes = models.PositiveSmallIntegerField(
        _("check-in opens (minutes before the start)"), default=30
    )
    late_after_minutes = models.PositiveSmallIntegerField(
        _("late after (minutes after the start)"), default=15
    )
    checkin_close_minutes = models.PositiveSmallIntegerField(
        _("check-in closes (minutes after the start)"), default=90
    )
    min_share_percent = models.PositiveSmallIntegerField(
        _("minimum share of the session attended online (%)"), default=80
    )
    requires_checkout = models.BooleanField(
        _("require check-out"),
        default=False,
        help_text=_(
            "Cadres who check themselves in must also scan the check-out code at the end "
            "for their attendance to count."
        ),
    )
    checkout_open_minutes = models.PositiveSmallIntegerField(
        _("check-out opens (minutes before the end)"), default=15
    )
    checkout_close_minutes = models.PositiveSmallIntegerField(
        _("check-out closes (minutes after the end)"), default=30
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        FieldPanel("organiser_unit"),
        FieldPanel("trainers"),
        MultiFieldPanel(
            [
                FieldPanel("mode"),
                FieldPanel("venue"),
                FieldPanel("meeting_link"),
                FieldPanel("starts_at"),
                FieldPanel("ends_at"),
                FieldPanel("capacity"),
            ],
            heading=_("When and where"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("series"),
                FieldPanel("counts_for_course"),
                FieldPanel("counts_for_programme"),
                FieldPanel("min_share_percent"),
            ],
            heading=_("What it counts for"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("invite_unit"),
                FieldPanel("full_time_only"),
                FieldPanel("positions"),
                FieldPanel("named_cadres"),
            ],
            heading=_("Invitations"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("checkin_open_minutes"),
                FieldPanel("late_after_minutes"),
                FieldPanel("checkin_close_minutes"),
                FieldPanel("requires_checkout"),
                FieldPanel("checkout_open_minutes"),
                FieldPanel("checkout_close_minutes"),
            ],
            heading=_("Check-in"),
        ),
        InlinePanel("materials", label=_("material")),
    ]

    class Meta:
        verbose_name = _("training session")
        verbose_name_plural = _("training sessions")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="session_ends_after_start"
            ),
            models.CheckConstraint(
                condition=Q(min_share_percent__gte=1, min_share_percent__lte=100),
                name="session_share_range",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def duration_minutes(self) -> float:
        return (self.ends_at - self.starts_at).total_seconds() / 60

    @property
    def checkin_opens_at(self) -> dt.datetime:
        return self.starts_at - dt.timedelta(minutes=self.checkin_open_minutes)

    @property
    def checkin_closes_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.checkin_close_minutes)

    @property
    def late_from(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.late_after_minutes)

    def checkin_open(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.checkin_opens_at <= at <= self.checkin_closes_at

    @property
    def checkout_opens_at(self) -> dt.datetime:
        return self.ends_at - dt.timedelta(minutes=self.checkout_open_minutes)

    @property
    def checkout_closes_at(self) -> dt.datetime:
        return self.ends_at + dt.timedelta(minutes=self.checkout_close_minutes)

    def checkout_open(self, at: dt.datetime | None = None) -> bool:
        at = at or timezone.now()
        return self.checkout_opens_at <= at <= self.checkout_closes_at

    @property
    def is_online(self) -> bool:
        return self.mode != self.Mode.IN_PERSON


class SessionMaterial(Orderable):
    session = ParentalKey(TrainingSession, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("title"), max_length=255)
    document = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("document"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    course = models.ForeignKey(
        CoursePage,
        verbose_name=_("course"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    link = models.URLField(_("link"), blank=True)

    panels = [FieldPanel("title"), FieldPanel("document"), FieldPanel("course"), FieldPanel("link")]

    class Meta(Orderable.Meta):
        verbose_name = _("material")
        verbose_name_plural = _("materials")

    def __str__(self) -> str:
        return self.title


class Invitation(models.Model):
    class Source(models.TextChoices):
        POPULATION = "population", _("By unit")
        NAMED = "named", _("Named")

    session = models.ForeignKey(
        TrainingSession, on_delete=models.CASCADE, related_name="invitations"
    )
    cadre = models.ForeignKey(Cadre, on_delete=models.CASCADE, related_name="training_invitations")
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    created_at = models.DateTimeField(default=timezone.now)
    declined_at = models.DateTimeField(_("cannot attend since"), null=True, blank=True)
    decline_reason = models.CharField(_("reason"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(fields=["session", "cadre"], name="invitation_unique")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} — {self.cadre_id}"


class Attendance(models.Model):
    """One record per session and cadre; every route (QR, sheet, meeting
    report, by hand) writes this same row through the services."""

    class Status(models.TextChoices):
        PRESENT = "co_mat", _("Present")
        LATE = "den_muon", _("Late")
        EXCUSED = "vang_co_ly_do", _("Absent with a reason")
        ABSENT = "vang", _("Absent")

    class Source(models.TextChoices):
        QR = "qr", _("QR check-in")
        CODE = "code", _("Typed code")
        SHEET = "sheet", _("Sign-in sheet")
        MEETING = "meeting", _("Meeting report")
        MANUAL = "manual", _("By hand")
        CADRE = "cadre", _("Told by the cadre")

    COUNTING = (Status.PRESENT, Status.LATE)
    # Rows the cadre wrote themself: when the session requires check-out they
    # count only once checked out. A sheet, a meeting report or an organiser's
    # tick is the organiser's word for the whole session.
    SELF_SOURCES = (Source.QR, Source.CODE)

    session = models.ForeignKey(
        TrainingSession, on_delete=models.PROTECT, related_name="attendances"
    )
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="training_attendances")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    checked_in_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_out_at = models.DateTimeField(_("checked out at"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("minutes present"), null=True, blank=True)
    walk_in = models.BooleanField(_("walk-in"), default=False)
    accepted = models.BooleanField(
        _("accepted"), default=True, help_text=_("A walk-in counts once the organiser accepts.")
    )
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), default=timezone.now)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoke_reason = models.TextField(_("revocation reason"), blank=True)

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "cadre"], name="attendance_unique")
        ]
        indexes = [models.Index(fields=["cadre", "status"])]

    def __str__(self) -> str:
        return f"{self.session_id} — {self.cadre_id}: {self.status}"

    @property
    def counts(self) -> bool:
        return (
            self.status in self.COUNTING
            and self.revoked_at is None
            and self.accepted
            and not self.awaits_checkout
        )

    @property
    def awaits_checkout(self) -> bool:
        """Checked in by the cadre, but the session also wants the check-out code."""
        return (
            self.checked_out_at is None
            and self.source in self.SELF_SOURCES
            and self.session.requires_checkout
        )


def checkout_satisfied() -> Q:
    """Attendance rows that the session's check-out rule does not hold back."""
    return (
        Q(session__requires_checkout=False)
        | Q(checked_out_at__isnull=False)
        | ~Q(source__in=Attendance.SELF_SOURCES)
    )


def counting_attendances():
    return Attendance.objects.filter(
        checkout_satisfied(),
        status__in=Attendance.COUNTING,
        revoked_at__isnull=True,
        accepted=True,
    )


class TrainingCompletion(models.Model):
    """A course completion that attendance caused: revoking the attendance
    revokes it, and reports can tell the route."""

    completion = models.OneToOneField(Completion, on_delete=models.PROTECT, related_name="training")
    cadre = models.ForeignKey(Cadre, on_delete=models.PROTECT, related_name="+")
    session = models.ForeignKey(
        TrainingSession, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    series = models.ForeignKey(
        TrainingSeries, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("completion by training")
        verbose_name_plural = _("completions by training")

    def __str__(self) -> str:
        return f"{self.completion_id}"


class AttendanceImport(models.Model):
    """A meeting attendee report on its way from upload to commit."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("Waiting for confirmation")
        DONE = "done", _("Imported")

    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(max_length=64)
    format = models.CharField(max_length=10)
    participants = models.JSONField(default=list)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    summary = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("attendee report import")
        verbose_name_plural = _("attendee report imports")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.file_name
