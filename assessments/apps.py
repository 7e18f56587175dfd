from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AssessmentsConfig(AppConfig):
    name = "assessments"
    verbose_name = _("Assessments")
    # Content for ``make run``, loaded by ``manage.py seed_demo``.
    demo_loader = "assessments.demo.load"

    def ready(self) -> None:
        from courses import requirements

        from .requirements import quiz_steps, required_quizzes_passed

        requirements.register(required_quizzes_passed)
        requirements.register_steps(quiz_steps)
