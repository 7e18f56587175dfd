"""One cell's value as the field it maps to: dates (text, ISO or Excel serial),
the full-time mark, phone and national ID numbers; CellError says what is wrong."""

import datetime as dt
import math
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils import timezone
from django.utils.translation import gettext as _

from ...phone import normalise_phone
from ...spreadsheets import Formula
from ...text import fold, nfc, split_full_name
from .mapping import _PUNCT, IDENTIFIERS, column_label

_TRUE = {"x", "co", "c", "1", "true", "ct", "chuyen trach", "yes", "y", "v", "✓", "✔"}
_FALSE = {"", "0", "khong", "k", "false", "kct", "khong chuyen trach", "no", "n", "-"}
_DATE_TEXT = re.compile(r"^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T].*)?$")


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


TEXT_FIELDS = (
    "cadre_code",
    "full_name",
    "family_name",
    "given_name",
    "position",
    "unit",
    "unit_code",
    "email",
)
DATE_FIELDS = (
    ("date_of_birth", parse_date, None),
    ("valid_from", parse_date, None),
    ("left_on", parse_date, None),
)
OTHER_FIELDS = (
    ("full_time", parse_bool, None),
    ("phone", parse_phone, ""),
    ("national_id", parse_national_id, ""),
)


@dataclass
class RowParser:
    """Turns a row's cells into field values, adding (column, reason) to
    ``row.errors`` for each cell that cannot be read, and sets the row's name."""

    columns: dict[str, int]
    headers: list[str]
    name_overrides: dict = field(default_factory=dict)

    def label(self, name: str) -> str:
        return column_label(self.headers, self.columns[name])

    def parse(self, cells: list, row) -> dict:
        def cell(name):
            index = self.columns.get(name)
            return cells[index] if index is not None and index < len(cells) else None

        values: dict = {}
        for name in self.columns:
            if isinstance(cell(name), Formula):
                row.errors.append(
                    (self.label(name), _("The cell holds a formula; paste the values instead."))
                )
                values[name] = None
        readable = [name for name in self.columns if not isinstance(cell(name), Formula)]
        for name in TEXT_FIELDS:
            if name in readable:
                values[name] = _text(cell(name))
        self._check_texts(values, row)
        self._typed(DATE_FIELDS, readable, cell, values, row)
        self._check_birth(values, row)
        self._typed(OTHER_FIELDS, readable, cell, values, row)
        self._set_name(values, row)
        formulas_in_identifiers = any(
            k in self.columns and isinstance(cell(k), Formula) for k in IDENTIFIERS
        )
        if not any(values.get(k) for k in IDENTIFIERS) and not formulas_in_identifiers:
            row.errors.append(
                ("", _("The row needs a cadre code, a national ID number or a phone number."))
            )
        return values

    def _typed(self, fields, readable, cell, values: dict, row) -> None:
        for name, parser, empty in fields:
            if name in readable:
                values[name] = self._attempt(name, parser, cell(name), row)
                if empty is not None:
                    values[name] = values[name] or empty

    def _attempt(self, name, parser, value, row):
        try:
            return parser(value)
        except CellError as exc:
            row.errors.append((self.label(name), str(exc)))
            return None

    def _check_texts(self, values: dict, row) -> None:
        if len(values.get("cadre_code") or "") > 32:
            row.errors.append(
                (self.label("cadre_code"), _("The cadre code is longer than 32 characters."))
            )
        if len(values.get("position") or "") > 100:
            row.errors.append(
                (self.label("position"), _("The position is longer than 100 characters."))
            )
        if values.get("email"):
            try:
                validate_email(values["email"])
            except ValidationError:
                row.errors.append(
                    (
                        self.label("email"),
                        _("“%(value)s” is not an email address.") % {"value": values["email"]},
                    )
                )

    def _check_birth(self, values: dict, row) -> None:
        born = values.get("date_of_birth")
        if born and not dt.date(1920, 1, 1) <= born <= timezone.localdate():
            row.errors.append(
                (self.label("date_of_birth"), _("The date of birth is not plausible."))
            )

    def _set_name(self, values: dict, row) -> None:
        family, given = values.get("family_name", ""), values.get("given_name", "")
        if values.get("full_name") and not given:
            family, given = split_full_name(values["full_name"])
            row.split = True
        override = self.name_overrides.get(str(row.number))
        if override:
            family, given = nfc(override[0]), nfc(override[1])
            row.split = False
        index = self.columns.get("full_name", self.columns.get("given_name"))
        if len(family) > 100 or len(given) > 50:
            label = column_label(self.headers, index if index is not None else 0)
            row.errors.append((label, _("The name is too long.")))
        if not given:
            label = column_label(self.headers, index) if index is not None else ""
            row.errors.append((label, _("The name is missing.")))
        row.family_name, row.given_name = family, given
