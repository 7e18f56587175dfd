"""Reading HR roster spreadsheets and planning what an import would change.

Nothing here writes: :mod:`cadres.roster_services` applies a plan. The steps are

1. :func:`read_sheet` turns bytes (XLSX or CSV in any usual encoding) into a
   header and rows, or raises :class:`RosterFileError` with a message for HR;
2. :func:`guess_mapping` maps columns to fields from the usual Vietnamese
   headers (and the officer's remembered mapping);
3. :func:`plan_import` parses every row, matches cadres (code, then national
   ID, then phone) and units (code or name, diacritic- and prefix-blind), and
   says for each row: create, update, move, deactivate, unchanged or rejected.
"""

import datetime as dt
import itertools
import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import spreadsheets
from .models import Cadre, Membership, OrgUnit, UnitAlias, UnitCode
from .phone import normalise_phone
from .text import fold, nfc, split_full_name

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 50_000
HEADER_SCAN_ROWS = 15

IGNORE = "ignore"
FIELDS = {
    "cadre_code": gettext_lazy("Cadre code"),
    "full_name": gettext_lazy("Full name"),
    "family_name": gettext_lazy("Family and middle name"),
    "given_name": gettext_lazy("Given name"),
    "date_of_birth": gettext_lazy("Date of birth"),
    "position": gettext_lazy("Position"),
    "full_time": gettext_lazy("Full-time"),
    "phone": gettext_lazy("Phone number"),
    "national_id": gettext_lazy("National ID number"),
    "email": gettext_lazy("Email"),
    "unit": gettext_lazy("Unit"),
    "unit_code": gettext_lazy("Unit code"),
    "valid_from": gettext_lazy("Start date"),
    "left_on": gettext_lazy("Date left"),
}
IDENTIFIERS = ("cadre_code", "national_id", "phone")

# Folded header text → field. Headers are folded (no diacritics, lower case)
# and stripped of punctuation before lookup, so "SĐT", "Số ĐT:" and "sdt" agree.
HEADER_SYNONYMS = {
    "stt": IGNORE,
    "tt": IGNORE,
    "so tt": IGNORE,
    "so thu tu": IGNORE,
    "ghi chu": IGNORE,
    "ho va ten": "full_name",
    "ho ten": "full_name",
    "ho va ten can bo": "full_name",
    "ho ten can bo": "full_name",
    "ho dem": "family_name",
    "ho va ten dem": "family_name",
    "ho va dem": "family_name",
    "ho": "family_name",
    "ten": "given_name",
    "ngay sinh": "date_of_birth",
    "ngay thang nam sinh": "date_of_birth",
    "sinh ngay": "date_of_birth",
    "chuc vu": "position",
    "chuc danh": "position",
    "chuc vu chuc danh": "position",
    "chuyen trach": "full_time",
    "ct": "full_time",
    "chuyen trach khong chuyen trach": "full_time",
    "so dien thoai": "phone",
    "sdt": "phone",
    "dien thoai": "phone",
    "dt": "phone",
    "so dt": "phone",
    "di dong": "phone",
    "dien thoai di dong": "phone",
    "don vi": "unit",
    "ten don vi": "unit",
    "don vi cong tac": "unit",
    "noi cong tac": "unit",
    "ma don vi": "unit_code",
    "ma can bo": "cadre_code",
    "ma cb": "cadre_code",
    "so cccd": "national_id",
    "cccd": "national_id",
    "so can cuoc": "national_id",
    "can cuoc cong dan": "national_id",
    "so can cuoc cong dan": "national_id",
    "cmnd cccd": "national_id",
    "so cmnd cccd": "national_id",
    "email": "email",
    "e mail": "email",
    "thu dien tu": "email",
    "ngay bat dau": "valid_from",
    "tu ngay": "valid_from",
    "ngay nhan cong tac": "valid_from",
    "ngay nghi": "left_on",
    "ngay nghi viec": "left_on",
    "ngay thoi viec": "left_on",
}
TEMPLATE_HEADERS = [
    "STT",
    "Mã cán bộ",
    "Họ và tên",
    "Ngày sinh",
    "Chức vụ",
    "Chuyên trách",
    "Số điện thoại",
    "Số CCCD",
    "Email",
    "Mã đơn vị",
    "Đơn vị",
    "Ngày bắt đầu",
    "Ngày nghỉ",
]

