"""XLSX and CSV exports as a background job: the file holds the same lines as
the whole-tree report, the job counts its progress, and only the officer who
asked gets the file."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cadres.models import OrgUnit, User
from cadres.private_files import private_storage
from reports import export_jobs
from reports.figures import report_build
from reports.formatting import status_label
from reports.models import ReportExport
from tests.factories import make_cadre, make_unit

from .conftest import complete, fetch_export

pytestmark = pytest.mark.django_db

AS_OF = "31/12/2025"
REFORM = dt.date(2025, 7, 1)
KINDS = dict(OrgUnit.Kind.choices)


@pytest.fixture
def world(tree, courses, programme, target):
    """The small province, with a group node, a district that ceased on the
    reform, a unit left valid under it (a data error: no place in the tree),
    part-time cadres, other positions and a name that looks like a formula."""
    province, la_bang = tree["province"], tree["la_bang"]
    group = make_unit("Các xã vùng cao", parent=province, kind=OrgUnit.Kind.COMMUNE_GROUP)
    highland = make_unit("=Ủy ban MTTQ xã Phú Đình", parent=group)
    hamlet = make_unit(
        "Ban Công tác Mặt trận xóm Khuôn Tát",
        parent=highland,
        kind=OrgUnit.Kind.RESIDENTIAL_COMMITTEE,
    )
    district = make_unit(
        "Ủy ban MTTQ huyện Đại Từ",
        parent=province,
        kind=OrgUnit.Kind.DISTRICT_COMMITTEE,
        valid_to=REFORM - dt.timedelta(days=1),
    )
    orphan = make_unit("Ủy ban MTTQ xã Cù Vân", parent=district)
    cadres = [
        make_cadre(la_bang, family_name="Nguyễn Thị", given_name="Hoa"),
        make_cadre(tree["lau_sau"], full_time=False, position="Trưởng ban"),
        make_cadre(tree["dai_phuc"], family_name="Dương Văn", given_name="Bình Minh"),
        make_cadre(highland, family_name="Ma Văn", given_name="Thắng"),
        make_cadre(hamlet, full_time=False),
        make_cadre(hamlet),
        make_cadre(district, since=dt.date(2021, 1, 1), until=REFORM - dt.timedelta(days=1)),
        make_cadre(orphan),
    ]
    for cadre in cadres[::2]:
        complete(cadre, courses[0], dt.date(2025, 8, 1))
        complete(cadre, courses[1], dt.date(2025, 8, 1))
    complete(cadres[5], courses[0], dt.date(2025, 9, 1))
    return {**tree, "group": group, "highland": highland, "hamlet": hamlet, "district": district}


def _expected(report) -> list[list]:
    """The lines today's export wrote from the whole-tree report, in tree order."""
    names = {row.path: row.name for row in report.rows}
    target = report.target
    lines = []
    for row in report.rows:
        lines.append(
            [
                row.level + 1,
                row.name,
                names.get(row.path[: -OrgUnit.steplen], "") if row.level else "",
                str(KINDS.get(row.kind, row.kind)),
                row.in_scope,
                row.trained,
                round(row.trained / row.in_scope, 4) if row.in_scope else None,
                target.percentage / 100 if target else None,
                row.gap,
                status_label(row.status),
            ]
        )
    return lines


def _as_csv(line: list) -> list[str]:
    text = [
        *line[:6],
        "" if line[6] is None else f"{line[6] * 100:.1f}",
        "" if line[7] is None else f"{line[7] * 100:.0f}",
        "" if line[8] is None else line[8],
        line[9],
    ]
    return ["'" + v if isinstance(v, str) and v.startswith("=") else str(v) for v in text]


def _as_xlsx(value):
    if value == "":
        return None  # an empty text cell reads back as an empty cell
    return "'" + value if isinstance(value, str) and value.startswith("=") else value


