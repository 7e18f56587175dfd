"""Import the official commune-level units and the 2025 conversion table.

The 2025 reform abolished districts and merged Bắc Kạn into Thái Nguyên on
1 July 2025. New units get codes valid from that date; old units become
history nodes (valid to 30 June 2025) under their old district, linked to
their successors. Codes were reused, so every code carries its own dates.
"""

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from .. import spreadsheets
from ..models import OrgUnit, Succession, UnitAlias, UnitCode
from ..text import fold, nfc

REFORM_DATE = dt.date(2025, 7, 1)
BEFORE_REFORM = REFORM_DATE - dt.timedelta(days=1)
COMMUNE_BASIS = "Nghị quyết 1683/NQ-UBTVQH15"
PROVINCE_BASIS = "Nghị quyết 202/2025/QH15"
PROVINCE_CODE = "19"
PROVINCE_NAME = "Ủy ban MTTQ Việt Nam tỉnh Thái Nguyên"
COMMUNE_GROUP_NAME = "Ủy ban MTTQ cấp xã"

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DEFAULT_UNITS_FILE = DATA_DIR / "thai_nguyen_units_2025.csv"
DEFAULT_SUCCESSION_FILE = DATA_DIR / "thai_nguyen_succession_2025.csv"

UNIT_COLUMNS = {"code", "name", "full_name", "administrative_unit_id"}
SUCCESSION_COLUMNS = {"new_code", "new_name", "old_code", "old_name", "old_district", "note"}
SUCCESSION_KINDS = {
    "nhap toan bo": Succession.Kind.MERGE,
    "nhap mot phan": Succession.Kind.SPLIT,
    "giu nguyen": Succession.Kind.UNCHANGED,
}
_NAME_WITH_CODE = re.compile(r"^(?P<name>.+?)\s*\((?P<code>\d+)\)\s*$")


