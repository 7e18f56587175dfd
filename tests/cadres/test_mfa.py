"""Two-factor sign-in for staff: enrolment, requirement per role, audit."""

import time

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    SECRET_SESSION_KEY,
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.urls import reverse

from cadres.models import AuditEvent, SecuritySettings

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fresh_rate_limits")]


def totp_code(secret: str) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30))


def require_mfa(**roles: bool) -> None:
    settings = SecuritySettings.load()
    for role, required in roles.items():
        setattr(settings, f"require_mfa_{role}", required)
    settings.save()


def sign_in(client, username, password):
    return client.post(reverse("account_login"), {"login": username, "password": password})


def test_totp_code_completes_the_sign_in_of_an_enrolled_trainer(client, trainer, password):
    secret = generate_totp_secret()
    TOTP.activate(trainer, secret)
    response = sign_in(client, "giangvien", password)
    assert response.status_code == 302 and response["Location"] == reverse("mfa_authenticate")
    # The password alone does not sign in.
    assert "_auth_user_id" not in client.session
    page = client.get(reverse("mfa_authenticate")).content.decode()
    assert "Xác thực hai lớp" in page and "Mã" in page
    response = client.post(reverse("mfa_authenticate"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(trainer.pk)
    assert AuditEvent.objects.filter(action="auth.login", actor=trainer).exists()


def test_wrong_totp_code_does_not_sign_in_and_is_audited(client, trainer, password):
    secret = generate_totp_secret()
    TOTP.activate(trainer, secret)
    sign_in(client, "giangvien", password)
    wrong = f"{(int(totp_code(secret)) + 1) % 1_000_000:06d}"
    response = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert response.status_code == 200
    assert "Mã không đúng." in response.content.decode()
    assert "_auth_user_id" not in client.session
    event = AuditEvent.objects.get(action="auth.mfa_failed")
    assert event.actor == trainer and event.ip_address == "127.0.0.1"


def test_mfa_is_not_required_by_default(client, trainer, hr_la_bang, administrator, password):
    for user in (trainer, hr_la_bang, administrator):
        client.force_login(user)
        assert client.get(reverse("home")).status_code == 200


@pytest.mark.parametrize(
    ("role", "fixture"),
    [("trainer", "trainer"), ("hr_officer", "hr_la_bang"), ("administrator", "administrator")],
)
def test_required_role_without_authenticator_is_sent_to_totp_setup(client, request, role, fixture):
    require_mfa(**{role: True})
    client.force_login(request.getfixturevalue(fixture))
    for path in (reverse("home"), reverse("cadres:roster"), "/quan-tri/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("mfa_activate_totp"))


def test_requirement_for_one_role_leaves_other_roles_alone(client, trainer, hr_la_bang):
    require_mfa(hr_officer=True)
    client.force_login(trainer)
    assert client.get(reverse("home")).status_code == 200


def test_cadres_are_never_sent_to_totp_setup(client, cadre_user):
    require_mfa(trainer=True, hr_officer=True, administrator=True)
    client.force_login(cadre_user)
    assert client.get(reverse("home")).status_code == 200


def test_enrolled_staff_member_passes_the_requirement(client, trainer):
    require_mfa(trainer=True)
    TOTP.activate(trainer, generate_totp_secret())
    client.force_login(trainer)
    assert client.get(reverse("home")).status_code == 200


def test_required_staff_member_can_still_sign_out(client, trainer):
    require_mfa(trainer=True)
    client.force_login(trainer)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_required_trainer_enrols_totp_and_then_reaches_home(
    client, trainer, password, django_capture_on_commit_callbacks
):
    require_mfa(trainer=True)
    sign_in(client, "giangvien", password)
    assert client.get(reverse("home"))["Location"].startswith(reverse("mfa_activate_totp"))
    # allauth asks for the password again before adding an authenticator.
    response = client.get(reverse("mfa_activate_totp"))
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": password})
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    assert "Bật ứng dụng xác thực" in page.content.decode()
    secret = client.session[SECRET_SESSION_KEY]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=trainer, type=Authenticator.Type.TOTP).exists()
    assert AuditEvent.objects.filter(action="auth.mfa_added", actor=trainer).exists()
    assert client.get(reverse("home")).status_code == 200


def test_security_settings_are_labelled_in_vietnamese():
    labels = [str(f.verbose_name) for f in SecuritySettings._meta.get_fields() if f.name != "id"]
    assert "bắt buộc giảng viên dùng xác thực hai lớp" in labels


def test_removing_an_authenticator_is_audited(rf, trainer):
    from allauth.mfa import signals

    authenticator = TOTP.activate(trainer, generate_totp_secret()).instance
    request = rf.post("/tai-khoan/2fa/totp/deactivate/")
    request.user = trainer
    signals.authenticator_removed.send(
        sender=Authenticator, request=request, user=trainer, authenticator=authenticator
    )
    event = AuditEvent.objects.get(action="auth.mfa_removed")
    assert event.actor == trainer and event.data == {"type": "totp"}
    assert not AuditEvent.objects.filter(action="auth.mfa_added").exists()


def test_staff_requests_read_the_security_settings_once_until_they_change(client, trainer):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    table = SecuritySettings._meta.db_table
    client.force_login(trainer)
    client.get(reverse("home"))
    with CaptureQueriesContext(connection) as queries:
        for _n in range(3):
            assert client.get(reverse("home")).status_code == 200
    assert not any(table in q["sql"] for q in queries.captured_queries)


def test_a_saved_requirement_applies_to_the_next_request(client, trainer):
    client.force_login(trainer)
    assert client.get(reverse("home")).status_code == 200
    require_mfa(trainer=True)
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("mfa_activate_totp"))
