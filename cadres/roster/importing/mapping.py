"""Which column holds which field: the usual Vietnamese headers, the officer's
remembered mapping, and the checks a mapping must pass."""

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ...spreadsheets import Formula
from ...text import fold

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


_PUNCT = re.compile(r"[^\w]+")


def header_key(value) -> str:
    if value is None or isinstance(value, Formula):
        return ""
    return _PUNCT.sub(" ", fold(str(value))).strip()


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


def column_label(headers: list[str], index: int) -> str:
    from openpyxl.utils import get_column_letter

    header = headers[index] if index < len(headers) else ""
    letter = get_column_letter(index + 1)
    return f"{letter} ({header})" if header else letter
