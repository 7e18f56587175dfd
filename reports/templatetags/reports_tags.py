from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ..formatting import fmt_percent, status_label

register = template.Library()


@register.filter
def pct(value):
    return fmt_percent(value)


@register.filter
def status(value):
    return status_label(value)


@register.simple_tag
def report_tree(report, query: str) -> SafeString:
    """The unit tree as nested ``<details>``, one row per unit.

    Built here rather than by a recursive ``{% include %}``: a province has
    hundreds of units, and an include per unit costs more than the query.
    """
    base = reverse("reports:unit_cadres", args=[0]).rsplit("0/", 1)[0]
    query = escape(query)
    labels = {}
    out: list[str] = []

    def cells(row) -> str:
        label = labels.get(row.status)
        if label is None:
            label = labels[row.status] = escape(status_label(row.status))
        gap = "—" if row.gap is None else number_format(row.gap, force_grouping=True)
        return (
            f'<span class="rp-name lvl-{min(row.level, 12)}">'
            f'<a href="{base}{row.unit_id}/?{query}">{escape(row.name)}</a></span>'
            f'<span class="rp-num">{number_format(row.in_scope, force_grouping=True)}</span>'
            f'<span class="rp-num">{number_format(row.trained, force_grouping=True)}</span>'
            f'<span class="rp-num">{fmt_percent(row.percent)}</span>'
            f'<span class="rp-num">{gap}</span>'
            f'<span class="rp-st st-{row.status}">{label}</span>'
        )

    def node(row) -> None:
        if row.children:
            out.append(
                f'<details class="rp-node"{" open" if row.level < 1 else ""}>'
                f'<summary class="rp-row">{cells(row)}</summary>'
            )
            for child in row.children:
                node(child)
            out.append("</details>")
        else:
            out.append(f'<div class="rp-row rp-leaf">{cells(row)}</div>')

    if report.rows:
        node(report.root)
    return mark_safe("".join(out))  # noqa: S308 - names escaped above, the rest is ours