_TRUE = {"x", "co", "c", "1", "true", "ct", "chuyen trach", "yes", "y", "v", "✓", "✔"}
_FALSE = {"", "0", "khong", "k", "false", "kct", "khong chuyen trach", "no", "n", "-"}
_PUNCT = re.compile(r"[^\w]+")
_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")
_UNIT_PREFIXES = [
    "uy ban mat tran to quoc viet nam",
    "uy ban mat tran to quoc",
    "uy ban mttq viet nam",
    "uy ban mttqvn",
    "uy ban mttq",
    "ubmttq",
    "mttq",
    "ban cong tac mat tran",
    "bctmt",
    "thi tran",
    "xa",
    "phuong",
    "tt",
]


# The roster reads spreadsheets through the one hardened reader; these names stay
# importable from here for the callers that know them.
RosterFileError = spreadsheets.SpreadsheetError
Formula = spreadsheets.Formula
ENCODINGS = spreadsheets.ENCODINGS
decode_text = spreadsheets.decode_text
LIMITS = spreadsheets.DEFAULT_LIMITS.but(
    max_bytes=MAX_FILE_BYTES, max_rows=MAX_ROWS + HEADER_SCAN_ROWS, max_cell_chars=2_000
)


@dataclass
class Sheet:
    """The header and the numbered data rows: a list from :func:`read_sheet`, a
    stream from :func:`open_sheet` (``total`` is then what the file declares)."""

    headers: list[str]
    rows: Iterable[tuple[int, list]]
    encoding: str = ""
    total: int = 0


# --- reading ---------------------------------------------------------------------


def open_sheet(data: bytes, *, file_name: str = "", encoding: str = "", limits=None) -> Sheet:
    """Find the header of an XLSX or CSV file and stream its rows after it; the
    whole file is never held as rows. Raise RosterFileError for anything unreadable
    (a file with too many rows fails while its rows are read)."""
    limits = limits or LIMITS
    stream = spreadsheets.open_rows(data, file_name=file_name, encoding=encoding, limits=limits)
    numbered = ((i + 1, row) for i, row in enumerate(stream.rows))
    top: list[tuple[int, list]] = []
    for number, row in numbered:
        if not _is_blank(row):
            top.append((number, row))
            if len(top) > HEADER_SCAN_ROWS:
                break
    headers, first, width = _find_header(top)
    max_rows = limits.max_rows - HEADER_SCAN_ROWS
    return Sheet(
        headers=headers,
        rows=_data_rows(first, numbered, width, max_rows),
        encoding=stream.encoding,
        total=max(stream.declared_rows - (top[0][0] if top else 0), 0),
    )


def _data_rows(first, rest, width: int, max_rows: int):
    count = 0
    for number, row in itertools.chain(first, rest):
        cells = list(row[: max(width, 1)])
        if len(cells) < width:
            cells += [None] * (width - len(cells))
        if _is_blank(cells):
            continue
        count += 1
        if count > max_rows:
            raise spreadsheets.too_many_rows(max_rows)
        yield number, cells


def read_sheet(data: bytes, *, file_name: str = "", encoding: str = "", limits=None) -> Sheet:
    """Read an XLSX or CSV file whole; raise RosterFileError for anything unreadable."""
    sheet = open_sheet(data, file_name=file_name, encoding=encoding, limits=limits)
    sheet.rows = list(sheet.rows)
    if not sheet.rows:
        raise RosterFileError(_("The file has a header but no rows of data."))
    sheet.total = len(sheet.rows)
    return sheet


def file_too_large_message() -> str:
    return spreadsheets.file_too_large_message(LIMITS)


def header_key(value) -> str:
    if value is None or isinstance(value, Formula):
        return ""
    return _PUNCT.sub(" ", fold(str(value))).strip()


def _is_blank(row: Iterable) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in row)


