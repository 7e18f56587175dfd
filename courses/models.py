import hashlib

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageViewRestriction
from wagtail.url_routing import RouteResult

from cadres.models import Cadre, OrgUnit

from . import tree_cache
from .blocks import LessonBodyBlock


class TreeCachedRestrictionsMixin:
    """View restrictions without two queries per request when none apply.

    Wagtail checks a page's and its ancestors' privacy settings on every
    serve. The paths of restricted pages are cached with the page tree; a page
    under none of them (and not an alias, whose source decides) has none.
    """

    def get_view_restrictions(self):
        restricted = tree_cache.cached(
            "restricted-paths",
            lambda: list(PageViewRestriction.objects.values_list("page__path", flat=True)),
        )
        if self.alias_of_id is None and not any(self.path.startswith(p) for p in restricted):
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class CourseIndexPage(TreeCachedRestrictionsMixin, Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    subpage_types = ["courses.CoursePage"]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("course catalogue")
        verbose_name_plural = _("course catalogue")

    def route(self, request, path_components):
        """Find a course or lesson by its URL path, from the tree cache.

        Wagtail walks the tree one level at a time (two queries a level); the
        course tree is shallow and every page has its ``url_path``, so one
        query finds the page, and the tree cache keeps it until the tree
        changes (publishing, unpublishing and expiry included).
        """
        if not path_components:
            return super().route(request, path_components)
        url_path = self.url_path + "/".join(path_components) + "/"

        def build() -> Page | None:
            found = (
                Page.objects.filter(path__startswith=self.path, url_path=url_path)
                .values_list("pk", "content_type_id")
                .first()
            )
            if found is None:
                return None
            model = ContentType.objects.get_for_id(found[1]).model_class()
            return model.objects.filter(pk=found[0]).first() if model else None

        key = hashlib.sha256(f"{self.pk}:{url_path}".encode()).hexdigest()
        page = tree_cache.cached(f"route:{key}", build)
        if page is None or not page.live:
            raise Http404
        return RouteResult(page)

    def get_context(self, request, *args, **kwargs):
        from .selectors import catalogue_courses, enrolments_of

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = catalogue_courses()
        context["enrolled_ids"] = set(
            enrolments_of(request.user).values_list("course_id", flat=True)
        )
        return context


class CoursePage(TreeCachedRestrictionsMixin, Page):
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

    @property
    def topic_list(self) -> list[str]:
        return [t.strip() for t in self.topics.split(",") if t.strip()]

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_outline, learner_enrolment, overdue

        context = super().get_context(request, *args, **kwargs)
        enrolment = learner_enrolment(request.user, self.pk)
        outline = course_outline(self, enrolment)
        deadline = (
            enrolment.programme.deadline if enrolment is not None and enrolment.programme else None
        )
        context.update(
            enrolment=enrolment,
            outline=outline,
            can_self_enrol=(
                enrolment is None and self.self_enrol and request.user.is_authenticated
            ),
            deadline=deadline,
            overdue=enrolment is not None
            and overdue(deadline, completed=enrolment.completed_at is not None),
        )
        return context


class LessonPage(TreeCachedRestrictionsMixin, Page):
    body = StreamField(LessonBodyBlock(), verbose_name=_("content"), blank=True)
    estimated_minutes = models.PositiveIntegerField(_("estimated time (minutes)"), default=10)

    content_panels = [*Page.content_panels, FieldPanel("estimated_minutes"), FieldPanel("body")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("lesson")
        verbose_name_plural = _("lesson")

    def serve(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)

    def rendered_body(self, *, preview: bool = False) -> tuple[str, int | None]:
        """The body's HTML and :meth:`required_video_seconds`, the same for every
        learner: kept in the tree cache, which any save of a page renews."""

        def render() -> tuple[str, int | None]:
            return str(self.body.render_as_block()), self.required_video_seconds()

        if preview:
            return render()
        return tree_cache.cached(f"lesson-body:{self.pk}:{get_language()}", render)

    def get_context(self, request, *args, **kwargs):
        from .selectors import course_in_tree, learner_progress, lesson_outline, next_page

        context = super().get_context(request, *args, **kwargs)
        preview = getattr(request, "is_preview", False)
        course = course_in_tree(self.path[: -self.steplen])
        progress = learner_progress(request.user, course.pk)
        outline = lesson_outline(self, progress.done, sequential=course.sequential)
        step = next((s for s in outline.steps if s.pk == self.pk), None)
        before, _after = outline.neighbours(self.pk)
        after = next_page(course, self.pk, course_completed=progress.completed)
        body_html, video_seconds = self.rendered_body(preview=preview)
        video_done = False
        if progress.enrolment_id is not None and video_seconds is not None:
            video_done = LessonVideoProgress.objects.filter(
                enrolment_id=progress.enrolment_id, lesson=self, finished_at__isnull=False
            ).exists()
        context.update(
            course=course,
            enrolled=progress.enrolment_id is not None,
            outline=outline,
            done=bool(step and step.done),
            locked=bool(step and step.locked and not preview),
            previous_step=before,
            next_step=after,
            video_required=video_seconds is not None,
            video_done=video_done,
            body_html=body_html,
        )
        return context

    def required_video_seconds(self) -> int | None:
        """None when no video must be watched; else the longest such video's
        declared duration (0 when the trainer gave none)."""
        durations = [
            block.value.get("duration_seconds") or 0
            for block in self.body
            if block.block_type == "video" and block.value.get("must_finish")
        ]
        return max(durations) if durations else None


class PopulationFilter(models.Model):
    """Which cadres of a unit subtree are meant: all, or only full-time ones,
    or only some positions. Programmes and report targets both narrow their
    population this way."""

    full_time_only = models.BooleanField(_("full-time cadres only"), default=False)
    positions = models.CharField(
        _("positions"),
        max_length=255,
        blank=True,
        help_text=_("Comma-separated; leave empty for every position."),
    )

    class Meta:
        abstract = True

    @property
    def position_list(self) -> list[str]:
        return [p.strip() for p in self.positions.split(",") if p.strip()]


class Programme(ClusterableModel, PopulationFilter):
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
