import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cadres.models import Notification
from trainings.models import Attendance, Invitation
from trainings.services import attendance_set, session_reminders_send

from .conftest import make_session

pytestmark = pytest.mark.django_db


def test_invited_cadre_sees_the_session_on_the_home_page(client, cadre_user, session):
    client.force_login(cadre_user)
    page = client.get("/").content.decode()
    assert "Buổi tập huấn của tôi" in page
    assert session.title in page
    assert "Hội trường Ủy ban MTTQ xã La Bằng" in page
    assert reverse("trainings:calendar", args=[session.pk]) in page


def test_cadre_not_invited_does_not_see_the_session(client, other_cadre_user, session):
    client.force_login(other_cadre_user)
    assert session.title not in client.get("/").content.decode()
    assert client.get(reverse("trainings:detail", args=[session.pk])).status_code == 404
    assert client.get(reverse("trainings:calendar", args=[session.pk])).status_code == 404


def test_calendar_file_holds_the_session_in_utc(client, cadre_user, session):
    client.force_login(cadre_user)
    response = client.get(reverse("trainings:calendar", args=[session.pk]))
    body = response.content.decode()
    assert response["Content-Type"].startswith("text/calendar")
    start = session.starts_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    assert f"DTSTART:{start}" in body
    assert "SUMMARY:Tập huấn kỹ năng số cho cán bộ Mặt trận" in body
    assert "\r\n" in body


def test_cadre_says_they_cannot_attend_with_a_reason(client, cadre_user, session):
    client.force_login(cadre_user)
    client.post(reverse("trainings:decline", args=[session.pk]), {"reason": "Đi công tác huyện"})
    invitation = Invitation.objects.get(cadre=cadre_user.cadre)
    assert invitation.decline_reason == "Đi công tác huyện"
    attendance = Attendance.objects.get(cadre=cadre_user.cadre)
    assert (attendance.status, attendance.note) == ("vang_co_ly_do", "Đi công tác huyện")


def test_cannot_attend_without_a_reason_changes_nothing(client, cadre_user, session):
    client.force_login(cadre_user)
    client.post(reverse("trainings:decline", args=[session.pk]), {"reason": ""})
    assert not Attendance.objects.exists()
    assert Invitation.objects.get(cadre=cadre_user.cadre).declined_at is None


def test_hr_officer_ticks_the_list_on_a_phone(client, hr_la_bang, cadre_user, session):
    client.force_login(hr_la_bang)
    page = client.get(reverse("trainings:manage", args=[session.pk])).content.decode()
    assert "Nguyễn Thị Hoa" in page
    assert f'name="status-{cadre_user.cadre.pk}"' in page
    client.post(
        reverse("trainings:manage", args=[session.pk]),
        {f"status-{cadre_user.cadre.pk}": "den_muon"},
    )
    attendance = Attendance.objects.get(cadre=cadre_user.cadre)
    assert (attendance.status, attendance.source) == ("den_muon", "sheet")


def test_hr_officer_of_another_commune_cannot_open_the_list(client, hr_dai_phuc, session):
    client.force_login(hr_dai_phuc)
    for name in ("manage", "qr", "qr_data", "sheet", "export", "import_upload"):
        assert client.get(reverse(f"trainings:{name}", args=[session.pk])).status_code == 404


def test_provincial_hr_officer_organises_a_commune_session(client, hr_province, session):
    client.force_login(hr_province)
    assert client.get(reverse("trainings:manage", args=[session.pk])).status_code == 200


def test_trainer_opens_the_qr_page_with_an_inline_svg_and_a_code(client, trainer, session):
    client.force_login(trainer)
    page = client.get(reverse("trainings:qr", args=[session.pk])).content.decode()
    assert "<svg" in page
    assert "Đang mở điểm danh" in page
    data = client.get(reverse("trainings:qr_data", args=[session.pk])).json()
    assert data["url"].startswith("https://hocso.example.vn/tap-huan/d/")
    assert len(data["code"]) == 6 and data["code"].isdigit()


def test_cadre_cannot_open_the_qr_page(client, cadre_user, session):
    client.force_login(cadre_user)
    assert client.get(reverse("trainings:qr", args=[session.pk])).status_code == 404


