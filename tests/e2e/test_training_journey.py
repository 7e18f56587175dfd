"""Tập huấn, walked as issue 16 asks: a trainer sets up today's session in the
admin and projects its QR code; a cadre scans it with a phone (the screenshot's
QR code decoded, its address opened) and is checked in; the commune's HR officer
ticks the paper sheet for a second cadre and imports the online meeting's Zoom
report for a third. The session's course completes for the three, the cadre's
certificate appears, and the completion report shows the three as done.

Runs after ``test_journeys.py`` on the same demo server (see its docstring);
it uses the course no other journey completes.
"""

import datetime as dt
import re
import uuid
import zoneinfo

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from .conftest import DEMO_PASSWORD
from .test_journeys import WAGTAIL_KNOWN, select_containing
from .walk import DESKTOP, PHONE, Walk

pytestmark = [pytest.mark.browser, pytest.mark.e2e, pytest.mark.xdist_group("e2e")]

COURSE = "Định danh điện tử VNeID và dịch vụ công trực tuyến"
UNIT = "Ủy ban MTTQ xã La Bằng"
SCANNED = "Nguyễn Thị Hồng Nhung"  # the demo cadre "hocvien"
TICKED = "La Văn Hải"
ZOOMED = "Hà Văn Hương"
HANOI = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")


def zoom_report(name: str, starts: dt.datetime) -> str:
    """A participant report as Zoom writes it (meeting block, then people),
    with the name typed without diacritics, as people do in Zoom."""
    fmt = "%m/%d/%Y %I:%M:%S %p"
    begin, end = starts.strftime(fmt), (starts + dt.timedelta(minutes=115)).strftime(fmt)
    return (
        "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants\n"
        f"812 3456 7890,Tập huấn VNeID,{begin},{end},tochuc@mttq.vn,120,2\n"
        "\n"
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,"
        "Recording Consent,In Waiting Room\n"
        f'"{name}",,{begin},{end},115,No,,No\n'
    )


def open_chooser(page, field: str) -> None:
    """Click a Wagtail chooser's button until its dialog opens, as a person
    does: Wagtail wires the button up once its scripts have run, and a click
    before that (a slow first load) does nothing."""
    button = page.locator(f"#id_{field}-chooser").get_by_role("button", name=re.compile("Chọn"))
    for _ in range(6):
        button.click()
        try:
            page.locator(".modal input[name=q]").wait_for(timeout=5_000)
            return
        except PlaywrightTimeoutError:
            continue
    pytest.fail(f"the {field} chooser never opened")


