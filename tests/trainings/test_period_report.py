import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_cadre
from trainings.services import attendance_set

pytestmark = pytest.mark.django_db


def _query(unit, day):
    text = day.strftime("%d/%m/%Y")
    return {"unit": unit.pk, "start": text, "end": text}


def test_period_report_shows_rate_and_cadres_never_present(
    client, hr_la_bang, tree, cadre_user, session
):
    absent = make_cadre(tree["la_bang"], family_name="Ma Văn", given_name="Thắng")
    from trainings.services import session_sync_invitations

    session_sync_invitations(session=session)
    attendance_set(session=session, cadre=cadre_user.cadre, status="co_mat", by=hr_la_bang)
    client.force_login(hr_la_bang)
    day = timezone.localtime(session.starts_at).date()
    page = client.get(reverse("trainings:period_report"), _query(tree["la_bang"], day))
    html = page.content.decode()
    assert "1 buổi đã tổ chức" in html
    assert "tỷ lệ tham dự 50%" in html
    never = html.split("Được mời nhưng chưa lần nào có mặt")[1]
    assert absent.full_name in never
    assert cadre_user.cadre.full_name not in never


def test_period_report_for_a_unit_outside_scope_is_refused(client, hr_la_bang, tree, session):
    client.force_login(hr_la_bang)
    day = timezone.localtime(session.starts_at).date()
    page = client.get(reverse("trainings:period_report"), _query(tree["dai_phuc"], day))
    assert page.status_code == 200
    assert session.title not in page.content.decode()
    assert "Hãy chọn một lựa chọn hợp lệ" in page.content.decode()


def test_cadre_cannot_open_the_period_report(client, cadre_user):
    client.force_login(cadre_user)
    assert client.get(reverse("trainings:period_report")).status_code == 404
