import datetime as dt
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone

from courses.models import Completion
from tests.factories import make_cadre
from trainings.attendee_report import ReportFileError, parse, parse_duration
from trainings.models import Attendance
from trainings.services import (
    AMBIGUOUS,
    MATCHED,
    UNMATCHED,
    ImportRejected,
    attendance_import_commit,
    attendance_import_plan,
)

from .conftest import make_session
from .report_files import meet_csv, teams_csv, zoom_csv


def test_zoom_report_sums_minutes_over_every_join_of_a_person():
    report = parse(
        zoom_csv(
            [
                (
                    "Nguyễn Thị Hoa (iPhone)",
                    "hoa@mttq.vn",
                    "12/03/2026 08:01:00 AM",
                    "12/03/2026 08:40:00 AM",
                    39,
                ),
                (
                    "Nguyễn Thị Hoa",
                    "HOA@mttq.vn",
                    "12/03/2026 08:45:00 AM",
                    "12/03/2026 09:58:00 AM",
                    73,
                ),
                ("Ma Văn Thắng", "", "12/03/2026 08:20:00 AM", "12/03/2026 09:00:00 AM", 40),
            ]
        )
    )
    assert report.format == "zoom"
    hoa = next(p for p in report.participants if p.email == "hoa@mttq.vn")
    assert hoa.as_json() == {
        "name": "Nguyễn Thị Hoa",
        "email": "hoa@mttq.vn",
        "minutes": 112,
        "first_join": "2026-12-03T08:01:00",
        "last_leave": "2026-12-03T09:58:00",
    }
    assert len(report.participants) == 2


def test_teams_utf16_report_reads_the_participants_section_only():
    report = parse(
        teams_csv(
            [
                (
                    "Nguyễn Thị Hoa",
                    "hoa@mttq.vn",
                    "12/3/26, 8:01:10 AM",
                    "12/3/26, 9:59:00 AM",
                    "1h 57m 50s",
                ),
                (
                    "Dương Văn Bình Minh",
                    "minh@mttq.vn",
                    "12/3/26, 8:30:00 AM",
                    "12/3/26, 9:00:00 AM",
                    "30m",
                ),
            ]
        )
    )
    assert report.format == "teams"
    assert [p.as_json()["minutes"] for p in report.participants] == [117.8, 30]
    assert report.participants[0].as_json()["first_join"] == "2026-12-03T08:01:10"


def test_meet_report_joins_first_and_last_names():
    report = parse(
        meet_csv([("Thị Hoa", "Nguyễn", "hoa@mttq.vn", "1 hr 5 min", "8:02 AM", "9:07 AM")])
    )
    assert report.format == "meet"
    assert report.participants[0].as_json()["minutes"] == 65
    assert report.participants[0].name == "Thị Hoa Nguyễn"