def _job(by, unit, programme, target, day, fmt, **filters) -> ReportExport:
    export = export_jobs.report_export_create(
        by=by, unit=unit, programme=programme, target=target, day=day, fmt=fmt, **filters
    )
    return export_jobs.report_export_build(export_id=export.pk, progress_every=2)


def _read(export: ReportExport) -> bytes:
    with export.file.open("rb") as handle:
        return handle.read()


CASES = [
    ("province", dt.date(2025, 12, 31), {}),
    ("province", dt.date(2024, 12, 31), {}),
    ("province", dt.date(2025, 12, 31), {"full_time_only": True}),
    ("province", dt.date(2025, 12, 31), {"unit_kind": OrgUnit.Kind.RESIDENTIAL_COMMITTEE}),
    ("province", dt.date(2024, 12, 31), {"unit_kind": OrgUnit.Kind.COMMUNE_COMMITTEE}),
    ("la_bang", dt.date(2025, 12, 31), {}),
    ("highland", dt.date(2025, 12, 31), {"unit_kind": OrgUnit.Kind.RESIDENTIAL_COMMITTEE}),
]


@pytest.mark.parametrize(("root", "day", "filters"), CASES)
def test_csv_job_holds_the_lines_of_the_whole_tree_report(
    world, hr_province, programme, target, root, day, filters
):
    unit = world[root]
    report = report_build(root=unit, programme=programme, day=day, target=target, **filters)
    export = _job(hr_province, unit, programme, target, day, "csv", **filters)
    body = _read(export)
    assert body.startswith("\ufeff".encode())
    header, *lines = csv.reader(io.StringIO(body.decode("utf-8-sig")))
    assert header[:2] == ["Cấp", "Đơn vị"]
    assert lines == [_as_csv(line) for line in _expected(report)]
    assert len(lines) > 1 or root == "highland"


@pytest.mark.parametrize(("root", "day", "filters"), CASES)
def test_xlsx_job_holds_one_sheet_per_level_with_the_report_lines(
    world, hr_province, programme, target, root, day, filters
):
    unit = world[root]
    report = report_build(root=unit, programme=programme, day=day, target=target, **filters)
    export = _job(hr_province, unit, programme, target, day, "xlsx", **filters)
    book = load_workbook(io.BytesIO(_read(export)))
    expected = _expected(report)
    levels = sorted({line[0] for line in expected})
    assert book.sheetnames == ["Thông tin"] + [f"Cấp {level}" for level in levels]
    for level in levels:
        header, *rows = book[f"Cấp {level}"].iter_rows(values_only=True)
        assert header[:2] == ("Cấp", "Đơn vị")
        wanted = [tuple(_as_xlsx(v) for v in line) for line in expected if line[0] == level]
        assert [tuple(row) for row in rows] == wanted


def test_units_a_data_error_left_outside_the_tree_are_not_exported(
    world, hr_province, programme, target
):
    export = _job(hr_province, world["province"], programme, target, dt.date(2025, 12, 31), "csv")
    text = _read(export).decode("utf-8-sig")
    assert "Cù Vân" not in text and "Đại Từ" not in text
    # The province counts 6 members today: the orphan's cadre is not one.
    province_line = next(csv.reader(io.StringIO(text.splitlines()[1])))
    assert province_line[4:6] == ["6", "3"]


def test_job_counts_its_progress_as_it_writes(world, hr_province, programme, target, monkeypatch):
    seen = []
    write = export_jobs.exports.csv_write

    def watching(report, rows, out):
        def watched():
            for row in rows:
                yield row
                export = ReportExport.objects.get()
                seen.append((export.status, export.done, export.total))

        write(report, watched(), out)

    monkeypatch.setattr(export_jobs.exports, "csv_write", watching)
    export = _job(hr_province, world["province"], programme, target, dt.date(2025, 12, 31), "csv")
    units = 7  # province, 3 communes, the group, a residential committee each side
    assert (export.status, export.done, export.total) == ("done", units, units)
    assert [done for _status, done, _total in seen] == [0, 0, 2, 2, 4, 4, 6]
    assert {(status, total) for status, _done, total in seen} == {("running", units)}


