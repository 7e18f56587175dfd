"""Microsoft Teams' attendance list as it was downloaded before the 2023
report (Summary / Participants / In-Meeting Activities): one flat UTF-16,
tab-separated file, a row per join or leave event."""

import pytest

from trainings.attendee_report import ReportFileError, parse


def legacy_teams(rows, *, header="Full Name\tUser Action\tTimestamp") -> bytes:
    lines = [header, *("\t".join(row) for row in rows)]
    return ("\r\n".join(lines) + "\r\n").encode("utf-16")


def test_older_teams_list_pairs_joins_and_leaves_and_sums_minutes_per_person():
    report = parse(
        legacy_teams(
            [
                ("Nguyễn Thị Hoa", "Joined before", "3/12/2026, 7:55:00 AM"),
                ("Dương Văn Bình Minh", "Joined", "3/12/2026, 8:10:00 AM"),
                ("Nguyễn Thị Hoa", "Left", "3/12/2026, 8:40:00 AM"),
                ("Nguyễn Thị Hoa", "Joined", "3/12/2026, 8:50:00 AM"),
                ("Dương Văn Bình Minh", "Left", "3/12/2026, 9:00:00 AM"),
                ("Nguyễn Thị Hoa", "Left", "3/12/2026, 10:00:00 AM"),
            ]
        )
    )
    assert report.format == "teams"
    assert report.errors == []
    people = {p.name: p.as_json() for p in report.participants}
    assert people["Nguyễn Thị Hoa"] == {
        "name": "Nguyễn Thị Hoa",
        "email": "",
        "minutes": 115,
        "first_join": "2026-03-12T07:55:00",
        "last_leave": "2026-03-12T10:00:00",
    }
    assert people["Dương Văn Bình Minh"]["minutes"] == 50


def test_older_teams_list_counts_someone_still_in_the_meeting_up_to_the_last_event():
    report = parse(
        legacy_teams(
            [
                ("Ma Văn Thắng", "Joined", "3/12/2026, 8:00:00 AM"),
                ("Nguyễn Thị Hoa", "Joined", "3/12/2026, 8:30:00 AM"),
                ("Nguyễn Thị Hoa", "Left", "3/12/2026, 9:30:00 AM"),
            ]
        )
    )
    thang = next(p for p in report.participants if p.name == "Ma Văn Thắng")
    assert thang.as_json()["minutes"] == 90


def test_older_teams_list_with_an_unreadable_timestamp_reports_the_line():
    report = parse(
        legacy_teams(
            [
                ("Nguyễn Thị Hoa", "Joined", "3/12/2026, 8:00:00 AM"),
                ("Nguyễn Thị Hoa", "Left", "sáng nay"),
            ]
        )
    )
    assert report.errors == ["Dòng 3: “sáng nay” không phải là thời gian (Timestamp)."]


def test_older_teams_list_without_its_timestamp_column_is_not_taken_for_a_report():
    with pytest.raises(ReportFileError):
        parse(
            legacy_teams(
                [("Nguyễn Thị Hoa", "Joined")],
                header="Full Name\tUser Action",
            )
        )