def test_a_session_counts_by_qr_paper_sheet_and_meeting_report(browser, server, tmp_path):
    import zxingcpp
    from PIL import Image

    title = f"Tập huấn VNeID hôm nay {uuid.uuid4().hex[:4]}"
    starts = dt.datetime.now(HANOI).replace(second=0, microsecond=0) - dt.timedelta(minutes=5)

    # The trainer sets the session up in the admin, from the site's menu.
    trainer = Walk(browser, "training-trainer", viewport=DESKTOP)
    page = trainer.page
    trainer.sign_in(server.url, "giangvien", DEMO_PASSWORD)
    page.locator("summary", has_text="Quản lý").click()
    page.get_by_role("link", name="Buổi tập huấn").click()
    trainer.check("sessions")
    page.get_by_role("link", name=re.compile("Tạo buổi tập huấn")).click()
    page.wait_for_load_state("load")
    page.locator("#id_title").fill(title)
    select_containing(page.locator("#id_organiser_unit"), UNIT)
    page.locator("#id_trainers").select_option(label="giangvien")
    select_containing(page.locator("#id_mode"), "Kết hợp")
    page.locator("#id_venue").fill("Hội trường UBND xã La Bằng")
    page.locator("#id_meeting_link").fill("https://zoom.us/j/81234567890")
    for field, moment in (("starts_at", starts), ("ends_at", starts + dt.timedelta(hours=2))):
        page.locator(f"#id_{field}").fill(moment.strftime("%d/%m/%Y %H:%M"))
        page.locator(f"#id_{field}").press("Escape")
    open_chooser(page, "counts_for_course")
    modal = page.locator(".modal")
    modal.locator("input[name=q]").fill("VNeID")
    modal.get_by_role("link", name=COURSE).first.click()
    page.locator("#id_counts_for_course-title", has_text=COURSE).wait_for()
    select_containing(page.locator("#id_invite_unit"), UNIT)
    trainer.check("session form", known=WAGTAIL_KNOWN)
    page.get_by_role("button", name="Lưu").click()
    page.wait_for_load_state("load")
    trainer.check("session saved", known=WAGTAIL_KNOWN)
    assert page.get_by_role("link", name=title).count(), "the new session is not listed"

    # Back on the site: the session's page, then the QR code to project.
    page.goto(server.url + "/")  # the site's own address, as from a bookmark
    page.locator("summary", has_text="Quản lý").click()
    page.get_by_role("link", name="Buổi tập huấn").click()
    page.get_by_role("link", name=title).click()
    trainer.check("session page")
    page.get_by_role("link", name="Hiện mã QR điểm danh").click()
    page.locator("#qr svg").wait_for()
    trainer.check("qr projected")
    shot = tmp_path / "qr.png"
    page.screenshot(path=str(shot))
    [found] = zxingcpp.read_barcodes(Image.open(shot))
    assert "/tap-huan/d/" in found.text

    # A cadre scans it: the phone opens the address, asks to sign in, marks her.
    cadre = Walk(browser, "training-cadre", viewport=PHONE)
    cadre.page.goto(found.text)
    cadre.check("scanned, sign in")
    cadre.page.fill("input[name=login]", "hocvien")
    cadre.page.fill("input[name=password]", DEMO_PASSWORD)
    cadre.page.get_by_role("button", name=re.compile("Đăng nhập")).click()
    cadre.page.get_by_role("heading", name="Đã điểm danh").wait_for()
    cadre.check("checked in")
    trainer.close()

    # The HR officer ticks the paper sheet for another cadre, on a phone.
    hr = Walk(browser, "training-hr", viewport=PHONE)
    page = hr.page
    hr.sign_in(server.url, "tochuc.labang", DEMO_PASSWORD)
    page.locator("summary", has_text="Quản lý").click()
    page.get_by_role("link", name="Buổi tập huấn").click()
    page.get_by_role("link", name=title).click()
    hr.check("session page")
    card = page.locator("fieldset, li, .card", has_text=TICKED).last
    card.get_by_text("Có mặt", exact=True).click()
    page.get_by_role("button", name="Lưu điểm danh").click()
    page.wait_for_load_state("load")
    hr.check("sheet ticked")

    # ... and imports the online participants' Zoom report.
    report = tmp_path / "zoom-participants.csv"
    report.write_text(zoom_report("Ha Van Huong", starts), encoding="utf-8")
    page.get_by_role("link", name=re.compile("Nhập báo cáo người tham gia")).click()
    hr.check("import form")
    page.locator("input[type=file]").set_input_files(report)
    page.get_by_role("button", name=re.compile("Kiểm tra|Tải lên|Xem trước")).click()
    page.wait_for_load_state("load")
    hr.check("import preview")
    assert ZOOMED in page.locator("main").inner_text()
    page.get_by_role("button", name=re.compile("^(Nhập|Ghi|Xác nhận)")).click()
    page.wait_for_load_state("load")
    hr.check("imported")

    # The cadre's certificate for the session's course is there.
    cadre.page.get_by_role("link", name="Chứng nhận của tôi").click()
    cadre.check("certificates")
    assert COURSE in cadre.page.locator("main").inner_text()
    cadre.close()

    # The completion report shows the course done for the three.
    page.locator("summary", has_text="Quản lý").click()
    page.get_by_role("link", name="Báo cáo", exact=True).click()
    hr.check("report")
    page.get_by_role("link", name=UNIT).first.click()
    hr.check("unit report")
    table = page.locator("main table")
    header = [h.strip() for h in table.locator("thead th").all_inner_texts()]
    column = next(i for i, h in enumerate(header) if h.startswith("Định danh điện tử"))
    for name in (SCANNED, TICKED, ZOOMED):
        row = table.locator("tbody tr", has_text=name)
        cell = row.locator("td").nth(column).inner_text()
        assert cell.startswith("✓"), f"{name}: {cell!r} in the report"
    hr.close()