def test_a_job_done_is_not_written_again(world, hr_province, programme, target):
    export = _job(hr_province, world["la_bang"], programme, target, dt.date(2025, 12, 31), "csv")
    name = export.file.name
    again = export_jobs.report_export_build(export_id=export.pk)
    assert again.file.name == name and again.status == "done"


def test_a_job_another_run_is_moving_is_left_alone_until_it_stalls(
    world, hr_province, programme, target
):
    export = export_jobs.report_export_create(
        by=hr_province,
        unit=world["la_bang"],
        programme=programme,
        target=target,
        day=dt.date(2025, 12, 31),
        fmt="csv",
    )
    moving = timezone.now()
    ReportExport.objects.filter(pk=export.pk).update(status="running", heartbeat_at=moving)
    assert export_jobs.report_export_build(export_id=export.pk).status == "running"
    assert not ReportExport.objects.get(pk=export.pk).file
    stalled = moving - export_jobs.STALE_AFTER - dt.timedelta(seconds=1)
    ReportExport.objects.filter(pk=export.pk).update(heartbeat_at=stalled)
    export_jobs.report_export_build(export_id=export.pk)
    assert ReportExport.objects.get(pk=export.pk).status == "done"


def test_a_redelivered_message_waits_for_the_run_moving_the_job_then_takes_over_a_stalled_one(
    world, hr_province, programme, target
):
    from celery.exceptions import Retry

    from reports.tasks import report_export_build_task

    export = export_jobs.report_export_create(
        by=hr_province,
        unit=world["province"],
        programme=programme,
        target=target,
        day=dt.date(2025, 12, 31),
        fmt="xlsx",
    )
    ReportExport.objects.filter(pk=export.pk).update(status="running", heartbeat_at=timezone.now())
    with pytest.raises(Retry) as retry:
        report_export_build_task.apply(args=[export.pk])
    assert retry.value.when == export_jobs.WATCH_SECONDS
    export.refresh_from_db()
    assert (export.status, export.error, export.file.name) == ("running", "", "")
    stalled = timezone.now() - export_jobs.STALE_AFTER - dt.timedelta(seconds=1)
    ReportExport.objects.filter(pk=export.pk).update(heartbeat_at=stalled)
    assert report_export_build_task.apply(args=[export.pk]).get() == 7
    export.refresh_from_db()
    assert export.status == "done" and export.file


def test_a_failed_job_says_so_on_its_page(
    client, world, hr_province, programme, target, monkeypatch
):
    def broken(report, rows, out):
        raise OSError("disk full")

    monkeypatch.setattr(export_jobs.exports, "xlsx_write", broken)
    client.force_login(hr_province)
    with pytest.raises(OSError):
        fetch_export(client, "xlsx", {"programme": programme.pk, "as_of": AS_OF})
    export = ReportExport.objects.get()
    assert (export.status, export.error) == ("failed", "disk full")
    page = client.get(reverse("reports:export_status", args=[export.pk])).content.decode()
    assert "Chưa tạo được tệp" in page
    assert client.get(reverse("reports:export_file", args=[export.pk])).status_code == 404


def test_report_page_buttons_post_the_report_query(client, world, hr_province, programme):
    client.force_login(hr_province)
    body = client.get(
        reverse("reports:report"), {"programme": programme.pk, "as_of": AS_OF, "full_time": "on"}
    ).content.decode()
    for fmt in ("xlsx", "csv"):
        assert f'<form method="post" action="{reverse("reports:export", args=[fmt])}"' in body
    assert '<input type="hidden" name="full_time" value="on">' in body
    assert f'<input type="hidden" name="programme" value="{programme.pk}">' in body


