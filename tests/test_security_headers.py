"""Content-Security-Policy and Permissions-Policy: our pages run scripts and
styles from our origin only, so no template may carry inline code."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

BASE_DIR = Path(__file__).resolve().parent.parent
APPS = ["site", "cadres", "courses", "assessments", "certificates", "reports"]
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>")
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def _public_templates():
    for app in APPS:
        for path in (BASE_DIR / app).rglob("*.html"):
            # Pages under the Wagtail admin have a policy of their own.
            if "wagtailadmin" in path.parts or "admin" in path.parts:
                continue
            yield path


@pytest.mark.parametrize(
    "path", list(_public_templates()), ids=lambda p: str(p.relative_to(BASE_DIR))
)
def test_no_public_template_has_inline_script_handler_or_style(path):
    text = path.read_text()
    assert not INLINE_SCRIPT.search(text), "inline <script>"
    assert not INLINE_HANDLER.search(text), "inline event handler"
    assert not STYLE_ATTRIBUTE.search(text), "style attribute"
    assert "<style" not in text


def test_report_tree_markup_has_no_style_attribute():
    source = (BASE_DIR / "reports" / "templatetags" / "reports_tags.py").read_text()
    assert not STYLE_ATTRIBUTE.search(source)


@pytest.mark.django_db
def test_public_pages_forbid_inline_script_and_style(client):
    response = client.get(reverse("account_login"))
    policy = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'self'"
    assert "unsafe" not in policy


@pytest.mark.django_db
def test_every_response_restricts_powerful_features(client):
    response = client.get(reverse("account_login"))
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


@pytest.mark.django_db
def test_the_wagtail_admin_gets_the_inline_code_it_needs(client, administrator):
    client.force_login(administrator)
    response = client.get("/quan-tri/")
    assert response.status_code == 200
    policy = response["Content-Security-Policy"]
    assert "script-src 'self' 'unsafe-inline'" in policy
    assert "object-src 'none'" in policy


@pytest.mark.django_db
def test_files_are_not_given_a_page_policy(client, cadre_user):
    client.force_login(cadre_user)
    response = client.get(reverse("account_login"))
    assert response["Content-Type"].startswith("text/html")
    from django.http import HttpResponse

    from config.security_headers import SecurityHeadersMiddleware

    pdf = SecurityHeadersMiddleware(lambda r: HttpResponse(b"%PDF", content_type="application/pdf"))
    out = pdf(response.wsgi_request)
    assert "Content-Security-Policy" not in out and "Permissions-Policy" in out
