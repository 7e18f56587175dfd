"""Certificate number patterns such as ``{seq:05d}/{year}/CN-MTTQ``."""

import string

from django.utils.translation import gettext as _

ALLOWED_FIELDS = {"seq", "year"}


class NumberPatternError(ValueError):
    pass


def number_pattern_check(pattern: str) -> None:
    """Only {seq} and {year}, with plain format specs; {seq} is required."""
    fields = set()
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as exc:
        raise NumberPatternError(_("The pattern has an unbalanced { or }.")) from exc
    for _literal, field, spec, conversion in parsed:
        if field is None:
            continue
        if field not in ALLOWED_FIELDS or conversion:
            raise NumberPatternError(
                _("Only {seq} and {year} may appear in the pattern, not {%(field)s}.")
                % {"field": field}
            )
        if spec and not all(ch.isdigit() or ch == "d" for ch in spec):
            raise NumberPatternError(
                _("Use a format such as {seq:05d}; “%(spec)s” is not allowed.") % {"spec": spec}
            )
        fields.add(field)
    if "seq" not in fields:
        raise NumberPatternError(_("The pattern must contain {seq}, e.g. {seq:05d}."))
    try:
        sample = pattern.format(seq=1, year=2026)
    except (ValueError, KeyError, IndexError) as exc:
        raise NumberPatternError(
            _("The pattern cannot be used: %(error)s") % {"error": exc}
        ) from exc
    if len(sample) > 60:
        raise NumberPatternError(_("The resulting number is too long (at most 60 characters)."))


def number_format(pattern: str, *, seq: int, year: int) -> str:
    return pattern.format(seq=seq, year=year)


def patterns_collide(a: str, b: str) -> bool:
    """Whether two issuers' patterns would print the same number: compared by
    what they print, not how they are written ("{seq:05}" is "{seq:05d}")."""
    return any(
        number_format(a, seq=seq, year=year) == number_format(b, seq=seq, year=year)
        for seq in (1, 123, 54321)
        for year in (2025, 2026)
    )
