"""Figures for people, formatted on purpose.

``USE_THOUSAND_SEPARATOR`` is off, so a template prints every number raw:
ids, seconds, page numbers and form values stay readable by code. A count or
a percentage meant for a person goes through ``figure`` or ``percent`` (the
template filters of the same names in ``cadres.templatetags.figures``) and is
grouped the way the active language writes it: "1.500.000", "87,5%" in
Vietnamese. Never use them for a value that code reads back.
"""

from decimal import Decimal

from django.utils.formats import number_format

EMPTY = "—"


def figure(value, decimals: int | None = None) -> str:
    """A count or amount for a person: "1.500.000"; "—" for None.

    ``decimals`` fixes the number of decimal places; by default an integral
    value has none and a fractional one keeps its own.
    """
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        try:
            value = Decimal(str(value))
        except ArithmeticError:
            return str(value)
    if decimals is None and isinstance(value, float | Decimal) and value == int(value):
        value = int(value)
    return number_format(value, decimal_pos=decimals, force_grouping=True)


def percent(value, decimals: int = 1) -> str:
    """A percentage for a person: "87,5%"; "—" for None. ``value`` is already in per cent."""
    if value is None or value == "":
        return EMPTY
    return figure(round(Decimal(str(value)), decimals), decimals) + "%"
