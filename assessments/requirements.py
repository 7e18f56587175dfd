"""The courses completion requirement implemented by assessments."""

from courses.models import Enrolment


class RequiredQuizzesPassed:
    """Unmet while a live required quiz of the course has not been passed."""

    def unmet(self, *, enrolment: Enrolment) -> list[str]:
        from .selectors import quizzes_passed, required_quizzes

        quizzes = required_quizzes(enrolment.course)
        if not quizzes:
            return []
        passed = quizzes_passed(enrolment.cadre, quizzes)
        return [quiz.title for quiz in quizzes if quiz.pk not in passed]


required_quizzes_passed = RequiredQuizzesPassed()
