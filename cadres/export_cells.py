"""Cells for spreadsheets we hand out (XLSX and CSV): text a person typed never
opens as a formula.

OWASP's rule for CSV/formula injection: a text cell starting with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return is prefixed with a single quote, so
Excel and LibreOffice show it as text. Numbers (including negative ones, and
numbers we wrote as text such as "-5" or "66.7") stay as they are.
"""

import re
from collections.abc import Iterable

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def neutralise(value):
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        return value
    if _PLAIN_NUMBER.fullmatch(value):
        return value
    return "'" + value


def neutralise_row(values: Iterable) -> list:
    return [neutralise(value) for value in values]
