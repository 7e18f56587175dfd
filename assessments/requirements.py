"""The courses completion requirement implemented by assessments."""

from courses.models import Enrolment

from .models import QuizPage


class RequiredQuizzesPassed:
    """Unmet while a live required quiz of the course has not been passed."""

    def unmet(self, *, enrolment: Enrolment) -> list[str]:
        from .selectors import quizzes_passed

        quizzes = list(
            QuizPage.objects.child_of(enrolment.course)
            .live()
            .filter(required_for_completion=True)
            .order_by("path")
        )
        if not quizzes:
            return []
        passed = quizzes_passed(enrolment.cadre, quizzes)
        return [quiz.title for quiz in quizzes if quiz.pk not in passed]


required_quizzes_passed = RequiredQuizzesPassed()
