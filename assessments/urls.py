from django.urls import path

from . import views

app_name = "assessments"
urlpatterns = [
    path("<int:quiz_id>/bat-dau/", views.attempt_start, name="start"),
    path("lan-lam/<int:pk>/", views.attempt_view, name="attempt"),
    path("lan-lam/<int:pk>/luu/", views.attempt_save, name="save"),
    path("lan-lam/<int:pk>/gui/", views.attempt_form, name="form"),
    path("lan-lam/<int:pk>/nop-bai/", views.attempt_submit, name="submit"),
    path("lan-lam/<int:pk>/ket-qua/", views.attempt_review, name="review"),
]
