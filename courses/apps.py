from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")
    # Content for ``make run``, loaded by ``manage.py seed_demo``.
    demo_loader = "courses.demo.load"

    def ready(self) -> None:
        from . import receivers  # noqa: F401
