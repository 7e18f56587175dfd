import pytest

from courses.models import CoursePage, Enrolment, LessonPage
from courses.services import course_index_ensure, enrolment_create


def make_course(
    index,
    *,
    slug: str = "khoa-thu",
    lessons: int = 3,
    sequential: bool = True,
    rule: str = CoursePage.CompletionRule.LESSONS_AND_QUIZZES,
    self_enrol: bool = True,
    video_seconds: int | None = None,
    revisions: bool = False,
) -> CoursePage:
    """A live course with live lessons "bai-1" … ; the first lesson may carry a
    required video of ``video_seconds``."""
    course = index.add_child(
        instance=CoursePage(
            title=f"Khóa học {slug}",
            slug=slug,
            sequential=sequential,
            completion_rule=rule,
            self_enrol=self_enrol,
        )
    )
    if revisions:
        course.save_revision().publish()
    for number in range(1, lessons + 1):
        body = [
            ("heading", f"Mục {number}"),
            ("paragraph", f"<p>Nội dung bài {number}: nhận diện lừa đảo trực tuyến.</p>"),
            ("callout", {"title": "Ghi nhớ", "body": "<ul><li>Không cung cấp OTP.</li></ul>"}),
            (
                "inline_check",
                {
                    "question": f"Câu hỏi {number}?",
                    "options": ["Có", "Không"],
                    "correct_index": 2,
                    "explanation": "",
                },
            ),
        ]
        if number == 1 and video_seconds is not None:
            body.append(
                (
                    "video",
                    {
                        "embed": None,
                        "document": None,
                        "duration_seconds": video_seconds,
                        "must_finish": True,
                        "transcript": "Lời thoại video.",
                    },
                )
            )
        lesson = course.add_child(
            instance=LessonPage(title=f"Bài {number}", slug=f"bai-{number}", body=body)
        )
        if revisions:
            lesson.save_revision().publish()
    return course


def lessons_of(course) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).order_by("path"))


@pytest.fixture
def index(db):
    return course_index_ensure()


@pytest.fixture
def course(index):
    return make_course(index)


@pytest.fixture
def cadre(cadre_user):
    return cadre_user.cadre


@pytest.fixture
def enrolment(cadre, course):
    return enrolment_create(cadre=cadre, course=course, source=Enrolment.Source.SELF)
