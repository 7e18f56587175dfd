"""Read the participant report a Zoom, Google Meet or Microsoft Teams meeting
exports, into one entry per person with the minutes summed over every join.

Layouts (as the services export them):

- Zoom (Reports › Usage › Participants): optionally a meeting block
  ("Meeting ID, Topic, Start Time, …, Participants" and its values) and a
  blank line, then ``Name (Original Name), User Email, Join Time, Leave Time,
  Duration (Minutes), Guest, …`` — one row per join; times ``11/28/2025
  09:01:23 AM``.
- Microsoft Teams (attendance report): UTF-16, tab-separated, in sections:
  ``1. Summary`` (meeting title, start and end time, duration …),
  ``2. Participants`` with ``Name, First Join, Last Leave, In-Meeting
  Duration, Email, Participant ID (UPN), Role`` — one row per person,
  durations ``1h 2m 3s`` — then ``3. In-Meeting Activities`` (one row per
  join). The older export is ``Full Name, User Action, Timestamp`` with
  Joined/Left rows; both are read.
- Google Meet (attendance tracking): ``First name, Last name, Email,
  Duration, Time joined, Time exited`` — durations ``1 hr 5 min``.

Decoding goes through the roster importer's helpers (BOM, UTF-8, UTF-16,
Windows-1258); :func:`read_rows` is the one place that turns bytes into rows.
"""

import csv
import datetime as dt
import io
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cadres.roster.importing.reading import MAX_FILE_BYTES, MAX_ROWS, RosterFileError, decode_text
from cadres.text import fold, nfc

ZOOM, TEAMS, MEET = "zoom", "teams", "meet"


class ReportFileError(ValueError):
    """The file as a whole cannot be read; the message is for the officer."""


@dataclass
class Participant:
    name: str
    email: str = ""
    seconds: float = 0
    first_join: dt.datetime | dt.time | None = None
    last_leave: dt.datetime | dt.time | None = None
    lines: list[int] = field(default_factory=list)

    @property
    def minutes(self) -> float:
        return round(self.seconds / 60, 1)

    def as_json(self) -> dict:
        minutes = self.minutes
        return {
            "name": self.name,
            "email": self.email,
            "minutes": int(minutes) if minutes == int(minutes) else minutes,
            "first_join": self.first_join.isoformat() if self.first_join else None,
            "last_leave": self.last_leave.isoformat() if self.last_leave else None,
        }


@dataclass
class Report:
    format: str
    participants: list[Participant]
    errors: list[str] = field(default_factory=list)


