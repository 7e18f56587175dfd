from django import template

from ..formatting import fmt_percent, status_label

register = template.Library()


@register.filter
def pct(value):
    return fmt_percent(value)


@register.filter
def status(value):
    return status_label(value)
