from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Training sessions")
    # Content for ``make run``, loaded by ``manage.py seed_demo``.
    demo_loader = "trainings.demo.load"

    def ready(self) -> None:
        from courses import home_sections, requirements

        from .requirements import attended_session, training_origin
        from .views import home_section

        requirements.register_route(attended_session)
        requirements.register_origin(training_origin)
        home_sections.register(home_section)
