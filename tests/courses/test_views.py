import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from cadres.models import AuditEvent
from courses import services
from courses.models import Completion, Enrolment, LessonCompletion, Programme, ProgrammeCourse

from .conftest import lessons_of, make_course

pytestmark = pytest.mark.django_db


def complete_url(lesson):
    return reverse("courses:lesson_complete", args=[lesson.pk])


def post_json(client, url, data=None):
    return client.post(url, data or {}, HTTP_ACCEPT="application/json")


# --- the completion endpoint ------------------------------------------------------


def test_enrolled_cadre_completes_a_lesson(client, cadre_user, enrolment, course):
    client.force_login(cadre_user)
    first = lessons_of(course)[0]
    response = post_json(client, complete_url(first))
    assert response.status_code == 200
    assert response.json() == {
        "ok": True,
        "course_completed": False,
        "next_url": "/khoa-hoc/khoa-thu/bai-2/",
    }
    assert LessonCompletion.objects.filter(enrolment=enrolment, lesson=first).exists()


def test_completion_without_javascript_redirects_to_the_next_lesson(
    client, cadre_user, enrolment, course
):
    client.force_login(cadre_user)
    response = client.post(complete_url(lessons_of(course)[0]))
    assert response.status_code == 302
    assert response["Location"] == "/khoa-hoc/khoa-thu/bai-2/"


def test_not_enrolled_cadre_is_refused_and_nothing_recorded(client, other_cadre_user, course):
    client.force_login(other_cadre_user)
    response = post_json(client, complete_url(lessons_of(course)[0]))
    assert response.status_code == 404
    assert not LessonCompletion.objects.exists()


def test_unpublished_lesson_is_refused_and_nothing_recorded(client, cadre_user, enrolment, course):
    first = lessons_of(course)[0]
    first.unpublish()
    client.force_login(cadre_user)
    assert post_json(client, complete_url(first)).status_code == 404
    assert not LessonCompletion.objects.exists()


def test_lesson_of_unpublished_course_is_refused(client, cadre_user, enrolment, course):
    course.unpublish(set_expired=False)
    first = lessons_of(course)[0]
    first.live = True
    first.save()
    client.force_login(cadre_user)
    assert post_json(client, complete_url(first)).status_code == 404
    assert not LessonCompletion.objects.exists()


def test_out_of_order_lesson_is_refused_and_nothing_recorded(client, cadre_user, enrolment, course):
    client.force_login(cadre_user)
    response = post_json(client, complete_url(lessons_of(course)[2]))
    assert response.status_code == 403
    assert "trước" in response.json()["error"]
    assert not LessonCompletion.objects.exists()


def test_completion_needs_post(client, cadre_user, enrolment, course):
    client.force_login(cadre_user)
    assert client.get(complete_url(lessons_of(course)[0])).status_code == 405
    assert not LessonCompletion.objects.exists()


def test_completion_needs_the_csrf_token(cadre_user, enrolment, course):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cadre_user)
    assert post_json(client, complete_url(lessons_of(course)[0])).status_code == 403
    assert not LessonCompletion.objects.exists()


def test_completion_needs_a_login(client, course):
    response = client.post(complete_url(lessons_of(course)[0]))
    assert response.status_code == 302
    assert not LessonCompletion.objects.exists()


def test_replayed_completion_requests_record_once(client, cadre_user, enrolment, course):
    client.force_login(cadre_user)
    for _ in range(3):
        assert post_json(client, complete_url(lessons_of(course)[0])).status_code == 200
    assert LessonCompletion.objects.count() == 1


def test_last_lesson_reports_the_course_completed(client, cadre_user, enrolment, course):
    client.force_login(cadre_user)
    for lesson in lessons_of(course):
        response = post_json(client, complete_url(lesson))
    assert response.json()["course_completed"] is True
    assert Completion.objects.filter(enrolment=enrolment).count() == 1


def test_video_event_rejects_unknown_events(client, cadre_user, index, cadre):
    course = make_course(index, slug="video", video_seconds=60)
    services.enrolment_create(cadre=cadre, course=course, source="self")
    client.force_login(cadre_user)
    url = reverse("courses:lesson_video", args=[lessons_of(course)[0].pk])
    assert post_json(client, url, {"event": "skip"}).status_code == 400
    assert post_json(client, url, {"event": "start"}).json() == {"ok": True, "finished": False}
    assert post_json(client, url, {"event": "end"}).status_code == 403


