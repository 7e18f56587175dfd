"""The body of a template: lines of text with {placeholders}."""

import re
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

PLACEHOLDERS = ("name", "date_of_birth", "unit", "course", "score", "date")
_FIELD = re.compile(r"\{([^{}]*)\}")


class PlaceholderError(ValueError):
    pass


def body_check(body: str) -> None:
    for line in body.splitlines():
        if line.count("{") != line.count("}"):
            raise PlaceholderError(_("A { or } has no partner in: %(line)s") % {"line": line})
        for name in _FIELD.findall(line):
            if name not in PLACEHOLDERS:
                raise PlaceholderError(
                    _("Unknown placeholder {%(name)s}. Use one of: %(known)s.")
                    % {"name": name, "known": ", ".join(f"{{{p}}}" for p in PLACEHOLDERS)}
                )


def body_lines(body: str, values: dict[str, str]) -> list[tuple[str, bool]]:
    """(text, stands_out) per line, placeholders filled in. A line whose
    placeholder is empty is left out; a line that is only {course} or {name}
    stands out (bold), as on paper certificates.

    Substitution is plain text: a value that looks like markup stays text.
    """
    lines = []
    for line in body.splitlines():
        names = _FIELD.findall(line)
        if any(not values.get(name) for name in names):
            continue
        text = _FIELD.sub(lambda match: values[match.group(1)], line)
        if text.strip():
            lines.append((text, line.strip() in ("{course}", "{name}")))
    return lines


def percent_text(value: Decimal) -> str:
    """A result as the quiz pages print it: "85%", "87,5%" (one decimal at most,
    a decimal comma)."""
    rounded = value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{rounded:f}".removesuffix(".0").replace(".", ",") + "%"
