"""Reads for the learning side, scoped to the acting user; every name other apps
and templates use is importable from here (``from courses.selectors import
page_url``).

``outline`` (a course's lessons and steps in order, from the tree cache),
``learners`` (the acting learner's enrolments, progress and standing),
``manual_completion`` (whose completions a manager may record or revoke) and
``programmes`` (whom a programme covers, who manages it).

Every list here costs a fixed number of queries, whatever the number of
lessons, courses or enrolments.
"""

from .learners import (
    CourseStanding,
    LearnerCourse,
    LearnerProgress,
    catalogue_courses,
    course_for_learner,
    course_standing,
    enrolments_of,
    learner_courses,
    learner_enrolment,
    learner_progress,
    lesson_for_learner,
    lesson_video_finished,
    overdue,
)
from .manual_completion import (
    cadre_enrolments,
    cadre_for_manager,
    cadre_unit_name,
    cadres_manageable_by,
    completion_for_manager,
    enrolment_for_manager,
    may_manage_completion,
)
from .outline import (
    CourseInTree,
    LessonStep,
    Outline,
    PageLink,
    course_in_tree,
    course_lessons,
    course_outline,
    lesson_after_url,
    lesson_outline,
    next_page,
    outline_with_steps,
    page_url,
)
from .programmes import (
    programme_for_manager,
    programme_population,
    programmes_applying_to,
    programmes_over,
    programmes_visible_to,
)

__all__ = [
    "CourseInTree",
    "CourseStanding",
    "LearnerCourse",
    "LearnerProgress",
    "LessonStep",
    "Outline",
    "PageLink",
    "cadre_enrolments",
    "cadre_for_manager",
    "cadre_unit_name",
    "cadres_manageable_by",
    "catalogue_courses",
    "completion_for_manager",
    "course_for_learner",
    "course_in_tree",
    "course_lessons",
    "course_outline",
    "course_standing",
    "enrolment_for_manager",
    "enrolments_of",
    "learner_courses",
    "learner_enrolment",
    "learner_progress",
    "lesson_after_url",
    "lesson_for_learner",
    "lesson_outline",
    "lesson_video_finished",
    "may_manage_completion",
    "next_page",
    "outline_with_steps",
    "overdue",
    "page_url",
    "programme_for_manager",
    "programme_population",
    "programmes_applying_to",
    "programmes_over",
    "programmes_visible_to",
]
