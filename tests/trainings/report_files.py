"""Attendee reports laid out as Zoom, Microsoft Teams and Google Meet export them."""


def zoom_csv(rows, *, with_meeting_block: bool = True) -> bytes:
    """rows: (name, email, join "MM/DD/YYYY hh:mm:ss AM", leave, minutes)."""
    lines = []
    if with_meeting_block:
        lines += [
            "Meeting ID,Topic,Start Time,End Time,User Email,Duration (Minutes),Participants",
            "812 3456 7890,Tập huấn kỹ năng số,12/03/2026 08:00:00 AM,12/03/2026 10:00:00 AM,"
            "tochuc@mttq.vn,120,3",
            "",
        ]
    lines.append(
        "Name (Original Name),User Email,Join Time,Leave Time,Duration (Minutes),Guest,"
        "Recording Consent,In Waiting Room"
    )
    for name, email, join, leave, minutes in rows:
        lines.append(f'"{name}",{email},{join},{leave},{minutes},No,,No')
    return ("\n".join(lines) + "\n").encode("utf-8")


def teams_csv(rows) -> bytes:
    """rows: (name, email, first join "M/D/YY, h:mm:ss AM", last leave, "1h 2m 3s").
    UTF-16 with a BOM, tab-separated, in the three sections Teams writes."""
    lines = [
        "1. Summary",
        "Meeting title\tTập huấn kỹ năng số",
        f"Attended participants\t{len(rows)}",
        "Start time\t12/3/26, 8:00:00 AM",
        "End time\t12/3/26, 10:00:00 AM",
        "Meeting duration\t2h 0m 0s",
        "Average attendance time\t1h 30m",
        "",
        "2. Participants",
        "Name\tFirst Join\tLast Leave\tIn-Meeting Duration\tEmail\tParticipant ID (UPN)\tRole",
    ]
    for name, email, join, leave, duration in rows:
        lines.append(f"{name}\t{join}\t{leave}\t{duration}\t{email}\t{email}\tAttendee")
    lines += [
        "",
        "3. In-Meeting Activities",
        "Name\tJoin Time\tLeave Time\tDuration\tEmail\tRole",
    ]
    for name, email, join, leave, duration in rows:
        lines.append(f"{name}\t{join}\t{leave}\t{duration}\t{email}\tAttendee")
    return ("\r\n".join(lines) + "\r\n").encode("utf-16")


def meet_csv(rows) -> bytes:
    """rows: (first name, last name, email, duration "1 hr 5 min", joined, exited)."""
    lines = ["First name,Last name,Email,Duration,Time joined,Time exited"]
    for first, last, email, duration, joined, exited in rows:
        lines.append(f"{first},{last},{email},{duration},{joined},{exited}")
    return ("\n".join(lines) + "\n").encode("utf-8")
