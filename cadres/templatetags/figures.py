"""``{{ n|figure }}`` → "1.500.000", ``{{ p|percent }}`` → "87,5%" (see cadres.figures).

Only for figures a person reads; ids, seconds and form values are printed raw.
"""

from django import template

from .. import figures

register = template.Library()


@register.filter
def figure(value, decimals=None):
    return figures.figure(value, None if decimals in (None, "") else int(decimals))


@register.filter
def percent(value, decimals=1):
    return figures.percent(value, int(decimals))
