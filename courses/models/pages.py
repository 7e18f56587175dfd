"""The course tree's pages: the catalogue, its courses, their lessons."""

import hashlib

from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.http import Http404
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.url_routing import RouteResult

from .. import tree_cache
from ..blocks import LessonBodyBlock
from .page_mixins import AsciiSlugMixin, StaleRevisionGuardMixin, TreeCachedRestrictionsMixin


class CourseIndexPage(StaleRevisionGuardMixin, AsciiSlugMixin, TreeCachedRestrictionsMixin, Page):
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
        from ..selectors import catalogue_courses, enrolments_of

        context = super().get_context(request, *args, **kwargs)
        context["courses"] = catalogue_courses()
        context["enrolled_ids"] = set(
            enrolments_of(request.user).values_list("course_id", flat=True)
        )
        return context


class CoursePage(StaleRevisionGuardMixin, AsciiSlugMixin, TreeCachedRestrictionsMixin, Page):
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
        from ..selectors import course_outline, learner_enrolment, overdue

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


class LessonPage(StaleRevisionGuardMixin, AsciiSlugMixin, TreeCachedRestrictionsMixin, Page):
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
        from ..selectors import (
            course_in_tree,
            learner_progress,
            lesson_outline,
            lesson_video_finished,
            next_page,
        )

        context = super().get_context(request, *args, **kwargs)
        preview = getattr(request, "is_preview", False)
        course = course_in_tree(self.path[: -self.steplen])
        progress = learner_progress(request.user, course.pk)
        outline = lesson_outline(self, progress.done, sequential=course.sequential)
        step = next((s for s in outline.steps if s.pk == self.pk), None)
        before, _after = outline.neighbours(self.pk)
        after = next_page(course, self.pk, course_completed=progress.completed)
        body_html, video_seconds = self.rendered_body(preview=preview)
        video_done = (
            progress.enrolment_id is not None
            and video_seconds is not None
            and lesson_video_finished(progress.enrolment_id, self.pk)
        )
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
