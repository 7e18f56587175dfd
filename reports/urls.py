from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.report, name="report"),
    path("tong-quan/", views.dashboard, name="dashboard"),
    path("don-vi/<int:unit_id>/", views.unit_cadres, name="unit_cadres"),
    path("don-vi/<int:unit_id>/can-bo.xlsx", views.unit_cadres_xlsx, name="unit_cadres_xlsx"),
    path("don-vi/<int:unit_id>/chua-hoan-thanh/", views.unit_incomplete, name="unit_incomplete"),
    path("xuat/pdf/", views.export_pdf, name="export_pdf"),
    path("xuat/<str:fmt>/", views.export_create, name="export"),
    path("tai-xuong/<int:pk>/", views.export_status, name="export_status"),
    path("tai-xuong/<int:pk>/tep/", views.export_download, name="export_file"),
    path("chot-so-lieu/", views.snapshot_freeze, name="snapshot_freeze"),
    path("so-lieu-da-chot/", views.snapshot_list, name="snapshots"),
    path("so-lieu-da-chot/<int:pk>/", views.snapshot_detail, name="snapshot"),
]