def test_the_job_keeps_the_query_it_was_asked_for(client, world, hr_province, programme, target):
    client.force_login(hr_province)
    query = {
        "programme": programme.pk,
        "as_of": "30/09/2025",
        "full_time": "on",
        "unit": world["la_bang"].pk,
    }
    body = fetch_export(client, "csv", query).decode("utf-8-sig")
    export = ReportExport.objects.get()
    assert (export.unit, export.programme, export.target) == (world["la_bang"], programme, target)
    assert (export.as_of, export.full_time_only, export.format) == (
        dt.date(2025, 9, 30),
        True,
        "csv",
    )
    assert "Phú Đình" not in body and "Ủy ban MTTQ xã La Bằng" in body
    page = client.get(reverse("reports:export_status", args=[export.pk])).content.decode()
    assert "2/2 đơn vị" in page
    assert "Tải tệp CSV" in page and 'http-equiv="refresh"' not in page
    assert 'role="progressbar" aria-label="Tiến độ" aria-valuemin="0" aria-valuemax="100"' in page


def test_a_queued_job_page_refreshes_and_offers_no_file(client, world, hr_province, programme):
    client.force_login(hr_province)
    response = client.post(
        reverse("reports:export", args=["xlsx"]), {"programme": programme.pk, "as_of": AS_OF}
    )  # the on-commit enqueue never runs: the job stays queued
    export = ReportExport.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert 'http-equiv="refresh"' in page and "Đang chờ" in page
    assert client.get(reverse("reports:export_file", args=[export.pk])).status_code == 404


# --- who may ask, who may download ------------------------------------------


def test_requester_downloads_their_file_privately(client, world, hr_la_bang, programme):
    client.force_login(hr_la_bang)
    fetch_export(client, "csv", {"programme": programme.pk, "as_of": AS_OF})
    export = ReportExport.objects.get()
    assert export.file.storage is private_storage()
    assert export.file.name.startswith("report-exports/") and "bao-cao" not in export.file.name
    response = client.get(reverse("reports:export_file", args=[export.pk]))
    assert response["Cache-Control"] == "private, no-store"
    assert "bao-cao-uy-ban-mttq-xa-la-bang-20251231.csv" in response["Content-Disposition"]


@pytest.mark.parametrize("other", ["hr_province", "administrator", "cadre_user"])
def test_anyone_but_the_requester_gets_404(request, client, world, hr_la_bang, programme, other):
    client.force_login(hr_la_bang)
    fetch_export(client, "xlsx", {"programme": programme.pk, "as_of": AS_OF})
    export = ReportExport.objects.get()
    client.force_login(request.getfixturevalue(other))
    assert client.get(reverse("reports:export_status", args=[export.pk])).status_code == 404
    assert client.get(reverse("reports:export_file", args=[export.pk])).status_code == 404


def test_another_officer_of_the_same_unit_gets_404(client, world, hr_la_bang, programme):
    from tests.conftest import _user

    colleague = _user(User.Role.HR_OFFICER, world["la_bang"], username="tochuc.labang2")
    client.force_login(hr_la_bang)
    fetch_export(client, "csv", {"programme": programme.pk, "as_of": AS_OF})
    export = ReportExport.objects.get()
    client.force_login(colleague)
    assert client.get(reverse("reports:export_status", args=[export.pk])).status_code == 404
    assert client.get(reverse("reports:export_file", args=[export.pk])).status_code == 404


def test_requester_who_lost_the_unit_gets_404(client, world, hr_la_bang, programme):
    from cadres.accounts.services import user_set_role

    client.force_login(hr_la_bang)
    fetch_export(client, "csv", {"programme": programme.pk, "as_of": AS_OF})
    export = ReportExport.objects.get()
    user_set_role(user=hr_la_bang, role=User.Role.HR_OFFICER, scope_unit=world["dai_phuc"])
    client.force_login(hr_la_bang)
    assert client.get(reverse("reports:export_file", args=[export.pk])).status_code == 404