@pytest.mark.parametrize(
    ("text", "seconds"),
    [("45", 2700), ("1h 2m 3s", 3723), ("1 hr 5 min", 3900), ("1:05:00", 3900), ("30 phút", 1800)],
)
def test_durations_as_the_services_print_them(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize(
    "data",
    [b"", b"Ho ten,So dien thoai\nA,1\n", b"PK\x03\x04binary", b"\x00\xff" * 200],
)
def test_files_that_are_not_a_meeting_report_are_rejected_with_a_message(data):
    with pytest.raises(ReportFileError):
        parse(data)


def test_parse_only_prints_one_json_line_per_participant_then_the_format(tmp_path, capsys):
    path = tmp_path / "zoom.csv"
    path.write_bytes(
        zoom_csv(
            [
                (
                    "Nguyễn Thị Hoa",
                    "hoa@mttq.vn",
                    "12/03/2026 08:01:00 AM",
                    "12/03/2026 08:40:00 AM",
                    39,
                ),
                (
                    "Nguyễn Thị Hoa",
                    "hoa@mttq.vn",
                    "12/03/2026 08:45:00 AM",
                    "12/03/2026 09:58:00 AM",
                    73,
                ),
            ]
        )
    )
    call_command("import_attendance", str(path), "--parse-only")
    lines = [json.loads(line) for line in capsys.readouterr().out.strip().splitlines()]
    assert lines == [
        {
            "name": "Nguyễn Thị Hoa",
            "email": "hoa@mttq.vn",
            "minutes": 112,
            "first_join": "2026-12-03T08:01:00",
            "last_leave": "2026-12-03T09:58:00",
        },
        {"format": "zoom", "participants": 1},
    ]


# --- matching and committing ----------------------------------------------------------


@pytest.fixture
def online(tree, course, cadre_user):
    cadre = cadre_user.cadre
    cadre.email = "hoa@mttq.vn"
    cadre.save()
    return make_session(
        tree["la_bang"], course=course, mode="truc_tuyen", starts_in=dt.timedelta(hours=-3)
    )


def _stamp(session, minutes_after_start: int) -> str:
    moment = timezone.localtime(session.starts_at) + dt.timedelta(minutes=minutes_after_start)
    return moment.strftime("%m/%d/%Y %I:%M:%S %p")


def _participants(data):
    return [p.as_json() for p in parse(data).participants]


def test_participants_match_by_email_phone_and_folded_name(tree, online, cadre_user):
    thang = make_cadre(
        tree["la_bang"], family_name="Ma Văn", given_name="Thắng", phone="0912345678"
    )
    dao = make_cadre(tree["la_bang"], family_name="Hoàng Thị", given_name="Đào")
    from trainings.services import session_sync_invitations

    session_sync_invitations(session=online)
    data = zoom_csv(
        [
            ("Hoa iPhone", "hoa@mttq.vn", _stamp(online, 0), _stamp(online, 110), 110),
            ("0912 345 678 - Thang", "", _stamp(online, 0), _stamp(online, 110), 110),
            ("hoang thi dao - La Bang", "", _stamp(online, 0), _stamp(online, 110), 110),
            ("Khách mời", "", _stamp(online, 0), _stamp(online, 110), 110),
        ]
    )
    plan = attendance_import_plan(session=online, participants=_participants(data))
    states = [(row.state, row.cadre_id, row.how) for row in plan.rows]
    assert states == [
        (MATCHED, cadre_user.cadre.pk, "email"),
        (MATCHED, thang.pk, "phone"),
        (MATCHED, dao.pk, "name"),
        (UNMATCHED, None, ""),
    ]


def test_two_invitees_with_the_same_name_are_ambiguous(tree, online):
    make_cadre(tree["la_bang"], family_name="Nguyễn Thị", given_name="Mai")
    make_cadre(tree["lau_sau"], family_name="Nguyễn Thị", given_name="Mai")
    from trainings.services import session_sync_invitations

    session_sync_invitations(session=online)
    data = zoom_csv([("Nguyen Thi Mai", "", _stamp(online, 0), _stamp(online, 100), 100)])
    plan = attendance_import_plan(session=online, participants=_participants(data))
    assert plan.rows[0].state == AMBIGUOUS
    assert len(plan.rows[0].candidates) == 2


def test_commit_applies_the_minimum_share_and_completes_for_those_present(
    tree, online, hr_la_bang, cadre_user
):
    short = make_cadre(tree["la_bang"], family_name="Ma Văn", given_name="Thắng")
    from trainings.services import session_sync_invitations

    session_sync_invitations(session=online)
    data = zoom_csv(
        [
            ("Nguyễn Thị Hoa", "hoa@mttq.vn", _stamp(online, 2), _stamp(online, 60), 58),
            ("Nguyễn Thị Hoa", "hoa@mttq.vn", _stamp(online, 65), _stamp(online, 118), 53),
            ("Ma Văn Thắng", "", _stamp(online, 0), _stamp(online, 30), 30),
        ]
    )
    plan = attendance_import_plan(session=online, participants=_participants(data))
    counts = attendance_import_commit(session=online, plan=plan, by=hr_la_bang)
    assert counts == {"present": 1, "late": 0, "absent": 1, "skipped": 0}
    hoa = Attendance.objects.get(cadre=cadre_user.cadre)
    assert (hoa.status, hoa.minutes, hoa.source) == ("co_mat", 111, "meeting")
    assert Attendance.objects.get(cadre=short).status == "vang"
    assert list(Completion.objects.values_list("enrolment__cadre_id", flat=True)) == [
        cadre_user.cadre.pk
    ]


def test_an_unresolved_participant_rejects_the_whole_import(online, hr_la_bang):
    data = zoom_csv(
        [
            ("Nguyễn Thị Hoa", "hoa@mttq.vn", _stamp(online, 0), _stamp(online, 110), 110),
            ("Khách mời", "", _stamp(online, 0), _stamp(online, 110), 110),
        ]
    )
    plan = attendance_import_plan(session=online, participants=_participants(data))
    with pytest.raises(ImportRejected):
        attendance_import_commit(session=online, plan=plan, by=hr_la_bang)
    assert not Attendance.objects.exists()
    counts = attendance_import_commit(
        session=online, plan=plan, by=hr_la_bang, resolutions={1: None}
    )
    assert counts["skipped"] == 1
    assert Attendance.objects.count() == 1


def test_hr_officer_of_another_commune_cannot_import(online, hr_dai_phuc):
    data = zoom_csv(
        [("Nguyễn Thị Hoa", "hoa@mttq.vn", _stamp(online, 0), _stamp(online, 110), 110)]
    )
    plan = attendance_import_plan(session=online, participants=_participants(data))
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        attendance_import_commit(session=online, plan=plan, by=hr_dai_phuc)
    assert not Attendance.objects.exists()


def test_command_dry_run_prints_matches_and_writes_nothing(tmp_path, online, capsys):
    path = tmp_path / "teams.csv"
    start = timezone.localtime(online.starts_at)
    path.write_bytes(
        teams_csv(
            [
                (
                    "Nguyễn Thị Hoa",
                    "hoa@mttq.vn",
                    start.strftime("%m/%d/%y, %I:%M:%S %p"),
                    (start + dt.timedelta(hours=2)).strftime("%m/%d/%y, %I:%M:%S %p"),
                    "2h",
                )
            ]
        )
    )
    call_command("import_attendance", str(path), "--session", str(online.pk), "--dry-run")
    out = capsys.readouterr().out
    assert "khớp (email): Nguyễn Thị Hoa" in out
    assert not Attendance.objects.exists()


def test_command_exits_non_zero_and_writes_nothing_when_a_row_is_rejected(
    tmp_path, online, administrator
):
    path = tmp_path / "zoom.csv"
    path.write_bytes(zoom_csv([("Người lạ", "", _stamp(online, 0), _stamp(online, 110), 110)]))
    with pytest.raises(CommandError):
        call_command("import_attendance", str(path), "--session", str(online.pk))
    assert not Attendance.objects.exists()


def test_command_imports_a_matched_report(tmp_path, online, administrator):
    path = tmp_path / "meet.csv"
    path.write_bytes(meet_csv([("Thị Hoa", "Nguyễn", "hoa@mttq.vn", "1 hr 55 min", "", "")]))
    call_command("import_attendance", str(path), "--session", str(online.pk))
    assert Attendance.objects.get().status == "co_mat"


def test_officer_uploads_resolves_and_imports_in_the_browser_flow(
    client, tree, online, hr_la_bang, cadre_user
):
    client.force_login(hr_la_bang)
    data = zoom_csv(
        [
            ("Nguyễn Thị Hoa", "hoa@mttq.vn", _stamp(online, 0), _stamp(online, 115), 115),
            ("Giảng viên tỉnh", "", _stamp(online, 0), _stamp(online, 115), 115),
        ]
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("trainings:import_upload", args=[online.pk]),
        {"file": SimpleUploadedFile("zoom.csv", data, content_type="text/csv")},
    )
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert "1 khớp, 1 không khớp" in page.content.decode()
    rejected = client.post(response["Location"], {})
    assert "chưa khớp với cán bộ nào" in rejected.content.decode()
    assert not Attendance.objects.exists()
    done = client.post(response["Location"], {"resolve-1": "skip"})
    assert done.status_code == 302
    assert Attendance.objects.get().cadre == cadre_user.cadre


def test_upload_of_a_broken_file_shows_a_vietnamese_message(client, online, hr_la_bang):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(hr_la_bang)
    response = client.post(
        reverse("trainings:import_upload", args=[online.pk]),
        {"file": SimpleUploadedFile("x.csv", b"a,b\n1,2\n", content_type="text/csv")},
    )
    assert response.status_code == 200
    assert "Đây không phải báo cáo người tham gia" in response.content.decode()


def test_an_imported_meeting_report_makes_the_present_trained_by_training_in_the_fact(
    tree, online, hr_la_bang, cadre_user, course
):
    from courses.models import Programme, ProgrammeCourse, TrainedSpell
    from courses.trained import trained_check, trained_rebuild

    programme = Programme.objects.create(name="Chương trình tập huấn", unit=tree["province"])
    ProgrammeCourse.objects.create(programme=programme, course=course, required=True)
    trained_rebuild(programme_ids=[programme.pk])
    short = make_cadre(tree["la_bang"], family_name="Ma Văn", given_name="Thắng")
    from trainings.services import session_sync_invitations

    session_sync_invitations(session=online)
    data = zoom_csv(
        [
            ("Nguyễn Thị Hoa", "hoa@mttq.vn", _stamp(online, 0), _stamp(online, 118), 118),
            ("Ma Văn Thắng", "", _stamp(online, 0), _stamp(online, 30), 30),
        ]
    )
    plan = attendance_import_plan(session=online, participants=_participants(data))
    attendance_import_commit(session=online, plan=plan, by=hr_la_bang)
    spells = list(TrainedSpell.objects.values_list("cadre_id", "programme_id", "route"))
    assert spells == [(cadre_user.cadre.pk, programme.pk, "training")]
    assert short.pk not in [cadre_id for cadre_id, _p, _r in spells]
    assert trained_check() == (1, [])


def test_a_report_submitted_twice_is_recorded_once_and_the_second_is_told_so(
    client, tree, online, hr_la_bang, cadre_user
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from trainings.models import AttendanceImport

    client.force_login(hr_la_bang)
    data = zoom_csv(
        [("Nguyễn Thị Hoa", "hoa@mttq.vn", _stamp(online, 0), _stamp(online, 115), 115)]
    )
    upload = client.post(
        reverse("trainings:import_upload", args=[online.pk]),
        {"file": SimpleUploadedFile("zoom.csv", data, content_type="text/csv")},
    )
    first = client.post(upload["Location"], {})
    assert first.status_code == 302
    second = client.post(upload["Location"], {})
    assert second.status_code == 200
    assert "Báo cáo này đã được nhập rồi." in second.content.decode()
    assert Attendance.objects.count() == 1
    record = AttendanceImport.objects.get()
    assert (record.status, record.summary["present"]) == ("done", 1)


def test_an_officer_of_another_commune_cannot_keep_a_report_for_the_session(online, hr_dai_phuc):
    from django.core.exceptions import PermissionDenied

    from trainings.models import AttendanceImport
    from trainings.services import attendance_import_create

    data = zoom_csv(
        [("Nguyễn Thị Hoa", "hoa@mttq.vn", _stamp(online, 0), _stamp(online, 110), 110)]
    )
    with pytest.raises(PermissionDenied):
        attendance_import_create(
            session=online, by=hr_dai_phuc, file_name="zoom.csv", data=data, report=parse(data)
        )
    assert not AttendanceImport.objects.exists()