def read_rows(data: bytes) -> list[list[str]]:
    """Bytes to rows of text cells: the one CSV reader of this app."""
    if len(data) > MAX_FILE_BYTES:
        raise ReportFileError(
            _("The file is larger than %(mb)d MB.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    if not data.strip():
        raise ReportFileError(_("The file is empty."))
    if data[:4] == b"PK\x03\x04" or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ReportFileError(
            _("This is an Excel file. Download the meeting's report as CSV and upload that.")
        )
    try:
        text, _encoding = decode_text(data)
    except RosterFileError as exc:
        raise ReportFileError(str(exc)) from exc
    sample = text[:20_000]
    delimiter = max(",;\t", key=lambda d: sample.count(d))
    try:
        rows = [
            [nfc(cell) for cell in row]
            for row in csv.reader(io.StringIO(text), delimiter=delimiter)
        ]
    except csv.Error as exc:
        raise ReportFileError(_("The file is not a report that can be read.")) from exc
    if len(rows) > MAX_ROWS:
        raise ReportFileError(
            _("The file has %(n)s rows; at most %(max)s can be imported at once.")
            % {"n": f"{len(rows):,}".replace(",", "."), "max": f"{MAX_ROWS:,}".replace(",", ".")}
        )
    return rows


def _key(cell: str) -> str:
    return re.sub(r"\s+", " ", fold(cell)).strip()


def _find(header: list[str], *names: str) -> int | None:
    keys = [_key(cell) for cell in header]
    for name in names:
        if name in keys:
            return keys.index(name)
    return None


_DATETIME_FORMATS_MDY = [
    "%m/%d/%Y %I:%M:%S %p",
    "%m/%d/%Y, %I:%M:%S %p",
    "%m/%d/%y, %I:%M:%S %p",
    "%m/%d/%Y %I:%M %p",
    "%m/%d/%y %I:%M:%S %p",
]
_DATETIME_FORMATS_DMY = [
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y, %H:%M:%S",
    "%d/%m/%y, %H:%M:%S",
    "%d/%m/%Y %H:%M",
    "%d.%m.%Y, %H:%M:%S",
]
_DATETIME_FORMATS_ISO = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M"]
_TIME_FORMATS = ["%I:%M:%S %p", "%I:%M %p", "%H:%M:%S", "%H:%M"]


def parse_moment(value: str, *, day_first: bool = False) -> dt.datetime | dt.time:
    """A join or leave time as the meeting services print it. Raises ValueError."""
    text = re.sub(r"\s+", " ", str(value or "").strip()).replace("SA", "AM").replace("CH", "PM")
    text = re.sub(r"(?<=\d)([AP]M)$", r" \1", text)
    if not text:
        raise ValueError("empty")
    first = re.match(r"^(\d{1,2})[/.]", text)
    if first and int(first.group(1)) > 12:
        day_first = True
    has_meridiem = text.upper().endswith(("AM", "PM"))
    order = (
        _DATETIME_FORMATS_ISO
        + (_DATETIME_FORMATS_DMY if day_first or not has_meridiem else [])
        + _DATETIME_FORMATS_MDY
        + _DATETIME_FORMATS_DMY
    )
    for fmt in order:
        try:
            return dt.datetime.strptime(text, fmt)
        except ValueError:
            continue
    for fmt in _TIME_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).time()
        except ValueError:
            continue
    raise ValueError(text)


_DURATION_PART = re.compile(
    r"(\d+(?:[.,]\d+)?)\s*(h|hr|hrs|hour|hours|gio|m|min|mins|minute|minutes|phut|s|sec|secs|"
    r"second|seconds|giay)\b"
)


def parse_duration(value: str, *, plain_unit: str = "minutes") -> float:
    """Seconds from ``45``, ``1h 2m 3s``, ``1 hr 5 min``, ``1:05:00``. Raises ValueError."""
    text = fold(str(value or "")).strip()
    if not text:
        raise ValueError("empty")
    if re.fullmatch(r"\d+(?:[.,]\d+)?", text):
        number = float(text.replace(",", "."))
        return number * 60 if plain_unit == "minutes" else number
    clock = re.fullmatch(r"(\d+):(\d{2})(?::(\d{2}))?", text)
    if clock:
        hours, minutes, seconds = clock.group(1), clock.group(2), clock.group(3) or 0
        return int(hours) * 3600 + int(minutes) * 60 + int(seconds)
    total = 0.0
    matched = False
    for number, unit in _DURATION_PART.findall(text):
        amount = float(number.replace(",", "."))
        matched = True
        if unit.startswith(("h", "gio")):
            total += amount * 3600
        elif unit.startswith(("m", "phut")):
            total += amount * 60
        else:
            total += amount
    if not matched:
        raise ValueError(text)
    return total


class _People:
    """Participants keyed by email, else by folded name; one entry per person."""

    def __init__(self) -> None:
        self.by_key: dict[str, Participant] = {}

    def add(self, *, name: str, email: str, seconds: float, join, leave, line: int) -> None:
        name = nfc(name)
        email = nfc(email).lower()
        key = email or fold(name)
        if not key:
            return
        person = self.by_key.get(key)
        if person is None:
            person = self.by_key[key] = Participant(name=name, email=email)
        person.seconds += seconds
        person.lines.append(line)
        if join is not None and (person.first_join is None or _lt(join, person.first_join)):
            person.first_join = join
        if leave is not None and (person.last_leave is None or _lt(person.last_leave, leave)):
            person.last_leave = leave

    def list(self) -> list[Participant]:
        return list(self.by_key.values())


def _lt(a, b) -> bool:
    if type(a) is not type(b):
        return False
    return a < b


def _zoom_name(value: str) -> str:
    # "Nguyễn Thị Hoa (Hoa iPhone)": the name before the original name in brackets.
    return re.sub(r"\s*\([^)]*\)\s*$", "", value).strip() or value


def parse(data: bytes) -> Report:
    """Read a Zoom, Teams or Meet participant report. Raises ReportFileError
    when the file is not one; row problems are listed in ``errors``."""
    rows = read_rows(data)
    day_first = any(
        re.match(r"^\s*(1[3-9]|2\d|3[01])[/.]\d{1,2}[/.]\d{2,4}", cell)
        for row in rows[:5000]
        for cell in row[:6]
    )
    for index, row in enumerate(rows):
        keys = {_key(cell) for cell in row}
        if {"first join", "last leave"} <= keys:
            return _teams(rows, index, day_first)
        if {"full name", "user action", "timestamp"} <= keys:
            return _teams_events(rows, index, day_first)
        if {"join time", "leave time"} <= keys and _find(
            row, "name (original name)", "name", "participant"
        ) is not None:
            return _zoom(rows, index, day_first)
        if {"time joined", "time exited"} <= keys or (
            {"first name", "last name", "duration"} <= keys
        ):
            return _meet(rows, index, day_first)
    raise ReportFileError(
        _(
            "This is not a participant report from Zoom, Google Meet or Microsoft Teams: "
            "no header with the participants' names and join times was found."
        )
    )


def _cell(row: list[str], index: int | None) -> str:
    return row[index].strip() if index is not None and index < len(row) else ""


def _moment_or_error(value, line, label, errors, day_first):
    if not value:
        return None
    try:
        return parse_moment(value, day_first=day_first)
    except ValueError:
        errors.append(
            _("Line %(line)s: “%(value)s” is not a time (%(column)s).")
            % {"line": line, "value": value, "column": label}
        )
        return None


def _span(join_at, leave_at) -> float | None:
    """Seconds from joining to leaving, when both were read."""
    if isinstance(join_at, dt.datetime) and isinstance(leave_at, dt.datetime):
        return max(0.0, (leave_at - join_at).total_seconds())
    return None


def _not_a_duration(errors: list[str], line: int, value: str) -> None:
    errors.append(
        _("Line %(line)s: “%(value)s” is not a duration.") % {"line": line, "value": value}
    )


def _zoom(rows, header_index, day_first) -> Report:
    header = rows[header_index]
    name = _find(header, "name (original name)", "name", "participant")
    email = _find(header, "user email", "email")
    join = _find(header, "join time")
    leave = _find(header, "leave time")
    duration = _find(header, "duration (minutes)", "duration (mins)", "duration")
    people, errors = _People(), []
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(cell.strip() for cell in row):
            continue
        if _key(_cell(row, name)) == _key(header[name]):
            continue  # a repeated header
        join_at = _moment_or_error(_cell(row, join), offset, "Join Time", errors, day_first)
        leave_at = _moment_or_error(_cell(row, leave), offset, "Leave Time", errors, day_first)
        seconds = 0.0
        if duration is not None and _cell(row, duration):
            try:
                seconds = parse_duration(_cell(row, duration))
            except ValueError:
                _not_a_duration(errors, offset, _cell(row, duration))
        else:
            seconds = _span(join_at, leave_at) or 0.0
        people.add(
            name=_zoom_name(_cell(row, name)),
            email=_cell(row, email),
            seconds=seconds,
            join=join_at,
            leave=leave_at,
            line=offset,
        )
    return Report(format=ZOOM, participants=people.list(), errors=errors)


def _teams(rows, header_index, day_first) -> Report:
    header = rows[header_index]
    name = _find(header, "name", "full name")
    email = _find(header, "email")
    upn = _find(header, "participant id (upn)")
    join = _find(header, "first join")
    leave = _find(header, "last leave")
    duration = _find(header, "in-meeting duration", "duration")
    people, errors = _People(), []
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        first = _cell(row, 0)
        if not any(cell.strip() for cell in row) or re.match(r"^\d+\.\s", first):
            break  # the next section ("3. In-Meeting Activities") starts
        join_at = _moment_or_error(_cell(row, join), offset, "First Join", errors, day_first)
        leave_at = _moment_or_error(_cell(row, leave), offset, "Last Leave", errors, day_first)
        try:
            seconds = parse_duration(_cell(row, duration), plain_unit="seconds")
        except ValueError:
            seconds = _span(join_at, leave_at)
            if seconds is None:
                seconds = 0.0
                _not_a_duration(errors, offset, _cell(row, duration))
        address = _cell(row, email) or (_cell(row, upn) if "@" in _cell(row, upn) else "")
        people.add(
            name=_cell(row, name),
            email=address,
            seconds=seconds,
            join=join_at,
            leave=leave_at,
            line=offset,
        )
    return Report(format=TEAMS, participants=people.list(), errors=errors)


def _teams_events(rows, header_index, day_first) -> Report:
    """The older Teams export: Joined / Left events, paired per person."""
    header = rows[header_index]
    name = _find(header, "full name")
    action = _find(header, "user action")
    stamp = _find(header, "timestamp")
    people, errors = _People(), []
    open_joins: dict[str, dt.datetime] = {}
    last_seen: dt.datetime | None = None
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(cell.strip() for cell in row):
            continue
        who = _cell(row, name)
        moment = _moment_or_error(_cell(row, stamp), offset, "Timestamp", errors, day_first)
        if not isinstance(moment, dt.datetime):
            continue
        last_seen = moment if last_seen is None or moment > last_seen else last_seen
        what = _key(_cell(row, action))
        if what.startswith("join"):
            open_joins.setdefault(fold(who), moment)
            people.add(name=who, email="", seconds=0, join=moment, leave=None, line=offset)
        elif what.startswith("left"):
            joined = open_joins.pop(fold(who), None)
            seconds = (moment - joined).total_seconds() if joined else 0
            people.add(name=who, email="", seconds=seconds, join=None, leave=moment, line=offset)
    for key, joined in open_joins.items():
        # Still in the meeting when the report was taken: count to the last event.
        person = people.by_key.get(key)
        if person is not None and last_seen is not None:
            person.seconds += (last_seen - joined).total_seconds()
            person.last_leave = last_seen
    return Report(format=TEAMS, participants=people.list(), errors=errors)


def _meet(rows, header_index, day_first) -> Report:
    header = rows[header_index]
    first_name = _find(header, "first name")
    last_name = _find(header, "last name")
    full_name = _find(header, "name", "full name", "participant")
    email = _find(header, "email")
    duration = _find(header, "duration")
    join = _find(header, "time joined")
    leave = _find(header, "time exited")
    people, errors = _People(), []
    for offset, row in enumerate(rows[header_index + 1 :], start=header_index + 2):
        if not any(cell.strip() for cell in row):
            continue
        name = _cell(row, full_name) or " ".join(
            part for part in (_cell(row, first_name), _cell(row, last_name)) if part
        )
        join_at = _moment_or_error(_cell(row, join), offset, "Time joined", errors, day_first)
        leave_at = _moment_or_error(_cell(row, leave), offset, "Time exited", errors, day_first)
        seconds = 0.0
        try:
            seconds = parse_duration(_cell(row, duration))
        except ValueError:
            _not_a_duration(errors, offset, _cell(row, duration))
        people.add(
            name=name,
            email=_cell(row, email),
            seconds=seconds,
            join=join_at,
            leave=leave_at,
            line=offset,
        )
    return Report(format=MEET, participants=people.list(), errors=errors)
