"""Replaying the province's 2025 restructuring from the official conversion table."""

import datetime as dt

import pytest
from django.utils import timezone

from cadres.accounts.services import user_set_role
from cadres.models import AuditEvent, Membership, OrgUnit, Restructuring, UnitCode, User
from cadres.selectors import memberships_on
from cadres.units.restructuring import RestructuringError, restructuring_apply, restructuring_start
from cadres.units.tables import DEFAULT_SUCCESSION_FILE, units_import
from tests.factories import UserFactory, make_cadre, make_unit

pytestmark = pytest.mark.django_db

BEFORE, REFORM = dt.date(2025, 6, 30), dt.date(2025, 7, 1)


def old_unit(code):
    return OrgUnit.objects.get(codes__code=code, codes__valid_to=BEFORE, kind="uy_ban_xa")


def new_unit(code):
    return OrgUnit.objects.get(codes__code=code, codes__valid_from=REFORM)


@pytest.fixture
def province_before_reform(db):
    """The 2025 units, and cadres who sat in old communes from 2021 with open memberships."""
    units_import()
    admin = UserFactory(username="quantri", is_superuser=True)
    user_set_role(user=admin, role=User.Role.ADMINISTRATOR)
    cadres = {}
    for code in ["05818", "05815", "05761", "05488", "05863", "05467", "05941"]:
        for i in range(2):
            cadres[(code, i)] = make_cadre(
                old_unit(code),
                since=dt.date(2021, 1, 1),
                until=None,
                position="Chủ tịch" if i == 0 else "Ủy viên",
            )
    return admin, cadres


def test_replaying_the_2025_table_moves_memberships_on_1_july(
    province_before_reform, django_capture_on_commit_callbacks
):
    admin, cadres = province_before_reform
    data = DEFAULT_SUCCESSION_FILE.read_bytes()
    restructuring = restructuring_start(
        data=data,
        file_name="thai_nguyen_succession_2025.csv",
        effective_date=REFORM,
        legal_basis="Nghị quyết 1683/NQ-UBTVQH15",
        by=admin,
    )
    # Cam Giá (05467) was split: its cadres wait for a choice.
    with pytest.raises(RestructuringError, match="2"):
        restructuring_apply(restructuring=restructuring, by=admin)
    assert Membership.objects.filter(valid_from=REFORM).count() == 0
    gia_sang, tich_luong = new_unit("05467"), new_unit("05500")
    choices = {
        str(cadres[("05467", 0)].pk): gia_sang.pk,
        str(cadres[("05467", 1)].pk): tich_luong.pk,
    }
    with django_capture_on_commit_callbacks(execute=True):
        summary = restructuring_apply(restructuring=restructuring, by=admin, split_choices=choices)
    assert summary["memberships_moved"] == 14

    then = dict(memberships_on(BEFORE).values_list("cadre_id", "unit_id"))
    now = dict(memberships_on(timezone.localdate()).values_list("cadre_id", "unit_id"))
    for (code, _i), cadre in cadres.items():
        assert then[cadre.pk] == old_unit(code).pk
        assert old_unit(code).valid_to == BEFORE
    la_bang = new_unit("05818")
    assert {now[cadres[(c, i)].pk] for c in ("05818", "05815") for i in (0, 1)} == {la_bang.pk}
    assert now[cadres[("05761", 0)].pk] == now[cadres[("05863", 1)].pk] == new_unit("05488").pk
    assert now[cadres[("05467", 0)].pk] == gia_sang.pk
    assert now[cadres[("05467", 1)].pk] == tich_luong.pk
    # Điềm Thụy / Điềm Thuỵ: one unit, whatever the spelling in the table.
    assert now[cadres[("05941", 0)].pk] == new_unit("05941").pk
    moved = Membership.objects.get(cadre=cadres[("05818", 0)], valid_from=REFORM)
    assert moved.position == "Chủ tịch" and moved.is_full_time
    event = AuditEvent.objects.get(action="unit.restructure")
    assert event.data["sha256"] == restructuring.sha256 and event.actor == admin
    # Applying twice changes nothing more.
    assert restructuring_apply(restructuring=Restructuring.objects.get(), by=admin) == summary
    assert Membership.objects.filter(valid_from=REFORM).count() == 14


def test_a_merge_closes_old_units_the_day_before(tree, administrator):
    a = make_unit("Ủy ban MTTQ xã Hòa Bình", parent=tree["province"])
    b = make_unit("Ủy ban MTTQ xã Tân Lập", parent=tree["province"])
    merged = make_unit(
        "Ủy ban MTTQ xã Hòa Lập", parent=tree["province"], valid_from=dt.date(2027, 1, 1)
    )
    UnitCode.objects.create(unit=a, code="90001")
    UnitCode.objects.create(unit=b, code="90002")
    UnitCode.objects.create(unit=merged, code="90001", valid_from=dt.date(2027, 1, 1))
    cadre = make_cadre(b, since=dt.date(2024, 1, 1))
    table = (
        "new_code,new_name,old_code,old_name,old_district,old_province,note\n"
        "90001,Xã Hòa Lập,90001,Xã Hoà Bình,,,Nhập toàn bộ\n"
        "90001,Xã Hòa Lập,90002,xã Tân Lập,,,Nhập toàn bộ\n"
    ).encode()
    r = restructuring_start(
        data=table,
        file_name="t.csv",
        effective_date=dt.date(2027, 1, 1),
        legal_basis="NQ 1/2026",
        by=administrator,
    )
    restructuring_apply(restructuring=r, by=administrator)
    a.refresh_from_db()
    assert a.valid_to == dt.date(2026, 12, 31)
    assert cadre.memberships.get(valid_to=None).unit == merged
    assert cadre.memberships.get(unit=b).valid_to == dt.date(2026, 12, 31)