def _find_header(numbered: list[tuple[int, list]]) -> tuple[list[str], list, int]:
    """The header is the row among the first few that names most known columns;
    a title row above it (often merged across the sheet) is skipped, and a second
    header row under merged cells ("Họ và tên" over "Họ đệm | Tên") is folded in.

    ``numbered`` is the first non-blank rows; returns the header, those of the
    rows that are data, and the header's width."""
    if not numbered:
        raise RosterFileError(_("The file is empty."))
    best_index, best_score = 0, -1
    for index, (_number, row) in enumerate(numbered[:HEADER_SCAN_ROWS]):
        score = sum(1 for value in row if header_key(value) in HEADER_SYNONYMS)
        if score > best_score:
            best_index, best_score = index, score
    top = [
        nfc(str(v)) if v is not None and not isinstance(v, Formula) else ""
        for v in numbered[best_index][1]
    ]
    data_start = best_index + 1
    if data_start < len(numbered):
        below = numbered[data_start][1]
        below_keys = [header_key(v) for v in below]
        known = [k for k in below_keys if k in HEADER_SYNONYMS and k not in ("", "tt")]
        if known and all(not k or k in HEADER_SYNONYMS for k in below_keys):
            merged = []
            for i in range(max(len(top), len(below))):
                sub = nfc(str(below[i])) if i < len(below) and below_keys[i] else ""
                merged.append(sub or (top[i] if i < len(top) else ""))
            top = merged
            data_start += 1
    width = len(top)
    while width and not top[width - 1]:
        width -= 1
    return top[:width], numbered[data_start:], width


# --- mapping ---------------------------------------------------------------------


def guess_mapping(headers: list[str], remembered: dict | None = None) -> dict[str, str]:
    """Column index (as text, for JSON) → field, from remembered headers then synonyms."""
    remembered = remembered or {}
    mapping: dict[str, str] = {}
    used: set[str] = set()
    for index, header in enumerate(headers):
        key = header_key(header)
        target = remembered.get(key) or HEADER_SYNONYMS.get(key) or IGNORE
        if target != IGNORE and target in used:
            target = IGNORE
        if target != IGNORE:
            used.add(target)
        mapping[str(index)] = target
    return mapping


def mapping_to_remember(headers: list[str], mapping: dict[str, str]) -> dict[str, str]:
    return {
        header_key(headers[int(index)]): target
        for index, target in mapping.items()
        if int(index) < len(headers) and header_key(headers[int(index)])
    }


def mapping_errors(mapping: dict[str, str]) -> list[str]:
    targets = [t for t in mapping.values() if t != IGNORE]
    errors = []
    unknown = [t for t in targets if t not in FIELDS]
    if unknown:
        errors.append(_("Unknown field in the column mapping."))
    duplicates = sorted({str(FIELDS[t]) for t in targets if t in FIELDS and targets.count(t) > 1})
    if duplicates:
        errors.append(
            _("Each field may be chosen for one column only: %(fields)s.")
            % {"fields": ", ".join(duplicates)}
        )
    if "full_name" not in targets and "given_name" not in targets:
        errors.append(_("Choose the column with the full name (or the given name)."))
    if not any(t in targets for t in IDENTIFIERS):
        errors.append(
            _(
                "Choose at least one column that identifies a cadre: cadre code, "
                "national ID number or phone number."
            )
        )
    return errors


# --- cell values -----------------------------------------------------------------


