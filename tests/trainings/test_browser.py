"""The trainer shows the rotating QR code; a cadre scans it with a phone,
signs in and sees "Đã điểm danh" — decoded from a real screenshot."""

import pytest
from django.urls import reverse

from courses.models import Completion
from tests.services import PHONE, artifacts_dir, chromium_browser
from trainings.models import Attendance

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _sign_in(page, base, username, password, next_url):
    page.goto(f"{base}{reverse('account_login')}?next={next_url}")
    page.fill("input[name=login]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")


def test_cadre_scans_the_trainers_qr_code_and_is_checked_in(
    live_server, settings, trainer, cadre_user, password, session
):
    import zxingcpp
    from PIL import Image

    settings.SITE_URL = live_server.url
    shots = artifacts_dir()
    with chromium_browser() as browser:
        trainer_page = browser.new_context(**PHONE).new_page()
        qr_url = reverse("trainings:qr", args=[session.pk])
        _sign_in(trainer_page, live_server.url, trainer.username, password, qr_url)
        trainer_page.wait_for_url(f"{live_server.url}{qr_url}")
        trainer_page.locator("#qr svg").wait_for()
        assert trainer_page.evaluate("document.documentElement.scrollWidth") <= 360
        trainer_page.screenshot(path=str(shots / "trainings-qr-360x800.png"))
        [found] = zxingcpp.read_barcodes(Image.open(shots / "trainings-qr-360x800.png"))
        assert found.text.startswith(f"{live_server.url}/tap-huan/d/{session.pk}/")

        cadre_page = browser.new_context(**PHONE).new_page()
        cadre_page.goto(found.text)  # the phone's camera opens the link, signed out
        cadre_page.fill("input[name=login]", cadre_user.username)
        cadre_page.fill("input[name=password]", password)
        cadre_page.click("button[type=submit]")
        cadre_page.get_by_role("heading", name="Đã điểm danh").wait_for()
        assert cadre_page.evaluate("document.documentElement.scrollWidth") <= 360
        cadre_page.screenshot(path=str(shots / "trainings-checked-in-360x800.png"), full_page=True)

    attendance = Attendance.objects.get(session=session)
    assert attendance.cadre == cadre_user.cadre
    assert attendance.status == Attendance.Status.PRESENT
    assert Completion.objects.filter(enrolment__cadre=cadre_user.cadre).exists()