def test_officer_cannot_restructure_units_outside_the_subtree(tree, hr_la_bang):
    UnitCode.objects.create(unit=tree["dai_phuc"], code="90009")
    table = (
        "new_code,new_name,old_code,old_name,old_district,old_province,note\n"
        "90009,Xã Đại Phúc,90009,Xã Đại Phúc,,,Giữ nguyên\n"
    ).encode()
    with pytest.raises(RestructuringError, match="90009"):
        restructuring_start(
            data=table, file_name="t.csv", effective_date=REFORM, legal_basis="x", by=hr_la_bang
        )


def test_wizard_asks_for_split_cadres_then_applies(client, tree, hr_province):
    from django.urls import reverse

    detail, _north, south, (cadre,) = _split_wizard(client, tree, hr_province, "Hoa")
    page = client.get(detail).content.decode()
    assert "Cán bộ của đơn vị bị chia tách" in page and cadre.full_name in page
    page = client.post(detail, {}).content.decode()
    assert "còn 1 người" in page
    client.post(detail, {f"cadre-{cadre.pk}": south.pk})
    assert cadre.memberships.get(valid_to=None).unit == south
    assert "Sắp xếp lại đơn vị" in client.get(reverse("cadres:audit_log")).content.decode()


def test_wizard_refuses_a_broken_table_with_a_message(client, tree, hr_province):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    client.force_login(hr_province)
    for data in (b"", b"\xff\xfe\x00garbage", b"a,b\n1,2\n"):
        response = client.post(
            reverse("cadres:restructuring_upload"),
            {
                "file": SimpleUploadedFile("t.csv", data),
                "effective_date": "01/01/2027",
                "legal_basis": "x",
            },
        )
        assert response.status_code == 200
    assert not Restructuring.objects.exists()


def test_learner_cannot_open_the_wizard(client, cadre_user):
    from django.urls import reverse

    client.force_login(cadre_user)
    assert client.get(reverse("cadres:restructuring_upload")).status_code == 404


def _split_wizard(client, tree, hr_province, *given_names):
    """Cam Giá split between Gia Sàng and Tích Lương on 1 January 2027, one
    cadre of Cam Giá per given name, and the wizard's page for it."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    old = make_unit("Ủy ban MTTQ phường Cam Giá", parent=tree["province"])
    north = make_unit("Ủy ban MTTQ phường Gia Sàng", parent=tree["province"])
    south = make_unit("Ủy ban MTTQ phường Tích Lương", parent=tree["province"])
    for unit, code in ((old, "80001"), (north, "80002"), (south, "80003")):
        UnitCode.objects.create(unit=unit, code=code)
    cadres = [make_cadre(old, since=dt.date(2024, 1, 1), given_name=name) for name in given_names]
    table = (
        "new_code,new_name,old_code,old_name,old_district,old_province,note\n"
        "80002,Phường Gia Sàng,80001,Phường Cam Giá,,,Nhập một phần\n"
        "80003,Phường Tích Lương,80001,Phường Cam Giá,,,Nhập một phần\n"
    ).encode()
    client.force_login(hr_province)
    detail = client.post(
        reverse("cadres:restructuring_upload"),
        {
            "file": SimpleUploadedFile("t.csv", table),
            "effective_date": "01/01/2027",
            "legal_basis": "NQ 9/2026",
        },
    ).url
    return detail, north, south, cadres


def test_wizard_keeps_the_choices_made_when_some_are_still_missing(client, tree, hr_province):
    """Two cadres of a split unit: choosing one and submitting fails (one is
    left) but the page keeps the first choice, and so does the next submission."""
    detail, north, south, (first, second) = _split_wizard(client, tree, hr_province, "Hoa", "Sơn")
    page = client.post(detail, {f"cadre-{first.pk}": south.pk}).content.decode()
    assert "còn 1 người" in page
    assert f'<option value="{south.pk}" selected>' in page
    again = client.get(detail).content.decode()
    assert f'<option value="{south.pk}" selected>' in again
    client.post(detail, {f"cadre-{second.pk}": north.pk})
    assert first.memberships.get(valid_to=None).unit == south
    assert second.memberships.get(valid_to=None).unit == north


def test_wizard_with_no_choice_made_selects_nothing(client, tree, hr_province):
    detail, north, south, _cadres = _split_wizard(client, tree, hr_province, "Hoa")
    page = client.post(detail, {}).content.decode()
    assert "còn 1 người" in page
    assert f'<option value="{north.pk}" selected>' not in page
    assert f'<option value="{south.pk}" selected>' not in page