class CellError(ValueError):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        value = int(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return nfc(str(value))


def parse_date(value) -> dt.date | None:
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool):
        raise CellError(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": value})
    if isinstance(value, int | float):
        return _excel_serial(value)
    text = nfc(str(value))
    if not text:
        return None
    if re.fullmatch(r"\d{5}(\.0+)?", text):
        return _excel_serial(float(text))
    match = _DATE_TEXT.match(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
    else:
        match = _ISO_DATE.match(text)
        if not match:
            raise CellError(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": text})
        year, month, day = (int(g) for g in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(
            _("The date “%(value)s” does not exist.") % {"value": f"{day:02d}/{month:02d}/{year}"}
        ) from exc


def _excel_serial(number: float) -> dt.date:
    # Excel's day 1 is 1900-01-01 and it counts a 29/02/1900 that never was.
    if not math.isfinite(number) or not 1 <= number <= 2_958_465:
        raise CellError(_("“%(value)s” is not a date (dd/mm/yyyy).") % {"value": number})
    base = dt.date(1899, 12, 30) if number >= 61 else dt.date(1899, 12, 31)
    return base + dt.timedelta(days=int(number))


def parse_bool(value) -> bool | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return value
    key = _PUNCT.sub(" ", fold(_text(value))).strip()
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False if key else None
    raise CellError(
        _("“%(value)s” is not understood; write “x” for full-time, leave empty otherwise.")
        % {"value": _text(value)}
    )


def parse_phone(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value) or abs(value) > 10**15:
            raise CellError(_("“%(value)s” is not a Vietnamese mobile number.") % {"value": value})
        digits = str(int(value))
        # Excel drops the leading zero of a number typed as a number.
        value = "0" + digits if len(digits) == 9 else digits
    phone = normalise_phone(_text(value))
    if not phone and _text(value):
        raise CellError(
            _("“%(value)s” is not a Vietnamese mobile number.") % {"value": _text(value)}
        )
    return phone


def parse_national_id(value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value) or abs(value) > 10**15:
            value = str(value)
        else:
            value = str(int(value)).zfill(12)
    text = re.sub(r"[\s.\-]", "", _text(value))
    if not re.fullmatch(r"\d{9}|\d{12}", text):
        raise CellError(
            _("“%(value)s” is not a national ID number (12 digits, or 9 for an old ID card).")
            % {"value": _text(value)}
        )
    return text


# --- units -------------------------------------------------------------------------


def unit_core(name: str) -> str:
    """The distinctive part of a unit name: folded, without "Ủy ban MTTQ", "xã", "phường"…"""
    key = _PUNCT.sub(" ", fold(name)).strip()
    changed = True
    while changed:
        changed = False
        for prefix in _UNIT_PREFIXES:
            if key.startswith(prefix + " "):
                key = key[len(prefix) + 1 :].strip()
                changed = True
    return key


class UnitMatcher:
    """Finds units by code or name among those in scope and valid on a day."""

    def __init__(self, scope: list[OrgUnit], *, everywhere: bool):
        self.units = {unit.pk: unit for unit in scope}
        self.everywhere = everywhere
        ids = list(self.units)
        self.codes: dict[str, list[UnitCode]] = {}
        for unit_code in UnitCode.objects.all():
            self.codes.setdefault(unit_code.code, []).append(unit_code)
        self.names: dict[str, set[int]] = {}
        for unit in scope:
            self.names.setdefault(unit_core(unit.name), set()).add(unit.pk)
        for alias in (
            UnitAlias.objects.filter(unit_id__in=ids) if not everywhere else UnitAlias.objects.all()
        ):
            if alias.unit_id in self.units:
                self.names.setdefault(unit_core(alias.name), set()).add(alias.unit_id)
        self._outside_names: set[str] | None = None

    def _valid(self, unit_ids: Iterable[int], day: dt.date) -> list[OrgUnit]:
        return [
            self.units[i] for i in unit_ids if i in self.units and self.units[i].is_valid_on(day)
        ]

    def by_code(self, code: str, day: dt.date) -> tuple[list[OrgUnit], bool]:
        """Units in scope with this code on ``day``; and whether any unit anywhere has it."""
        holders = {c.unit_id for c in self.codes.get(code, ()) if c.is_valid_on(day)}
        return self._valid(holders, day), bool(holders)

    def by_name(self, name: str, day: dt.date) -> tuple[list[OrgUnit], bool]:
        core = unit_core(name)
        found = self._valid(self.names.get(core, ()), day)
        if found or self.everywhere:
            return found, bool(found)
        if self._outside_names is None:
            self._outside_names = {
                unit_core(n) for n in OrgUnit.objects.values_list("name", flat=True)
            }
            self._outside_names |= {
                unit_core(n) for n in UnitAlias.objects.values_list("name", flat=True)
            }
        return [], core in self._outside_names


# --- planning ------------------------------------------------------------------------

CREATE, UPDATE, MOVE, DEACTIVATE, UNCHANGED, REJECTED = (
    "create",
    "update",
    "move",
    "deactivate",
    "unchanged",
    "rejected",
)
ACTIONS = (CREATE, UPDATE, MOVE, DEACTIVATE, UNCHANGED, REJECTED)


@dataclass
class PlanRow:
    number: int
    action: str = UNCHANGED
    cadre_id: int | None = None
    family_name: str = ""
    given_name: str = ""
    split: bool = False
    unit_id: int | None = None
    values: dict = field(default_factory=dict)
    changes: dict = field(default_factory=dict)
    errors: list = field(default_factory=list)
    ambiguous: str = ""

    def as_json(self) -> dict:
        return {
            "number": self.number,
            "action": self.action,
            "cadre_id": self.cadre_id,
            "family_name": self.family_name,
            "given_name": self.given_name,
            "split": self.split,
            "unit_id": self.unit_id,
            "values": self.values,
            "changes": self.changes,
            "errors": self.errors,
        }


@dataclass
class Plan:
    rows: list[PlanRow]
    ambiguities: dict = field(default_factory=dict)
    on: dt.date = field(default_factory=timezone.localdate)

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(ACTIONS, 0)
        for row in self.rows:
            counts[row.action] += 1
        return counts

    @property
    def rejected(self) -> list[PlanRow]:
        return [row for row in self.rows if row.action == REJECTED]

    @property
    def ok(self) -> bool:
        return not self.rejected and bool(self.rows)

    def as_json(self) -> dict:
        return {
            "rows": [row.as_json() for row in self.rows],
            "ambiguities": self.ambiguities,
            "on": self.on.isoformat(),
        }


def _column_label(headers: list[str], index: int) -> str:
    from openpyxl.utils import get_column_letter

    header = headers[index] if index < len(headers) else ""
    letter = get_column_letter(index + 1)
    return f"{letter} ({header})" if header else letter


def plan_import(
    sheet: Sheet,
    *,
    mapping: dict[str, str],
    unit: OrgUnit,
    scope: list[OrgUnit],
    everywhere: bool = False,
    name_overrides: dict | None = None,
    unit_choices: dict | None = None,
    on: dt.date | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> Plan:
    """Decide what importing ``sheet`` would do; reads the database, writes nothing.
    The whole plan in memory: for a file of any size use :class:`Planner`."""
    planner = Planner(
        headers=sheet.headers,
        mapping=mapping,
        unit=unit,
        scope=scope,
        everywhere=everywhere,
        name_overrides=name_overrides or {},
        unit_choices=unit_choices or {},
        on=on or timezone.localdate(),
    )
    plan = Plan(rows=[], on=planner.on, ambiguities=planner.ambiguities)
    total = sheet.total
    for batch in planner.batches(sheet.rows):
        plan.rows.extend(batch)
        if progress:
            progress(planner.done, max(total, planner.done))
    if progress:
        progress(planner.done, planner.done)
    return plan


PLAN_BATCH = 2000
# An ambiguous unit names its first rows only (the page shows 20 and "…").
AMBIGUOUS_ROWS_KEPT = 100


@dataclass
class Planner:
    """Plans a file batch by batch, remembering across batches only what a later
    row needs: identifiers already seen, cadres already matched, ambiguous units
    and the counts. Each batch reads its cadres from the database in a few queries."""

    headers: list[str]
    mapping: dict[str, str]
    unit: OrgUnit
    scope: list[OrgUnit]
    everywhere: bool = False
    name_overrides: dict = field(default_factory=dict)
    unit_choices: dict = field(default_factory=dict)
    on: dt.date = field(default_factory=timezone.localdate)
    batch_size: int = PLAN_BATCH

    def __post_init__(self):
        self.columns = {t: int(i) for i, t in self.mapping.items() if t in FIELDS}
        self.matcher = UnitMatcher(self.scope, everywhere=self.everywhere)
        self.scope_ids = {u.pk for u in self.scope}
        self.seen: dict[tuple[str, str], int] = {}
        self.seen_cadres: dict[int, int] = {}
        self.ambiguities: dict = {}
        self.counts = dict.fromkeys(ACTIONS, 0)
        self.done = 0

    def batches(self, rows: Iterable[tuple[int, list]]):
        """Plan ``rows`` (number, cells) and yield the planned rows a batch at a time."""
        batch = []
        for numbered in rows:
            batch.append(numbered)
            if len(batch) >= self.batch_size:
                yield self.plan_batch(batch)
                batch = []
        if batch:
            yield self.plan_batch(batch)

    def plan_batch(self, rows: list[tuple[int, list]]) -> list[PlanRow]:
        parsed = []
        for number, cells in rows:
            row = PlanRow(number=number)
            parsed.append((row, self._parse_cells(cells, row)))
        existing = _load_existing(parsed)
        for row, values in parsed:
            self._plan_row(row, values, existing)
            self.counts[row.action] += 1
        self.done += len(parsed)
        return [row for row, _values in parsed]

    def _plan_row(self, row: PlanRow, values: dict, existing) -> None:
        self._check_duplicates(row, values)
        target = self._resolve_unit(row, values)
        if not row.errors:
            row.unit_id = target.pk
            self._decide(row, values, target, existing)
        if row.errors:
            row.action = REJECTED

    def _parse_cells(self, cells, row: PlanRow) -> dict:
        values: dict = {}

        def cell(name):
            index = self.columns.get(name)
            if index is None or index >= len(cells):
                return None
            return cells[index]

        for name, index in self.columns.items():
            if index < len(cells) and isinstance(cells[index], Formula):
                row.errors.append(
                    (
                        _column_label(self.headers, index),
                        _("The cell holds a formula; paste the values instead."),
                    )
                )
                values[name] = None

        def attempt(name, parser):
            try:
                value = parser(cell(name))
            except CellError as exc:
                row.errors.append((_column_label(self.headers, self.columns[name]), str(exc)))
                return None
            return value

        for name in (
            "cadre_code",
            "full_name",
            "family_name",
            "given_name",
            "position",
            "unit",
            "unit_code",
            "email",
        ):
            if name in self.columns and not isinstance(cell(name), Formula):
                values[name] = _text(cell(name))
        if len(values.get("cadre_code") or "") > 32:
            row.errors.append(
                (
                    _column_label(self.headers, self.columns["cadre_code"]),
                    _("The cadre code is longer than 32 characters."),
                )
            )
        if len(values.get("position") or "") > 100:
            row.errors.append(
                (
                    _column_label(self.headers, self.columns["position"]),
                    _("The position is longer than 100 characters."),
                )
            )
        if values.get("email"):
            try:
                validate_email(values["email"])
            except ValidationError:
                row.errors.append(
                    (
                        _column_label(self.headers, self.columns["email"]),
                        _("“%(value)s” is not an email address.") % {"value": values["email"]},
                    )
                )
        for name in ("date_of_birth", "valid_from", "left_on"):
            if name in self.columns and not isinstance(cell(name), Formula):
                values[name] = attempt(name, parse_date)
        if (
            values.get("date_of_birth")
            and not dt.date(1920, 1, 1) <= values["date_of_birth"] <= timezone.localdate()
        ):
            row.errors.append(
                (
                    _column_label(self.headers, self.columns["date_of_birth"]),
                    _("The date of birth is not plausible."),
                )
            )
        if "full_time" in self.columns and not isinstance(cell("full_time"), Formula):
            values["full_time"] = attempt("full_time", parse_bool)
        if "phone" in self.columns and not isinstance(cell("phone"), Formula):
            values["phone"] = attempt("phone", parse_phone) or ""
        if "national_id" in self.columns and not isinstance(cell("national_id"), Formula):
            values["national_id"] = attempt("national_id", parse_national_id) or ""

        family, given = values.get("family_name", ""), values.get("given_name", "")
        if values.get("full_name") and not given:
            family, given = split_full_name(values["full_name"])
            row.split = True
        override = self.name_overrides.get(str(row.number))
        if override:
            family, given = nfc(override[0]), nfc(override[1])
            row.split = False
        if len(family) > 100 or len(given) > 50:
            row.errors.append(
                (
                    _column_label(
                        self.headers,
                        self.columns.get("full_name", self.columns.get("given_name", 0)),
                    ),
                    _("The name is too long."),
                )
            )
        if not given:
            index = self.columns.get("full_name", self.columns.get("given_name"))
            row.errors.append(
                (
                    _column_label(self.headers, index) if index is not None else "",
                    _("The name is missing."),
                )
            )
        row.family_name, row.given_name = family, given
        if not any(values.get(k) for k in IDENTIFIERS) and not any(
            self.columns.get(k) is not None and isinstance(cell(k), Formula) for k in IDENTIFIERS
        ):
            row.errors.append(
                ("", _("The row needs a cadre code, a national ID number or a phone number."))
            )
        return values

    def _check_duplicates(self, row: PlanRow, values: dict) -> None:
        for key in IDENTIFIERS:
            value = values.get(key)
            if not value:
                continue
            folded = value.upper() if key == "cadre_code" else value
            first = self.seen.get((key, folded))
            if first is not None:
                row.errors.append(
                    (
                        _column_label(self.headers, self.columns[key]),
                        _("“%(value)s” already appears in row %(row)d of this file.")
                        % {"value": value, "row": first},
                    )
                )
            else:
                self.seen[(key, folded)] = row.number

    def _resolve_unit(self, row: PlanRow, values: dict) -> OrgUnit:
        day = values.get("valid_from") or self.on
        code, name = values.get("unit_code", ""), values.get("unit", "")
        if not code and not name:
            return self.unit
        column = self.columns.get("unit_code") if code else self.columns.get("unit")
        label = _column_label(self.headers, column)
        if code:
            found, exists = self.matcher.by_code(code, day)
            if name and len(found) > 1:
                narrowed = [
                    u for u in found if u.pk in {x.pk for x in self.matcher.by_name(name, day)[0]}
                ]
                found = narrowed or found
        else:
            found, exists = self.matcher.by_name(name, day)
        if len(found) == 1:
            return found[0]
        key = f"code:{code}" if code else f"name:{unit_core(name)}"
        if len(found) > 1:
            chosen = self.unit_choices.get(key)
            match = next((u for u in found if str(u.pk) == str(chosen)), None)
            if match is not None:
                return match
            if key not in self.ambiguities:  # labels cost a query per candidate: once per key
                self.ambiguities[key] = {
                    "value": code or name,
                    "candidates": [[u.pk, _unit_path_label(u)] for u in found],
                    "rows": [],
                }
            if len(self.ambiguities[key]["rows"]) <= AMBIGUOUS_ROWS_KEPT:
                self.ambiguities[key]["rows"].append(row.number)
            row.errors.append(
                (
                    label,
                    _("“%(value)s” matches several units; choose one below.")
                    % {"value": code or name},
                )
            )
        elif exists:
            row.errors.append(
                (
                    label,
                    _("The unit “%(value)s” is outside the units you manage.")
                    % {"value": code or name},
                )
            )
        else:
            row.errors.append(
                (
                    label,
                    _("No unit “%(value)s” exists on %(day)s.")
                    % {"value": code or name, "day": day.strftime("%d/%m/%Y")},
                )
            )
        return self.unit

    def _decide(self, row: PlanRow, values: dict, target: OrgUnit, existing) -> None:
        matches = []
        for key, index in (
            ("cadre_code", existing.by_code),
            ("national_id", existing.by_nid),
            ("phone", existing.by_phone),
        ):
            value = values.get(key)
            if value:
                found = index.get(value.upper() if key == "cadre_code" else value)
                matches.append((key, found))
        found = [(k, c) for k, c in matches if c is not None]
        cadre = found[0][1] if found else None
        for key, other in found[1:]:
            if other.pk != cadre.pk:
                row.errors.append(
                    (
                        _column_label(self.headers, self.columns[key]),
                        _("“%(value)s” belongs to another cadre already on the roster.")
                        % {"value": values[key]},
                    )
                )
        if row.errors:
            return
        row.values = _json_values(values)
        if cadre is None:
            if values.get("left_on"):
                row.errors.append(
                    (
                        _column_label(self.headers, self.columns["left_on"]),
                        _("A new cadre cannot have a date left."),
                    )
                )
                return
            row.action = CREATE
            return
        row.cadre_id = cadre.pk
        current = existing.current.get(cadre.pk)
        home = current.unit_id if current else existing.last_unit.get(cadre.pk)
        if home not in self.scope_ids:
            row.errors.append(("", _("This cadre belongs to a unit outside the units you manage.")))
            return
        first = self.seen_cadres.get(cadre.pk)
        if first is not None:
            row.errors.append(
                ("", _("Row %(row)d of this file is the same cadre.") % {"row": first})
            )
            return
        self.seen_cadres[cadre.pk] = row.number

        changes = {}
        if row.split and values.get("full_name") and nfc(values["full_name"]) == cadre.full_name:
            # One full-name column cannot tell "Dương Văn | Bình Minh" from
            # "Dương Văn Bình | Minh": keep the split already on the roster.
            row.family_name, row.given_name = cadre.family_name, cadre.given_name
        if row.family_name != cadre.family_name or row.given_name != cadre.given_name:
            changes["name"] = [cadre.full_name, f"{row.family_name} {row.given_name}".strip()]
        for key in ("cadre_code", "national_id", "phone", "email"):
            new = values.get(key)
            old = getattr(cadre, key) or ""
            if new and new != old:
                changes[key] = [old, new]
        if values.get("date_of_birth") and values["date_of_birth"] != cadre.date_of_birth:
            changes["date_of_birth"] = [
                cadre.date_of_birth.isoformat() if cadre.date_of_birth else "",
                values["date_of_birth"].isoformat(),
            ]
        if values.get("left_on"):
            if cadre.status == Cadre.Status.LEFT:
                row.action = UNCHANGED
            else:
                row.action = DEACTIVATE
                row.changes = {"left_on": ["", values["left_on"].isoformat()], **changes}
            return
        if cadre.status == Cadre.Status.LEFT or current is None or current.unit_id != target.pk:
            row.action = MOVE
            changes["unit"] = [home, target.pk]
        else:
            if values.get("position") and values["position"] != current.position:
                changes["position"] = [current.position, values["position"]]
            if values.get("full_time") is not None and values["full_time"] != current.is_full_time:
                changes["full_time"] = [current.is_full_time, values["full_time"]]
            row.action = UPDATE if changes else UNCHANGED
        row.changes = changes


def _unit_path_label(unit: OrgUnit) -> str:
    parent = unit.get_parent()
    return f"{unit.name} — {parent.name}" if parent else unit.name


@dataclass
class _Existing:
    by_code: dict[str, Cadre]
    by_nid: dict[str, Cadre]
    by_phone: dict[str, Cadre]
    current: dict[int, Membership]
    last_unit: dict[int, int]


def _chunks(items: list, size: int = 2000):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _load_existing(parsed) -> _Existing:
    codes = sorted({v["cadre_code"] for _r, v in parsed if v.get("cadre_code")})
    nids = sorted({v["national_id"] for _r, v in parsed if v.get("national_id")})
    phones = sorted({v["phone"] for _r, v in parsed if v.get("phone")})
    cadres: dict[int, Cadre] = {}
    for field_name, values in (
        ("cadre_code__in", codes),
        ("national_id__in", nids),
        ("phone__in", phones),
    ):
        for chunk in _chunks(values):
            for cadre in Cadre.objects.filter(**{field_name: chunk}):
                cadres.setdefault(cadre.pk, cadre)
    existing = _Existing(
        by_code={c.cadre_code.upper(): c for c in cadres.values() if c.cadre_code},
        by_nid={c.national_id: c for c in cadres.values() if c.national_id},
        by_phone={c.phone: c for c in cadres.values() if c.phone},
        current={},
        last_unit={},
    )
    today = timezone.localdate()
    ids = sorted(cadres)
    for chunk in _chunks(ids):
        for membership in Membership.objects.filter(cadre_id__in=chunk).order_by(
            "valid_from", "pk"
        ):
            existing.last_unit[membership.cadre_id] = membership.unit_id
            if membership.valid_from <= today and (
                membership.valid_to is None or membership.valid_to >= today
            ):
                existing.current[membership.cadre_id] = membership
            elif membership.valid_to is None and membership.valid_from > today:
                existing.current.setdefault(membership.cadre_id, membership)
    return existing


def _json_values(values: dict) -> dict:
    out = {}
    for key, value in values.items():
        if isinstance(value, dt.date):
            out[key] = value.isoformat()
        elif value is not None and value != "":
            out[key] = value
    return out


def units_in_scope(user) -> tuple[list[OrgUnit], bool]:
    """The units a user may import into, and whether that is every unit."""
    from .selectors import units_visible_to

    if user is None or user.is_administrator:
        return list(OrgUnit.objects.all()), True
    return list(units_visible_to(user)), False
