"""Finding a row's unit by code or name among the units an officer manages,
blind to diacritics and to prefixes such as "Ủy ban MTTQ", "xã", "phường"."""

import datetime as dt
from collections.abc import Iterable

from ...models import OrgUnit, UnitAlias, UnitCode
from ...units.tree import unit_core, units_in_scope

__all__ = ["UnitMatcher", "unit_core", "unit_path_label", "units_in_scope"]


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


def unit_path_label(unit: OrgUnit) -> str:
    parent = unit.get_parent()
    return f"{unit.name} — {parent.name}" if parent else unit.name
