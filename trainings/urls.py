from django.urls import path

from . import views

app_name = "trainings"

urlpatterns = [
    path("", views.session_list, name="list"),
    path("d/<int:session_id>/<int:window>/<str:signature>/", views.checkin, name="checkin"),
    path("ra/<int:session_id>/<int:window>/<str:signature>/", views.checkout, name="checkout"),
    path("bao-cao/", views.period_report, name="period_report"),
    path("bao-cao/bao-cao.pdf", views.period_report_pdf, name="period_report_pdf"),
    path("bao-cao/bao-cao.xlsx", views.period_report_xlsx, name="period_report_xlsx"),
    path("diem-danh/", views.checkin_code, name="checkin_code"),
    path("diem-danh/tiep-tuc/", views.checkin_continue, name="checkin_continue"),
    path("diem-danh-ra/", views.checkout_code, name="checkout_code"),
    path("diem-danh-ra/tiep-tuc/", views.checkout_continue, name="checkout_continue"),
    path("<int:session_id>/", views.session_detail, name="detail"),
    path("<int:session_id>/lich.ics", views.session_calendar, name="calendar"),
    path("<int:session_id>/khong-tham-du/", views.session_decline, name="decline"),
    path("<int:session_id>/quan-ly/", views.session_manage, name="manage"),
    path("<int:session_id>/moi/", views.session_invite, name="invite"),
    path("<int:session_id>/qr/", views.session_qr, name="qr"),
    path("<int:session_id>/qr.json", views.session_qr_data, name="qr_data"),
    path("<int:session_id>/so-ky.pdf", views.session_sheet, name="sheet"),
    path("<int:session_id>/diem-danh.xlsx", views.session_export, name="export"),
    path("<int:session_id>/bao-cao.pdf", views.session_report_pdf, name="report_pdf"),
    path("<int:session_id>/nhap/", views.import_upload, name="import_upload"),
    path("<int:session_id>/nhap/<int:import_id>/", views.import_detail, name="import_detail"),
    path(
        "<int:session_id>/diem-danh/<int:attendance_id>/chap-nhan/",
        views.attendance_accept,
        name="accept",
    ),
    path(
        "<int:session_id>/diem-danh/<int:attendance_id>/thu-hoi/",
        views.attendance_revoke,
        name="revoke",
    ),
]
