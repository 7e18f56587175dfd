from django.urls import path

from . import views
from .roster import views as views_roster
from .roster.importing import views as import_views
from .units import views as units_views

app_name = "cadres"
urlpatterns = [
    path("", views.roster, name="roster"),
    path("<int:pk>/", views_roster.cadre_detail, name="cadre_detail"),
    path("<int:pk>/chuyen-don-vi/", views_roster.cadre_move_view, name="cadre_move"),
    path("<int:pk>/nghi-viec/", views_roster.cadre_deactivate_view, name="cadre_deactivate"),
    path("<int:pk>/ma-kich-hoat/", views_roster.cadre_activation_view, name="cadre_activation"),
    path("nhap/", import_views.import_upload, name="import_upload"),
    path("nhap/mau.xlsx", import_views.import_template, name="import_template"),
    path("nhap/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("nhap/<int:pk>/dieu-chinh/", import_views.import_configure, name="import_configure"),
    path("nhap/<int:pk>/xac-nhan/", import_views.import_commit, name="import_commit"),
    path("ma-kich-hoat/", views_roster.activation_codes, name="activation_codes"),
    path("ma-kich-hoat/<int:pk>/", views_roster.activation_batch_view, name="activation_batch"),
    path(
        "ma-kich-hoat/<int:pk>/tai-ve/",
        views_roster.activation_batch_download,
        name="activation_batch_download",
    ),
    path("nhat-ky/", views_roster.audit_log, name="audit_log"),
    path("sap-xep-don-vi/", units_views.restructuring_upload, name="restructuring_upload"),
    path(
        "sap-xep-don-vi/<int:pk>/",
        units_views.restructuring_detail,
        name="restructuring_detail",
    ),
]
