from urllib.parse import parse_qsl

from django import template
from django.urls import reverse
from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from ..formatting import fmt_percent, status_label

register = template.Library()


@register.filter
def pct(value):
    return fmt_percent(value)


@register.filter
def status(value):
    return status_label(value)


# A level wider than this is shown a page at a time (a province of 126 communes).
CHILDREN_PER_PAGE = 100


class _Tree:
    """The rows of one report tree, written into ``out`` (see ``report_tree``)."""

    def __init__(self, report, query: str, opened, pages) -> None:
        self.report = report
        self.query = query
        self.opened = opened
        self.pages = pages or {}
        self.base = reverse("reports:unit_cadres", args=[0]).rsplit("0/", 1)[0]
        self.page = reverse("reports:report")
        self.labels = {}
        self.heads = {
            "in_scope": escape(_("Cadres")),
            "trained": escape(_("Trained")),
            "percent": escape(_("Share")),
            "gap": escape(_("More needed")),
        }
        self.out: list[str] = []

    def toggle(self, row) -> str:
        opened = self.opened
        is_open = row.unit_id in opened
        ids = sorted(opened - {row.unit_id} if is_open else opened | {row.unit_id})
        href = escape(
            f"{self.page}?{urlencode([*parse_qsl(self.query), *(('open', i) for i in ids)])}"
        )
        label = (
            _("Close the units under %(unit)s") if is_open else _("Open the units under %(unit)s")
        ) % {"unit": row.name}
        return (
            f'<a class="rp-toggle" href="{href}#u-{row.unit_id}" '
            f'aria-expanded="{"true" if is_open else "false"}" aria-label="{escape(label)}">'
            f"{'▾' if is_open else '▸'}</a>"
        )

    def cells(self, row, *, expandable: bool) -> str:
        heads = self.heads
        label = self.labels.get(row.status)
        if label is None:
            label = self.labels[row.status] = escape(status_label(row.status))
        gap = "—" if row.gap is None else number_format(row.gap, force_grouping=True)
        handle = self.toggle(row) if expandable else '<span class="rp-toggle"></span>'
        return (
            f'<tr id="u-{row.unit_id}"><th scope="row" class="rp-name lvl-{min(row.level, 12)}">'
            f'{handle}<a href="{self.base}{row.unit_id}/?{escape(self.query)}">'
            f"{escape(row.name)}</a></th>"
            f'<td class="rp-num" data-label="{heads["in_scope"]}">'
            f"{number_format(row.in_scope, force_grouping=True)}</td>"
            f'<td class="rp-num" data-label="{heads["trained"]}">'
            f"{number_format(row.trained, force_grouping=True)}</td>"
            f'<td class="rp-num" data-label="{heads["percent"]}">{fmt_percent(row.percent)}</td>'
            f'<td class="rp-num" data-label="{heads["gap"]}">{gap}</td>'
            f'<td class="rp-st st-{row.status}">{label}</td></tr>'
        )

    def more(self, row, number: int, count: int) -> str:
        """A row under a wide level: which units are shown, and links to the others."""
        last = -(-count // CHILDREN_PER_PAGE)
        at = [
            (k, v)
            for k, v in parse_qsl(self.query)
            if k != "at" or not v.startswith(f"{row.unit_id}-")
        ]
        at += [("open", i) for i in sorted(self.opened)]
        links = []
        for target, text in ((number - 1, _("Previous units")), (number + 1, _("Next units"))):
            if 1 <= target <= last:
                href = escape(f"{self.page}?{urlencode([*at, ('at', f'{row.unit_id}-{target}')])}")
                links.append(f'<a href="{href}#u-{row.unit_id}">{escape(text)}</a>')
        first = (number - 1) * CHILDREN_PER_PAGE + 1
        shown = _("Units %(first)s–%(last)s of %(count)s") % {
            "first": number_format(first, force_grouping=True),
            "last": number_format(min(count, number * CHILDREN_PER_PAGE), force_grouping=True),
            "count": number_format(count, force_grouping=True),
        }
        return (
            f'<tr class="rp-more"><td colspan="6" class="lvl-{min(row.level + 1, 12)}">'
            f"{escape(shown)} {' · '.join(links)}</td></tr>"
        )

    def node(self, row) -> None:
        is_root = row is self.report.root
        expandable = bool(row.children or row.has_hidden_children) and not is_root
        self.out.append(self.cells(row, expandable=expandable))
        if is_root or row.unit_id in self.opened:
            children = row.children
            if len(children) > CHILDREN_PER_PAGE:
                last = -(-len(children) // CHILDREN_PER_PAGE)
                number = min(max(1, self.pages.get(row.unit_id, 1)), last)
                start = (number - 1) * CHILDREN_PER_PAGE
                for child in children[start : start + CHILDREN_PER_PAGE]:
                    self.node(child)
                self.out.append(self.more(row, number, len(children)))
                return
            for child in children:
                self.node(child)


@register.simple_tag
def report_tree(report, query: str, opened=frozenset(), pages=None) -> SafeString:
    """The unit tree as table rows: the root and the units right under it,
    then the units under each unit the reader opened.

    A province has hundreds of units; sending them all made the first page
    176 KB on a 3G phone. A branch opens by a link that reloads the page with
    that unit's children (``?open=<id>``, kept for every open branch), so it
    works without JavaScript. Built here rather than by a recursive
    ``{% include %}``: an include per unit costs more than the query.
    """
    tree = _Tree(report, query, opened, pages)
    if report.rows:
        tree.node(report.root)
    return mark_safe("".join(tree.out))  # noqa: S308 - names escaped above, the rest is ours
