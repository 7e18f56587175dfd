"""The HR officer's roster pages through the browser's eyes (Django test client)."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from cadres.models import ActivationCodeBatch, AuditEvent, Cadre, ColumnMapping, RosterImport
from cadres.roster import importing as ri
from tests.factories import make_cadre

from .roster_files import messy_xlsx

pytestmark = pytest.mark.django_db


def upload(client, data, unit, name="ds.xlsx", **extra):
    return client.post(
        reverse("cadres:import_upload"),
        {"file": SimpleUploadedFile(name, data), "unit": unit.pk, **extra},
    )


def dry_run(client, roster_import, django_capture_on_commit_callbacks, **extra):
    mapping = {f"col-{k}": v for k, v in roster_import.mapping.items()}
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cadres:import_configure", args=[roster_import.pk]),
            {"map": "1", **mapping, **extra},
        )
    roster_import.refresh_from_db()
    return roster_import


def test_hr_officer_imports_a_file_dry_run_then_commit(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    client.force_login(hr_la_bang)
    response = upload(client, messy_xlsx(bad=False), coded_tree["la_bang"])
    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert roster_import.mapping["2"] == "full_name"
    roster_import = dry_run(client, roster_import, django_capture_on_commit_callbacks)
    assert roster_import.status == "planned"
    assert roster_import.counts["create"] == 5
    page = client.get(reverse("cadres:import_detail", args=[roster_import.pk]) + "?loai=create")
    assert "Dương Văn Bình" in page.content.decode()
    # The officer corrects the name split in the preview.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cadres:import_configure", args=[roster_import.pk]),
            {"row": "7", "family_name": "Dương Văn", "given_name": "Bình Minh"},
        )
    assert not Cadre.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("cadres:import_commit", args=[roster_import.pk]), {"create_logins": "1"}
        )
    roster_import.refresh_from_db()
    assert roster_import.status == "done", roster_import.error
    assert Cadre.objects.get(cadre_code="LB004").given_name == "Bình Minh"
    assert Cadre.objects.filter(user__isnull=False).count() == 5
    assert ColumnMapping.objects.get(unit=coded_tree["la_bang"]).mapping["ho va ten"] == "full_name"
    assert AuditEvent.objects.filter(action="roster.import", unit=coded_tree["la_bang"]).exists()


def test_rejected_rows_block_the_commit(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    client.force_login(hr_la_bang)
    upload(client, messy_xlsx(), coded_tree["la_bang"])
    roster_import = dry_run(client, RosterImport.objects.get(), django_capture_on_commit_callbacks)
    page = client.get(reverse("cadres:import_detail", args=[roster_import.pk])).content.decode()
    assert "31/02/1980" in page and "D (Ngày sinh)" in page
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("cadres:import_commit", args=[roster_import.pk]))
    assert not Cadre.objects.exists()


def test_a_double_commit_post_enqueues_one_commit(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    client.force_login(hr_la_bang)
    upload(client, messy_xlsx(bad=False), coded_tree["la_bang"])
    roster_import = dry_run(client, RosterImport.objects.get(), django_capture_on_commit_callbacks)
    url = reverse("cadres:import_commit", args=[roster_import.pk])
    with django_capture_on_commit_callbacks() as queued:
        client.post(url, {"create_logins": "1"})
        client.post(url, {"create_logins": "1"})
    assert len(queued) == 1
    roster_import.refresh_from_db()
    assert (roster_import.status, roster_import.create_logins) == ("committing", True)


def test_two_requests_that_both_read_the_import_as_checked_enqueue_one_commit(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    """The race of a double click: both requests loaded the row before either wrote."""
    from cadres.errors import ApplicationError
    from cadres.roster.importing.services import roster_import_commit_request

    client.force_login(hr_la_bang)
    upload(client, messy_xlsx(bad=False), coded_tree["la_bang"])
    first = dry_run(client, RosterImport.objects.get(), django_capture_on_commit_callbacks)
    second = RosterImport.objects.get(pk=first.pk)
    with django_capture_on_commit_callbacks() as queued:
        roster_import_commit_request(roster_import=first, create_logins=False)
        with pytest.raises(ApplicationError):
            roster_import_commit_request(roster_import=second, create_logins=False)
    assert len(queued) == 1


def test_a_commit_post_for_rejected_rows_enqueues_nothing(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    client.force_login(hr_la_bang)
    upload(client, messy_xlsx(), coded_tree["la_bang"])
    roster_import = dry_run(client, RosterImport.objects.get(), django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks() as queued:
        client.post(reverse("cadres:import_commit", args=[roster_import.pk]))
    assert queued == []
    roster_import.refresh_from_db()
    assert roster_import.status == "planned"


@pytest.mark.parametrize(
    ("data", "name"),
    [
        (b"", "ds.csv"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512, "ds.xlsx"),
        (b"PK\x03\x04garbage", "ds.xlsx"),
    ],
)
def test_bad_files_get_a_message_not_a_500(client, coded_tree, hr_la_bang, data, name):
    client.force_login(hr_la_bang)
    response = upload(client, data, coded_tree["la_bang"], name=name)
    assert response.status_code == 200
    assert 'class="errorlist"' in response.content.decode()
    assert not RosterImport.objects.exists()


def test_a_50_mb_file_is_refused_by_size(client, coded_tree, hr_la_bang):
    client.force_login(hr_la_bang)
    big = SimpleUploadedFile("big.csv", b"")
    big.size = 50 * 1024 * 1024
    from cadres.roster.forms import UploadForm
    from cadres.roster.selectors import units_current_for

    form = UploadForm(
        {"unit": coded_tree["la_bang"].pk}, {"file": big}, units=units_current_for(hr_la_bang)
    )
    assert not form.is_valid()
    assert "MB" in form.errors["file"][0]


def test_officer_cannot_import_into_another_commune(client, coded_tree, hr_la_bang):
    client.force_login(hr_la_bang)
    response = upload(client, messy_xlsx(bad=False), coded_tree["dai_phuc"])
    assert response.status_code == 200
    assert not RosterImport.objects.exists()


def test_officer_cannot_open_another_officers_import(client, coded_tree, hr_la_bang, hr_dai_phuc):
    client.force_login(hr_la_bang)
    upload(client, messy_xlsx(bad=False), coded_tree["la_bang"])
    client.force_login(hr_dai_phuc)
    assert (
        client.get(
            reverse("cadres:import_detail", args=[RosterImport.objects.get().pk])
        ).status_code
        == 404
    )


def test_learner_cannot_reach_the_import(client, cadre_user):
    client.force_login(cadre_user)
    assert client.get(reverse("cadres:import_upload")).status_code == 404


def test_template_has_vietnamese_headers(client, coded_tree, hr_la_bang):
    client.force_login(hr_la_bang)
    response = client.get(reverse("cadres:import_template"))
    sheet = ri.read_sheet(response.content)
    assert sheet.headers == ri.TEMPLATE_HEADERS
    assert ri.mapping_errors(ri.guess_mapping(sheet.headers)) == []


def test_hr_officer_sees_cadre_detail_and_moves_them(client, coded_tree, hr_la_bang):
    cadre = make_cadre(coded_tree["la_bang"], since=dt.date(2025, 7, 1))
    client.force_login(hr_la_bang)
    assert (
        "Phó Chủ tịch"
        in client.get(reverse("cadres:cadre_detail", args=[cadre.pk])).content.decode()
    )
    client.post(
        reverse("cadres:cadre_move", args=[cadre.pk]),
        {"move-unit": coded_tree["lau_sau"].pk, "move-on": "01/10/2026"},
    )
    assert cadre.memberships.get(valid_to=None).unit == coded_tree["lau_sau"]
    assert cadre.memberships.get(unit=coded_tree["la_bang"]).valid_to == dt.date(2026, 9, 30)
    assert AuditEvent.objects.filter(action="cadre.move", actor=hr_la_bang).exists()


def _move(client, cadre, unit, on):
    return client.post(
        reverse("cadres:cadre_move", args=[cadre.pk]), {"move-unit": unit.pk, "move-on": on}
    )


def test_move_before_an_announced_move_is_refused_with_a_message(client, coded_tree, hr_la_bang):
    cadre = make_cadre(coded_tree["la_bang"], since=dt.date(2025, 7, 1))
    client.force_login(hr_la_bang)
    later = (timezone.localdate() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    sooner = (timezone.localdate() + dt.timedelta(days=10)).strftime("%d/%m/%Y")
    assert _move(client, cadre, coded_tree["lau_sau"], later).status_code == 302
    response = _move(client, cadre, coded_tree["la_bang"], sooner)
    assert response.status_code == 302
    assert cadre.memberships.get(valid_to=None).unit == coded_tree["lau_sau"]
    assert cadre.memberships.count() == 2


def test_leaving_before_an_announced_move_is_refused_with_a_message(client, coded_tree, hr_la_bang):
    cadre = make_cadre(coded_tree["la_bang"], since=dt.date(2025, 7, 1))
    client.force_login(hr_la_bang)
    later = (timezone.localdate() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    _move(client, cadre, coded_tree["lau_sau"], later)
    response = client.post(
        reverse("cadres:cadre_deactivate", args=[cadre.pk]),
        {"left-on": timezone.localdate().strftime("%d/%m/%Y")},
    )
    assert response.status_code == 302
    cadre.refresh_from_db()
    assert cadre.status == cadre.Status.ACTIVE


def test_move_after_an_announced_move_is_recorded(client, coded_tree, hr_la_bang):
    cadre = make_cadre(coded_tree["la_bang"], since=dt.date(2025, 7, 1))
    client.force_login(hr_la_bang)
    later = (timezone.localdate() + dt.timedelta(days=30)).strftime("%d/%m/%Y")
    latest = (timezone.localdate() + dt.timedelta(days=40)).strftime("%d/%m/%Y")
    _move(client, cadre, coded_tree["lau_sau"], later)
    _move(client, cadre, coded_tree["la_bang"], latest)
    assert cadre.memberships.get(valid_to=None).unit == coded_tree["la_bang"]
    assert cadre.memberships.count() == 3


def test_hr_officer_cannot_move_a_cadre_out_of_the_subtree(client, coded_tree, hr_la_bang):
    cadre = make_cadre(coded_tree["la_bang"])
    client.force_login(hr_la_bang)
    client.post(
        reverse("cadres:cadre_move", args=[cadre.pk]),
        {"move-unit": coded_tree["dai_phuc"].pk, "move-on": "01/10/2026"},
    )
    assert cadre.memberships.get().valid_to is None


def test_hr_officer_cannot_see_other_commune_cadre(client, coded_tree, hr_la_bang):
    cadre = make_cadre(coded_tree["dai_phuc"])
    client.force_login(hr_la_bang)
    assert client.get(reverse("cadres:cadre_detail", args=[cadre.pk])).status_code == 404
    assert (
        client.post(
            reverse("cadres:cadre_deactivate", args=[cadre.pk]), {"left-on": "01/10/2026"}
        ).status_code
        == 404
    )


def test_deactivation_keeps_the_cadre_and_is_audited_for_the_subtree(
    client, coded_tree, hr_la_bang
):
    cadre = make_cadre(coded_tree["la_bang"])
    client.force_login(hr_la_bang)
    client.post(reverse("cadres:cadre_deactivate", args=[cadre.pk]), {"left-on": "01/10/2026"})
    cadre.refresh_from_db()
    assert cadre.status == "left"
    page = client.get(reverse("cadres:audit_log")).content.decode()
    assert "Cán bộ nghỉ" in page and "cadre.deactivate" not in page


def test_audit_log_hides_other_subtrees(client, coded_tree, hr_la_bang, hr_dai_phuc):
    cadre = make_cadre(coded_tree["dai_phuc"])
    client.force_login(hr_dai_phuc)
    client.post(reverse("cadres:cadre_deactivate", args=[cadre.pk]), {"left-on": "01/10/2026"})
    client.force_login(hr_la_bang)
    assert "Cán bộ nghỉ" not in client.get(reverse("cadres:audit_log")).content.decode()


def test_activation_code_for_one_cadre_and_printable_list(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    cadre = make_cadre(coded_tree["la_bang"], cadre_code="LB9")
    client.force_login(hr_la_bang)
    page = client.post(reverse("cadres:cadre_activation", args=[cadre.pk])).content.decode()
    cadre.refresh_from_db()
    assert cadre.user.username == "lb9" and cadre.user.activation_code_hash
    assert "lb9" in page and "@media print" not in page
    with django_capture_on_commit_callbacks(execute=True):
        progress = client.post(
            reverse("cadres:activation_codes"), {"unit": coded_tree["la_bang"].pk}
        )
    batch = ActivationCodeBatch.objects.get()
    assert progress.url == reverse("cadres:activation_batch", args=[batch.pk])
    listing = client.post(reverse("cadres:activation_batch_download", args=[batch.pk]))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(listing.content)).pages)
    assert cadre.full_name in text and "lb9" in text


def test_roster_filters_by_unit(client, coded_tree, hr_la_bang):
    make_cadre(coded_tree["la_bang"], given_name="Xã")
    make_cadre(coded_tree["lau_sau"], given_name="Xóm")
    client.force_login(hr_la_bang)
    page = client.get(
        reverse("cadres:roster"), {"don_vi": coded_tree["lau_sau"].pk}
    ).content.decode()
    assert "Xóm" in page and "Nguyễn Thị Xã" not in page


def test_progress_page_of_a_running_check_reads_no_planned_rows(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(hr_la_bang)
    upload(client, messy_xlsx(bad=False), coded_tree["la_bang"])
    roster_import = dry_run(client, RosterImport.objects.get(), django_capture_on_commit_callbacks)
    RosterImport.objects.filter(pk=roster_import.pk).update(status="planning")
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("cadres:import_detail", args=[roster_import.pk]))
    assert 'http-equiv="refresh"' in page.content.decode()
    assert not any("rosterimportrow" in q["sql"].lower() for q in queries.captured_queries)


def test_page_of_a_finished_check_shows_one_page_of_planned_rows(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    client.force_login(hr_la_bang)
    upload(client, messy_xlsx(bad=False), coded_tree["la_bang"])
    roster_import = dry_run(client, RosterImport.objects.get(), django_capture_on_commit_callbacks)
    page = client.get(reverse("cadres:import_detail", args=[roster_import.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert "Dương Văn Bình" in page


def test_checking_a_file_again_replaces_its_planned_rows(
    client, coded_tree, hr_la_bang, django_capture_on_commit_callbacks
):
    from cadres.models import RosterImportRow

    client.force_login(hr_la_bang)
    upload(client, messy_xlsx(bad=False), coded_tree["la_bang"])
    roster_import = dry_run(client, RosterImport.objects.get(), django_capture_on_commit_callbacks)
    roster_import = dry_run(client, roster_import, django_capture_on_commit_callbacks)
    rows = RosterImportRow.objects.filter(roster_import=roster_import)
    assert rows.count() == sum(roster_import.counts.values()) == 5
