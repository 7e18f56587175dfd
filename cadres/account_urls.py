from django.urls import path

from . import views

urlpatterns = [
    path("kich-hoat/", views.activate, name="account_activate"),
]
