"""What assessments tells courses through ``courses.requirements``: whether the
required quizzes are passed, and each quiz of a course as a step of its outline."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cadres.figures import figure
from courses.models import Enrolment
from courses.requirements import CourseStep, StepState
from courses.selectors import page_url


class RequiredQuizzesPassed:
    """Unmet while a live required quiz of the course has not been passed."""

    def unmet(self, *, enrolment: Enrolment) -> list[str]:
        from .selectors import quizzes_passed, required_quizzes

        quizzes = required_quizzes(enrolment.course)
        if not quizzes:
            return []
        passed = quizzes_passed(enrolment.cadre, quizzes)
        return [quiz.title for quiz in quizzes if quiz.pk not in passed]

    def unmet_many(self, *, enrolments: list[Enrolment]) -> dict[int, list[str]]:
        """``unmet`` of each enrolment: one query for the quizzes of each course,
        one for every cadre's finished attempts at them."""
        from .models import Attempt
        from .selectors import counting_attempt, required_quizzes

        out: dict[int, list[str]] = {e.pk: [] for e in enrolments}
        quizzes_of = {}
        for enrolment in enrolments:
            if enrolment.course_id not in quizzes_of:
                quizzes_of[enrolment.course_id] = required_quizzes(enrolment.course)
        quizzes = [quiz for found in quizzes_of.values() for quiz in found]
        if not quizzes:
            return out
        attempts: dict[tuple[int, int], list] = defaultdict(list)
        for attempt in Attempt.objects.filter(
            cadre_id__in={e.cadre_id for e in enrolments},
            quiz__in=quizzes,
            state=Attempt.State.FINISHED,
        ):
            attempts[attempt.cadre_id, attempt.quiz_id].append(attempt)
        for enrolment in enrolments:
            for quiz in quizzes_of[enrolment.course_id]:
                counted = counting_attempt(quiz, attempts.get((enrolment.cadre_id, quiz.pk), []))
                if counted is None or not counted.passed:
                    out[enrolment.pk].append(quiz.title)
        return out


required_quizzes_passed = RequiredQuizzesPassed()


def _percent(value: Decimal) -> str:
    return figure(round(value, 1)) + "%"


class QuizSteps:
    """Each live quiz of a course, with where the cadre stands: two queries for
    any number of courses."""

    def steps(self, *, course_paths: list[str], cadre) -> dict[str, list[CourseStep]]:
        from .models import Attempt, QuizPage
        from .selectors import counting_attempt

        out: dict[str, list[CourseStep]] = {path: [] for path in course_paths}
        if not course_paths:
            return out
        where = Q()
        for path in course_paths:
            where |= Q(path__startswith=path, depth=len(path) // QuizPage.steplen + 1)
        quizzes = list(QuizPage.objects.live().filter(where).order_by("path"))
        if not quizzes:
            return out
        attempts: dict[int, list[Attempt]] = defaultdict(list)
        if cadre is not None:
            for attempt in Attempt.objects.filter(cadre=cadre, quiz__in=quizzes).order_by("number"):
                attempts[attempt.quiz_id].append(attempt)
        now = timezone.now()
        for quiz in quizzes:
            mine = attempts.get(quiz.pk, [])
            step = self._step(quiz, mine, counting_attempt(quiz, mine), now)
            out.setdefault(quiz.path[: -quiz.steplen], []).append(step)
        return out

    @staticmethod
    def _step(quiz, attempts, counted, now) -> CourseStep:
        from .models import Attempt

        used = len(attempts)
        left = max(0, quiz.attempts_allowed - used) if quiz.attempts_allowed else None
        open_attempt = any(a.state == Attempt.State.IN_PROGRESS for a in attempts)
        step = CourseStep(
            pk=quiz.pk,
            title=quiz.title,
            url=page_url(quiz.url_path),
            path=quiz.path,
            required=quiz.required_for_completion,
            attempts_used=used,
            attempts_left=left,
            can_start=quiz.is_open(now) and (left is None or left > 0),
        )
        score = _percent(counted.percent) if counted is not None and quiz.review_score else ""
        if counted is not None and counted.passed:
            step.state = StepState.PASSED
            step.status = _("Passed · %(score)s") % {"score": score} if score else _("Passed")
        elif open_attempt:
            step.state = StepState.IN_PROGRESS
            step.status = _("Attempt in progress")
        elif used == 0:
            step.state = StepState.NOT_STARTED
            step.status = _("Not started") if step.can_start else _("Not open")
        else:
            step.state = StepState.FAILED if step.can_start else StepState.EXHAUSTED
            tried = _("Not passed · %(score)s") % {"score": score} if score else _("Not passed")
            if left is None:
                step.status = tried
            elif left:
                step.status = _("%(tried)s · %(used)s of %(allowed)s attempts used") % {
                    "tried": tried,
                    "used": figure(used),
                    "allowed": figure(quiz.attempts_allowed),
                }
            else:
                step.status = _("%(tried)s · no attempt left") % {"tried": tried}
        return step


quiz_steps = QuizSteps()
