from django.urls import path

from . import views, views_roster

app_name = "cadres"
urlpatterns = [
    path("", views.roster, name="roster"),
    path("<int:pk>/", views_roster.cadre_detail, name="cadre_detail"),
    path("<int:pk>/chuyen-don-vi/", views_roster.cadre_move_view, name="cadre_move"),
    path("<int:pk>/nghi-viec/", views_roster.cadre_deactivate_view, name="cadre_deactivate"),
    path("<int:pk>/ma-kich-hoat/", views_roster.cadre_activation_view, name="cadre_activation"),
    path("nhap/", views_roster.import_upload, name="import_upload"),
    path("nhap/mau.xlsx", views_roster.import_template, name="import_template"),
    path("nhap/<int:pk>/", views_roster.import_detail, name="import_detail"),
    path("nhap/<int:pk>/dieu-chinh/", views_roster.import_configure, name="import_configure"),
    path("nhap/<int:pk>/xac-nhan/", views_roster.import_commit, name="import_commit"),
    path("ma-kich-hoat/", views_roster.activation_codes, name="activation_codes"),
    path("nhat-ky/", views_roster.audit_log, name="audit_log"),
    path("sap-xep-don-vi/", views_roster.restructuring_upload, name="restructuring_upload"),
    path(
        "sap-xep-don-vi/<int:pk>/",
        views_roster.restructuring_detail,
        name="restructuring_detail",
    ),
]