def test_sign_in_sheet_pdf_prints_vietnamese_names_exactly(client, hr_la_bang, session):
    from pypdf import PdfReader

    client.force_login(hr_la_bang)
    response = client.get(reverse("trainings:sheet", args=[session.pk]))
    assert response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "DANH SÁCH KÝ TÊN" in text
    assert "Nguyễn Thị Hoa" in text
    assert "Ký tên" in text


def test_sign_in_sheet_for_a_unit_outside_the_officers_scope_is_404(
    client, hr_la_bang, tree, session
):
    client.force_login(hr_la_bang)
    response = client.get(
        reverse("trainings:sheet", args=[session.pk]) + f"?unit={tree['dai_phuc'].pk}"
    )
    assert response.status_code == 404


def test_export_lists_each_cadre_with_status(client, hr_la_bang, cadre_user, session):
    import openpyxl

    attendance_set(session=session, cadre=cadre_user.cadre, status="co_mat", by=hr_la_bang)
    client.force_login(hr_la_bang)
    response = client.get(reverse("trainings:export", args=[session.pk]))
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = [[c.value for c in row] for row in book.worksheets[0].iter_rows()]
    assert ["Nguyễn Thị Hoa", "Phó Chủ tịch", "Ủy ban MTTQ xã La Bằng", "Có mặt"] == rows[4][:4]
    by_unit = [[c.value for c in row] for row in book.worksheets[1].iter_rows()]
    assert by_unit[1][:3] == ["Ủy ban MTTQ xã La Bằng", 1, 1]


def test_reminders_go_out_the_day_before_and_the_hour_before_once_each(tree, course, cadre_user):
    session = make_session(tree["la_bang"], course=course, starts_in=dt.timedelta(hours=20))
    assert session_reminders_send() == 1
    assert session_reminders_send() == 0
    assert session_reminders_send(at=session.starts_at - dt.timedelta(minutes=50)) == 1
    assert session_reminders_send(at=session.starts_at - dt.timedelta(minutes=40)) == 0
    titles = list(Notification.objects.values_list("title", flat=True))
    assert len(titles) == 2
    assert any("bắt đầu sau một giờ nữa" in t for t in titles)


def test_no_reminder_for_a_cadre_who_said_they_cannot_attend(tree, course, cadre_user):
    session = make_session(tree["la_bang"], course=course, starts_in=dt.timedelta(hours=20))
    Invitation.objects.filter(session=session).update(declined_at=timezone.now())
    assert session_reminders_send() == 0


def test_sign_in_sheet_for_one_unit_lists_only_its_cadres(client, hr_la_bang, tree, session):
    from pypdf import PdfReader

    from tests.factories import make_cadre
    from trainings.services import session_sync_invitations

    make_cadre(tree["lau_sau"], family_name="Ma Văn", given_name="Thắng", position="Trưởng ban")
    session_sync_invitations(session=session)
    client.force_login(hr_la_bang)
    assert (
        f'value="{tree["lau_sau"].pk}"'
        in client.get(reverse("trainings:manage", args=[session.pk])).content.decode()
    )
    response = client.get(
        reverse("trainings:sheet", args=[session.pk]) + f"?unit={tree['lau_sau'].pk}"
    )
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Ma Văn Thắng" in text
    assert "Nguyễn Thị Hoa" not in text


@pytest.mark.parametrize("organiser", ["trainer", "hr_la_bang"])
def test_every_link_on_the_organisers_session_pages_opens(client, request, organiser, session):
    """Organisers reach everything by clicking: no link from the session list
    or a session's page may lead to an error page."""
    client.force_login(request.getfixturevalue(organiser))
    for start in (reverse("trainings:list"), reverse("trainings:manage", args=[session.pk])):
        html = client.get(start).content.decode()
        for href in sorted(set(re.findall(r'href="(/[^"#]*)"', html))):
            if href.startswith(("/static/", "/media/")):
                continue
            assert client.get(href).status_code == 200, f"{start} links to {href}"


def test_cadre_is_not_shown_the_organisers_session_list(client, cadre_user, session):
    client.force_login(cadre_user)
    html = client.get(reverse("trainings:list")).content.decode()
    assert reverse("trainings:manage", args=[session.pk]) not in html
    assert "/quan-tri/" not in html.split("<main", 1)[-1]
