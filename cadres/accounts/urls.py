from django.urls import path

from .. import views
from . import views as views_accounts

urlpatterns = [
    path("kich-hoat/", views.activate, name="account_activate"),
    path("cua-toi/", views_accounts.account, name="account_overview"),
    path("thong-bao/", views_accounts.notifications, name="account_notifications"),
    path(
        "thong-bao/da-doc/",
        views_accounts.notifications_mark_read,
        name="account_notifications_mark_read",
    ),
]
