"""A cadre passes a quiz on a 360×800 phone, through a dropped connection,
and the course completes."""

import pytest

from assessments.models import Attempt, AttemptSlot
from courses.models import Completion
from tests.services import PHONE, artifacts_dir, chromium_browser

from .conftest import add_quiz, make_question

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone(live_server):
    with chromium_browser() as browser:
        context = browser.new_context(**PHONE)
        yield context, context.new_page()


def test_cadre_passes_a_quiz_on_a_phone_and_the_course_completes(
    phone, live_server, course, category, enrolled, cadre_user, password
):
    context, page = phone
    questions = [
        make_question(
            category,
            f"Câu {i}",
            text=f"Câu hỏi số {i}: mã OTP được phép cung cấp cho ai?",
            answers=[("Nhân viên ngân hàng gọi đến", 0), ("Không cung cấp cho bất kỳ ai", 100)],
        )
        for i in range(1, 4)
    ]
    quiz = add_quiz(course, questions, pass_mark=100)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{live_server.url}{quiz.url}")
    page.fill("input[name=login]", "hoa")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_selector("fieldset.quiz-q")
    page.screenshot(path=str(artifacts_dir() / "quiz-question-360x800.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    # The connection drops: the answer waits on the phone, then reaches the server.
    context.set_offline(True)
    page.get_by_text("Không cung cấp cho bất kỳ ai").click()
    page.wait_for_selector("#quiz-save:has-text('Mất kết nối')")
    page.screenshot(path=str(artifacts_dir() / "quiz-offline-360x800.png"), full_page=True)
    assert AttemptSlot.objects.get(number=1).response is None
    context.set_offline(False)
    page.wait_for_selector("#quiz-save:has-text('Đã lưu')", timeout=40000)
    assert AttemptSlot.objects.get(number=1).response is not None

    page.get_by_role("button", name="Câu tiếp").click()
    page.get_by_text("Không cung cấp cho bất kỳ ai").click()
    page.get_by_role("button", name="Câu tiếp").click()
    page.get_by_text("Không cung cấp cho bất kỳ ai").click()
    page.get_by_role("button", name="Nộp bài").click()
    page.wait_for_selector("text=Đạt")
    page.screenshot(path=str(artifacts_dir() / "quiz-review-360x800.png"), full_page=True)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert "Điểm: 3 / 3 (100%)" in page.inner_text("main")
    assert Completion.objects.filter(enrolment=enrolled, revoked_at__isnull=True).exists()


def test_timed_quiz_stays_open_and_counts_down_in_minutes(
    phone, live_server, course, questions, enrolled, cadre_user, password
):
    """A 20-minute quiz: the page must not read 1.199 s as 1 s and submit itself."""
    context, page = phone
    quiz = add_quiz(course, questions, time_limit_minutes=20, slug="hai-muoi-phut")
    page.goto(f"{live_server.url}{quiz.url}")
    page.fill("input[name=login]", "hoa")
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.get_by_role("button", name="Bắt đầu làm bài").click()
    page.wait_for_selector("#quiz-timer")
    seconds = page.get_attribute("#quiz-timer", "data-seconds")
    assert seconds.isdigit() and 1190 <= int(seconds) <= 1200

    page.wait_for_timeout(4000)

    assert "/ket-qua/" not in page.url and page.locator("#quiz-form").count() == 1
    timer = page.inner_text("#quiz-timer")
    minutes, _, secs = timer.partition(":")
    assert minutes in ("19", "20") and len(secs) == 2, timer
    page.screenshot(path=str(artifacts_dir() / "quiz-timer-360x800.png"), full_page=True)
    attempt = Attempt.objects.get(quiz=quiz)
    assert attempt.state == Attempt.State.IN_PROGRESS