def test_anonymous_is_sent_to_sign_in(client, world, hr_la_bang, programme):
    client.force_login(hr_la_bang)
    fetch_export(client, "csv", {"programme": programme.pk, "as_of": AS_OF})
    export = ReportExport.objects.get()
    client.logout()
    for url in (
        reverse("reports:export", args=["csv"]),
        reverse("reports:export_status", args=[export.pk]),
        reverse("reports:export_file", args=[export.pk]),
    ):
        response = client.post(url) if "xuat" in url else client.get(url)
        assert response.status_code == 302 and "/tai-khoan/login/" in response["Location"]
    assert ReportExport.objects.count() == 1


def test_officer_may_ask_for_their_own_unit(client, world, hr_dai_phuc, programme):
    client.force_login(hr_dai_phuc)
    query = {"programme": programme.pk, "as_of": AS_OF, "unit": world["dai_phuc"].pk}
    assert "Đại Phúc" in fetch_export(client, "csv", query).decode("utf-8-sig")


def test_officer_outside_the_unit_cannot_ask_for_it(client, world, hr_dai_phuc, programme):
    client.force_login(hr_dai_phuc)
    query = {"programme": programme.pk, "as_of": AS_OF, "unit": world["la_bang"].pk}
    response = client.post(reverse("reports:export", args=["csv"]), query)
    assert response.status_code == 404
    assert not ReportExport.objects.exists()


def test_a_cadre_cannot_ask_for_an_export(client, world, cadre_user, programme):
    client.force_login(cadre_user)
    response = client.post(
        reverse("reports:export", args=["csv"]), {"programme": programme.pk, "as_of": AS_OF}
    )
    assert response.status_code == 404
    assert not ReportExport.objects.exists()


def test_service_refuses_a_unit_the_officer_cannot_see(world, hr_dai_phuc, programme, target):
    with pytest.raises(PermissionDenied):
        export_jobs.report_export_create(
            by=hr_dai_phuc,
            unit=world["la_bang"],
            programme=programme,
            target=target,
            day=dt.date(2025, 12, 31),
            fmt="xlsx",
        )
    assert not ReportExport.objects.exists()


def test_a_date_the_unit_did_not_exist_on_is_a_message_not_a_job(
    client, world, hr_province, programme
):
    client.force_login(hr_province)
    response = client.post(
        reverse("reports:export", args=["csv"]),
        {"programme": programme.pk, "as_of": "01/01/2999"},
        follow=True,
    )
    assert "Ngày xem không được ở tương lai." in response.content.decode()
    assert not ReportExport.objects.exists()


# --- old files --------------------------------------------------------------


def test_exports_older_than_a_day_are_deleted_with_their_files(
    world, hr_province, programme, target
):
    old = _job(hr_province, world["la_bang"], programme, target, dt.date(2025, 12, 31), "csv")
    recent = _job(hr_province, world["la_bang"], programme, target, dt.date(2025, 12, 31), "xlsx")
    ReportExport.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - dt.timedelta(hours=24, minutes=1)
    )
    storage, name = old.file.storage, old.file.name
    assert storage.exists(name)
    from reports.tasks import report_exports_purge_task

    assert report_exports_purge_task.delay().get() == 1
    assert not storage.exists(name)
    assert list(ReportExport.objects.all()) == [recent]
    assert recent.file.storage.exists(recent.file.name)


def test_purge_is_on_the_beat_schedule(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["reports-exports-purge"]
    assert entry["task"] == "reports.tasks.report_exports_purge_task"


def test_a_day_before_the_unit_existed_is_a_message_not_a_job(client, world, hr_la_bang, programme):
    la_bang = world["la_bang"]
    la_bang.valid_from = REFORM
    la_bang.save()
    client.force_login(hr_la_bang)
    response = client.post(
        reverse("reports:export", args=["xlsx"]),
        {"programme": programme.pk, "as_of": "31/12/2024"},
        follow=True,
    )
    assert "chỉ có từ ngày 01/07/2025" in response.content.decode()
    assert not ReportExport.objects.exists()
