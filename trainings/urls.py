from django.urls import path

from .views import attendee_import, cadre, checkin, organisers, reports

app_name = "trainings"

# The check-in and check-out pages are the same views, told the direction here.
IN, OUT = {"way": checkin.CHECK_IN}, {"way": checkin.CHECK_OUT}

urlpatterns = [
    path("", organisers.session_list, name="list"),
    path("d/<int:session_id>/<int:window>/<str:signature>/", checkin.scanned, IN, name="checkin"),
    path(
        "ra/<int:session_id>/<int:window>/<str:signature>/", checkin.scanned, OUT, name="checkout"
    ),
    path("bao-cao/", reports.period_report, name="period_report"),
    path("bao-cao/bao-cao.pdf", reports.period_report_pdf, name="period_report_pdf"),
    path("bao-cao/bao-cao.xlsx", reports.period_report_xlsx, name="period_report_xlsx"),
    path("diem-danh/", checkin.typed, IN, name="checkin_code"),
    path("diem-danh/tiep-tuc/", checkin.continued, IN, name="checkin_continue"),
    path("diem-danh-ra/", checkin.typed, OUT, name="checkout_code"),
    path("diem-danh-ra/tiep-tuc/", checkin.continued, OUT, name="checkout_continue"),
    path("<int:session_id>/", cadre.session_detail, name="detail"),
    path("<int:session_id>/lich.ics", cadre.session_calendar, name="calendar"),
    path("<int:session_id>/khong-tham-du/", cadre.session_decline, name="decline"),
    path("<int:session_id>/quan-ly/", organisers.session_manage, name="manage"),
    path("<int:session_id>/moi/", organisers.session_invite, name="invite"),
    path("<int:session_id>/qr/", checkin.session_qr, name="qr"),
    path("<int:session_id>/qr.json", checkin.session_qr_data, name="qr_data"),
    path("<int:session_id>/so-ky.pdf", reports.session_sheet, name="sheet"),
    path("<int:session_id>/diem-danh.xlsx", reports.session_export, name="export"),
    path("<int:session_id>/bao-cao.pdf", reports.session_report_pdf, name="report_pdf"),
    path("<int:session_id>/nhap/", attendee_import.import_upload, name="import_upload"),
    path(
        "<int:session_id>/nhap/<int:import_id>/",
        attendee_import.import_detail,
        name="import_detail",
    ),
    path(
        "<int:session_id>/diem-danh/<int:attendance_id>/chap-nhan/",
        organisers.attendance_accept,
        name="accept",
    ),
    path(
        "<int:session_id>/diem-danh/<int:attendance_id>/thu-hoi/",
        organisers.attendance_revoke,
        name="revoke",
    ),
]
