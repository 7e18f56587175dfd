from django.urls import path

from . import views

app_name = "certificates"
urlpatterns = [
    path("v/", views.lookup, name="lookup"),
    path("v/<str:code>/", views.verify, name="verify"),
    path("chung-nhan/", views.mine, name="mine"),
    path("chung-nhan/<int:pk>/tai-ve/", views.download, name="download"),
    path("chung-nhan/don-vi/", views.unit_certificates, name="unit"),
    path("chung-nhan/tai-hang-loat/<int:pk>/", views.export_status, name="export"),
    path("chung-nhan/tai-hang-loat/<int:pk>/tep/", views.export_download, name="export_file"),
]
