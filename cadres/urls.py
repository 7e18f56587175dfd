from django.urls import path

from . import views

app_name = "cadres"
urlpatterns = [
    path("", views.roster, name="roster"),
]