# --- pages ----------------------------------------------------------------------------


def test_lesson_page_needs_a_login(client, course):
    response = client.get("/khoa-hoc/khoa-thu/bai-1/")
    assert response.status_code == 302
    assert "dang-nhap" in response["Location"] or "login" in response["Location"]


def test_lesson_page_shows_content_and_the_complete_button(client, cadre_user, enrolment):
    client.force_login(cadre_user)
    html = client.get("/khoa-hoc/khoa-thu/bai-1/").content.decode()
    assert "Nội dung bài 1" in html
    assert "Hoàn thành bài học" in html
    assert "Tự kiểm tra" in html


def test_locked_lesson_page_hides_content_and_points_to_the_next_lesson(
    client, cadre_user, enrolment
):
    client.force_login(cadre_user)
    html = client.get("/khoa-hoc/khoa-thu/bai-3/").content.decode()
    assert "Nội dung bài 3" not in html
    assert "sẽ mở khi" in html
    assert 'href="/khoa-hoc/khoa-thu/bai-1/"' in html


def test_course_page_shows_lesson_status(client, cadre_user, enrolment, course):
    services.lesson_complete(enrolment=enrolment, lesson=lessons_of(course)[0])
    client.force_login(cadre_user)
    html = client.get("/khoa-hoc/khoa-thu/").content.decode()
    assert "đã học" in html
    assert "chưa mở" in html
    assert "Đã học 1/3 bài" in html


def test_lesson_page_query_count_does_not_grow_with_lessons_or_learners(
    client, cadre_user, cadre, index, tree
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_cadre

    counts = []
    for n, others in ((3, 0), (12, 20)):
        course = make_course(index, slug=f"k{n}", lessons=n, revisions=True)
        enrolment = services.enrolment_create(cadre=cadre, course=course, source="self")
        for _ in range(others):
            services.enrolment_create(
                cadre=make_cadre(tree["la_bang"]), course=course, source="self"
            )
        services.lesson_complete(enrolment=enrolment, lesson=lessons_of(course)[0])
        client.force_login(cadre_user)
        url = f"/khoa-hoc/k{n}/bai-2/"
        client.get(url)  # fills the body cache
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]


def test_catalogue_lists_published_courses(client, cadre_user, index):
    make_course(index, slug="mot")
    hidden = make_course(index, slug="hai")
    hidden.unpublish()
    client.force_login(cadre_user)
    html = client.get("/khoa-hoc/").content.decode()
    assert "Khóa học mot" in html
    assert "Khóa học hai" not in html


def test_cadre_self_enrols_in_an_optional_course(client, cadre_user, course):
    client.force_login(cadre_user)
    response = client.post(reverse("courses:course_enrol", args=[course.pk]))
    assert response.status_code == 302
    assert Enrolment.objects.filter(cadre__user=cadre_user, source="self").exists()


def test_self_enrolment_refused_for_a_course_that_does_not_allow_it(client, cadre_user, index):
    course = make_course(index, slug="bat-buoc", self_enrol=False)
    client.force_login(cadre_user)
    client.post(reverse("courses:course_enrol", args=[course.pk]))
    assert not Enrolment.objects.exists()


# --- home: "Khóa học của tôi" ---------------------------------------------------------


def test_home_lists_assigned_courses_first_with_deadline_then_optional(
    client, cadre_user, cadre, index, tree
):
    optional = make_course(index, slug="tu-chon")
    required = make_course(index, slug="bat-buoc")
    services.enrolment_create(cadre=cadre, course=optional, source="self")
    programme = Programme.objects.create(
        name="Kỹ năng số cơ bản 2025", unit=tree["province"], deadline=dt.date(2025, 12, 31)
    )
    ProgrammeCourse.objects.create(programme=programme, course=required)
    services.programme_assign(programme=programme)
    client.force_login(cadre_user)
    html = client.get("/").content.decode()
    assert html.index("Được giao") < html.index("Khóa học bat-buoc")
    assert html.index("Khóa học bat-buoc") < html.index("Khóa học tự chọn")
    assert html.index("Khóa học tự chọn") < html.index("Khóa học tu-chon")
    assert "Hạn hoàn thành: 31/12/2025" in html


def test_home_resume_button_goes_to_the_next_unfinished_lesson(
    client, cadre_user, enrolment, course
):
    services.lesson_complete(enrolment=enrolment, lesson=lessons_of(course)[0])
    client.force_login(cadre_user)
    html = client.get("/").content.decode()
    assert 'href="/khoa-hoc/khoa-thu/bai-2/"' in html
    assert "Học tiếp" in html
    assert 'aria-valuenow="33"' in html


