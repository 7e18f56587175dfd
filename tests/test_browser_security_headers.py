"""Under the Content-Security-Policy the pages still work in a real browser:
the Wagtail editor (desktop) and the learner's pages (phone) report no
violation, and the progress bar is still drawn."""

import pytest

from tests.services import PHONE, artifacts_dir, chromium_browser

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "vi-VN"}
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def _sign_in(page, base, login, password):
    page.goto(f"{base}/tai-khoan/login/")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def _violations(page, console) -> list[str]:
    return page.evaluate("window.__csp || []") + [m for m in console if "Content Security" in m]


def test_the_wagtail_editor_works_under_the_admin_policy(live_server, administrator, password):
    from courses.services import course_index_ensure
    from tests.courses.conftest import make_course

    course = make_course(course_index_ensure(), slug="csp-khoa", lessons=1, revisions=True)
    with chromium_browser() as browser:
        context = browser.new_context(**DESKTOP)
        context.add_init_script(WATCH)
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        _sign_in(page, live_server.url, "quantri", password)
        page.goto(f"{live_server.url}/quan-tri/pages/{course.pk}/edit/")
        page.wait_for_selector("input[name=title]")
        page.fill("input[name=title]", "Khóa học đã sửa dưới CSP")
        page.click("button.action-save")
        page.wait_for_url("**/edit/**")
        page.wait_for_selector(".messages")
        page.screenshot(path=str(artifacts_dir() / "csp-admin-editor-1280.png"), full_page=False)
        assert _violations(page, console) == []
    course.refresh_from_db()
    assert course.get_latest_revision().content["title"] == "Khóa học đã sửa dưới CSP"


def test_learner_pages_report_no_violation(live_server, cadre_user, password):
    from courses.models import Enrolment
    from courses.services import course_index_ensure
    from tests.courses.conftest import make_course

    course = make_course(course_index_ensure(), slug="csp-hoc", lessons=2)
    Enrolment.objects.create(cadre=cadre_user.cadre, course=course, source="self")
    with chromium_browser() as browser:
        context = browser.new_context(**PHONE)
        context.add_init_script(WATCH)
        page = context.new_page()
        console: list[str] = []
        page.on("console", lambda m: console.append(m.text))
        _sign_in(page, live_server.url, "hoa", password)
        for path in ["/", course.url, "/v/", "/chung-nhan/"]:
            page.goto(f"{live_server.url}{path}")
            page.wait_for_load_state()
            assert _violations(page, console) == [], path
        page.goto(f"{live_server.url}{course.url}")
        page.screenshot(path=str(artifacts_dir() / "csp-course-360.png"), full_page=True)
