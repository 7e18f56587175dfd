"""Unit names as people write them, and the units a person may act on."""

import re

from ..models import OrgUnit
from ..text import fold

_PUNCT = re.compile(r"[^\w]+")
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


def units_in_scope(user) -> tuple[list[OrgUnit], bool]:
    """The units a user may import into, and whether that is every unit."""
    from ..selectors import units_visible_to

    if user is None or user.is_administrator:
        return list(OrgUnit.objects.all()), True
    return list(units_visible_to(user)), False