def test_home_shows_a_finished_course_with_its_date(client, cadre_user, enrolment, course):
    for lesson in lessons_of(course):
        services.lesson_complete(enrolment=enrolment, lesson=lesson)
    client.force_login(cadre_user)
    html = client.get("/").content.decode()
    assert "Đã hoàn thành ngày" in html
    assert "Học tiếp" not in html


# --- manual completion UI --------------------------------------------------------------


def test_hr_officer_records_a_completion_in_the_ui(client, hr_la_bang, enrolment):
    client.force_login(hr_la_bang)
    page = client.get(reverse("courses:learner", args=[enrolment.cadre_id]))
    assert "Ghi nhận đã hoàn thành" in page.content.decode()
    response = client.post(
        reverse("courses:completion_record", args=[enrolment.pk]), {"reason": "Lớp tập trung"}
    )
    assert response.status_code == 302
    completion = Completion.objects.get(enrolment=enrolment)
    assert completion.reason == "Lớp tập trung"
    assert AuditEvent.objects.filter(action="completion.manual", actor=hr_la_bang).exists()


def test_hr_officer_of_another_commune_gets_404_in_the_ui(client, hr_dai_phuc, enrolment):
    client.force_login(hr_dai_phuc)
    assert client.get(reverse("courses:learner", args=[enrolment.cadre_id])).status_code == 404
    response = client.post(
        reverse("courses:completion_record", args=[enrolment.pk]), {"reason": "Lớp"}
    )
    assert response.status_code == 404
    assert not Completion.objects.exists()


def test_learner_cannot_open_the_completion_ui(client, cadre_user, enrolment):
    client.force_login(cadre_user)
    assert client.get(reverse("courses:learners")).status_code == 404
    assert (
        client.post(
            reverse("courses:completion_record", args=[enrolment.pk]), {"reason": "x"}
        ).status_code
        == 404
    )


def test_empty_reason_is_refused_with_a_message(client, trainer, enrolment):
    client.force_login(trainer)
    response = client.post(
        reverse("courses:completion_record", args=[enrolment.pk]), {"reason": "  "}, follow=True
    )
    assert "Hãy nhập lý do." in response.content.decode()
    assert not Completion.objects.exists()


def test_trainer_revokes_a_completion_in_the_ui(client, trainer, enrolment, course):
    for lesson in lessons_of(course):
        services.lesson_complete(enrolment=enrolment, lesson=lesson)
    completion = Completion.objects.get()
    client.force_login(trainer)
    client.post(
        reverse("courses:completion_revoke", args=[completion.pk]), {"reason": "Nhầm người"}
    )
    completion.refresh_from_db()
    assert completion.revoke_reason == "Nhầm người"


def test_trainer_finds_a_learner_ignoring_diacritics(client, trainer, enrolment):
    client.force_login(trainer)
    html = client.get(reverse("courses:learners"), {"q": "nguyen hoa"}).content.decode()
    assert "Nguyễn Thị Hoa" in html


# --- the lesson page and its required video ---------------------------------------


@pytest.fixture
def video_lesson(cadre, index):
    course = make_course(index, slug="video", video_seconds=120)
    enrolment = services.enrolment_create(cadre=cadre, course=course, source="self")
    return enrolment, lessons_of(course)[0]


def _complete_button(response) -> str:
    html = response.content.decode()
    start = html.index('id="complete-button"')
    return html[start : html.index(">", start)]


def test_lesson_page_disables_completing_until_the_video_is_watched(
    client, cadre_user, video_lesson
):
    _enrolment, lesson = video_lesson
    client.force_login(cadre_user)
    response = client.get(lesson.url)
    assert response.context["video_required"] is True
    assert response.context["video_done"] is False
    assert "disabled" in _complete_button(response)


def test_lesson_page_enables_completing_once_the_video_is_watched(client, cadre_user, video_lesson):
    enrolment, lesson = video_lesson
    start = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=3)
    services.lesson_video_event(enrolment=enrolment, lesson=lesson, event="start", at=start)
    services.lesson_video_event(enrolment=enrolment, lesson=lesson, event="end")
    client.force_login(cadre_user)
    response = client.get(lesson.url)
    assert response.context["video_done"] is True
    assert "disabled" not in _complete_button(response)
