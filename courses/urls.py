from django.urls import path

from . import views

app_name = "courses"
urlpatterns = [
    path("bai-hoc/<int:lesson_id>/hoan-thanh/", views.lesson_complete, name="lesson_complete"),
    path("bai-hoc/<int:lesson_id>/video/", views.lesson_video, name="lesson_video"),
    path("khoa-hoc/<int:course_id>/dang-ky/", views.course_enrol, name="course_enrol"),
    path("hoc-vien/", views.learners, name="learners"),
    path("hoc-vien/<int:cadre_id>/", views.learner_detail, name="learner"),
    path(
        "dang-ky/<int:enrolment_id>/ghi-nhan-hoan-thanh/",
        views.completion_record,
        name="completion_record",
    ),
    path(
        "hoan-thanh/<int:completion_id>/thu-hoi/",
        views.completion_revoke,
        name="completion_revoke",
    ),
]