class UnitImportError(ValueError):
    """Carries every problem found; nothing was written."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


@dataclass
class UnitImportResult:
    created: int = 0
    codes_created: int = 0
    aliases_created: int = 0
    successions_created: int = 0
    messages: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(
            self.created + self.codes_created + self.aliases_created + self.successions_created
        )


def committee_name(full_name: str) -> str:
    """ "Xã La Bằng" → "Ủy ban MTTQ xã La Bằng"; "Thành phố Thái Nguyên" → "… thành phố …"."""
    full_name = nfc(full_name)
    return f"Ủy ban MTTQ {full_name[:1].lower()}{full_name[1:]}"


# Unit lists and conversion tables are CSV files; they go through the same
# hardened reader as every other upload (so Windows-1258 and UTF-16 are read too).
LIMITS = spreadsheets.DEFAULT_LIMITS.but(
    max_bytes=5 * 1024 * 1024, max_rows=20_000, max_cell_chars=500
)


def read_table_text(data: bytes) -> str:
    """The decoded text of a table file, as stored for a restructuring to replay."""
    try:
        return spreadsheets.decode_text(data)[0]
    except spreadsheets.SpreadsheetError as exc:
        raise UnitImportError([str(exc)]) from exc


def _read_rows(source, required: set[str], label: str) -> list[tuple[int, dict]]:
    if isinstance(source, str | Path):
        raw = Path(source).read_bytes()
    else:
        raw = source.read()
    try:
        grid = spreadsheets.read(raw, kind="csv", limits=LIMITS)
    except spreadsheets.SpreadsheetError as exc:
        message = str(exc)
        raise UnitImportError([f"{label}: {message}" if label else message]) from exc
    headers = [nfc(h).strip() for h in grid.rows[0]] if grid.rows else []
    missing = required - set(headers)
    if missing:
        raise UnitImportError(
            [
                _("File %(file)s lacks the columns: %(cols)s.")
                % {"file": label, "cols": ", ".join(sorted(missing))}
            ]
        )
    rows = []
    for number, values in enumerate(grid.rows[1:], start=2):
        if not any(values):
            continue
        cells = values + [""] * (len(headers) - len(values))
        rows.append((number, dict(zip(headers, cells, strict=False))))
    return rows


class _Importer:
    def __init__(self):
        self.result = UnitImportResult()
        self.errors: list[str] = []

    # --- lookups that keep re-runs idempotent ---------------------------------
    def unit_with_code(self, code: str, *, on: dt.date, parent: OrgUnit | None) -> OrgUnit | None:
        codes = UnitCode.objects.filter(code=code).select_related("unit")
        for unit_code in codes:
            if unit_code.is_valid_on(on) and (
                parent is None or unit_code.unit.path.startswith(parent.path)
            ):
                return unit_code.unit
        return None

    def ensure_child(
        self,
        parent: OrgUnit | None,
        *,
        name: str,
        kind: str,
        code: str = "",
        valid_from: dt.date | None = None,
        valid_to: dt.date | None = None,
    ) -> OrgUnit:
        day = valid_from or valid_to or REFORM_DATE
        # A code (with its dates) identifies a unit; two communes may share a
        # name (there are two xã Vạn Lang), so names match only uncoded units.
        if code:
            unit = self.unit_with_code(code, on=day, parent=parent)
        else:
            siblings = parent.get_children() if parent else OrgUnit.get_root_nodes()
            unit = siblings.filter(name_folded=fold(name), kind=kind).first()
        if unit is None:
            fields = {"name": name, "kind": kind, "valid_from": valid_from, "valid_to": valid_to}
            unit = parent.add_child(**fields) if parent else OrgUnit.add_root(**fields)
            self.result.created += 1
        if code:
            _obj, created = UnitCode.objects.get_or_create(
                unit=unit, code=code, valid_from=valid_from, defaults={"valid_to": valid_to}
            )
            self.result.codes_created += created
        return unit

    def ensure_alias(self, unit: OrgUnit, name: str) -> None:
        name = nfc(name)
        if not name or fold(name) == unit.name_folded:
            return
        _obj, created = UnitAlias.objects.get_or_create(
            unit=unit, name_folded=fold(name), defaults={"name": name}
        )
        self.result.aliases_created += created

    # --- the two files --------------------------------------------------------
    def import_units(self, rows: list[tuple[int, dict]]) -> dict[str, OrgUnit]:
        province = self.ensure_child(
            None, name=PROVINCE_NAME, kind=OrgUnit.Kind.PROVINCE_COMMITTEE, code=PROVINCE_CODE
        )
        group = self.ensure_child(
            province,
            name=COMMUNE_GROUP_NAME,
            kind=OrgUnit.Kind.COMMUNE_GROUP,
            valid_from=REFORM_DATE,
        )
        new_units: dict[str, OrgUnit] = {}
        for number, row in rows:
            code = (row.get("code") or "").strip()
            full_name = nfc(row.get("full_name"))
            short_name = nfc(row.get("name"))
            if not re.fullmatch(r"\d{5}", code):
                self.errors.append(
                    _("Row %(row)d, column code: unit code “%(code)s” is not 5 digits.")
                    % {"row": number, "code": code}
                )
                continue
            if not full_name or not short_name:
                self.errors.append(
                    _("Row %(row)d, column full_name: the unit name is missing.") % {"row": number}
                )
                continue
            if code in new_units:
                self.errors.append(
                    _("Row %(row)d, column code: code %(code)s appears twice in the file.")
                    % {"row": number, "code": code}
                )
                continue
            unit = self.ensure_child(
                group,
                name=committee_name(full_name),
                kind=OrgUnit.Kind.COMMUNE_COMMITTEE,
                code=code,
                valid_from=REFORM_DATE,
            )
            self.ensure_alias(unit, full_name)
            self.ensure_alias(unit, short_name)
            new_units[code] = unit
        return new_units

    def import_successions(
        self, rows: list[tuple[int, dict]], new_units: dict[str, OrgUnit]
    ) -> None:
        province = OrgUnit.get_root_nodes().filter(name_folded=fold(PROVINCE_NAME)).first()
        old_provinces: dict[str, OrgUnit] = {}
        districts: dict[str, OrgUnit] = {}
        old_units: dict[tuple[str, str], OrgUnit] = {}
        for number, row in rows:
            new_code = (row.get("new_code") or "").strip()
            old_code = (row.get("old_code") or "").strip()
            note = fold(row.get("note"))
            successor = new_units.get(new_code) or self.unit_with_code(
                new_code, on=REFORM_DATE, parent=None
            )
            if successor is None:
                self.errors.append(
                    _("Row %(row)d, column new_code: no new unit has the code “%(code)s”.")
                    % {"row": number, "code": new_code}
                )
                continue
            if note not in SUCCESSION_KINDS:
                self.errors.append(
                    _("Row %(row)d, column note: unknown kind of change “%(note)s”.")
                    % {"row": number, "note": row.get("note", "")}
                )
                continue
            district_match = _NAME_WITH_CODE.match(nfc(row.get("old_district")))
            if not re.fullmatch(r"\d{5}", old_code) or not district_match:
                self.errors.append(
                    _("Row %(row)d: the old unit code or old district is invalid.")
                    % {"row": number}
                )
                continue
            parent = province
            province_match = _NAME_WITH_CODE.match(nfc(row.get("old_province")))
            if province_match and province_match.group("code") != PROVINCE_CODE:
                key = province_match.group("code")
                if key not in old_provinces:
                    old_province = self.ensure_child(
                        province,
                        name=committee_name(province_match.group("name")),
                        kind=OrgUnit.Kind.PROVINCE_COMMITTEE,
                        code=key,
                        valid_to=BEFORE_REFORM,
                    )
                    self.ensure_succession(
                        old_province, province, Succession.Kind.MERGE, PROVINCE_BASIS
                    )
                    old_provinces[key] = old_province
                parent = old_provinces[key]
            district_code = district_match.group("code")
            if district_code not in districts:
                districts[district_code] = self.ensure_child(
                    parent,
                    name=committee_name(district_match.group("name")),
                    kind=OrgUnit.Kind.DISTRICT_COMMITTEE,
                    code=district_code,
                    valid_to=BEFORE_REFORM,
                )
            district = districts[district_code]
            key = (district_code, old_code)
            old_name = nfc(row.get("old_name"))
            if key not in old_units:
                old_units[key] = self.ensure_child(
                    district,
                    name=committee_name(old_name),
                    kind=OrgUnit.Kind.COMMUNE_COMMITTEE,
                    code=old_code,
                    valid_to=BEFORE_REFORM,
                )
            old_unit = old_units[key]
            # The table spells some units two ways (Điềm Thụy / Điềm Thuỵ): keep both.
            self.ensure_alias(old_unit, old_name)
            kind = SUCCESSION_KINDS[note]
            if kind == Succession.Kind.UNCHANGED and fold(old_name) != fold(row.get("new_name")):
                kind = Succession.Kind.RENAME
            self.ensure_succession(old_unit, successor, kind, COMMUNE_BASIS)

    def ensure_succession(self, old: OrgUnit, new: OrgUnit, kind: str, basis: str) -> None:
        _obj, created = Succession.objects.get_or_create(
            predecessor=old,
            successor=new,
            effective_date=REFORM_DATE,
            defaults={"kind": kind, "legal_basis": basis},
        )
        self.result.successions_created += created


def units_import(
    *, units_file=DEFAULT_UNITS_FILE, succession_file=DEFAULT_SUCCESSION_FILE
) -> UnitImportResult:
    """Import both files in one transaction; any bad row aborts the whole import."""
    importer = _Importer()
    unit_rows = _read_rows(units_file, UNIT_COLUMNS, str(getattr(units_file, "name", units_file)))
    succession_rows = (
        _read_rows(
            succession_file,
            SUCCESSION_COLUMNS,
            str(getattr(succession_file, "name", succession_file)),
        )
        if succession_file
        else []
    )
    with transaction.atomic():
        new_units = importer.import_units(unit_rows)
        importer.import_successions(succession_rows, new_units)
        if importer.errors:
            transaction.set_rollback(True)
            raise UnitImportError(importer.errors)
    return importer.result
