from django.urls import path

from . import views

urlpatterns = [
    path("kich-hoat/", views.activate, name="account_activate"),
    path("cua-toi/", views.account, name="account_overview"),
    path("thong-bao/", views.notifications, name="account_notifications"),
    path(
        "thong-bao/da-doc/",
        views.notifications_mark_read,
        name="account_notifications_mark_read",
    ),
]
