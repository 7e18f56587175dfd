"""Server-rendered SVG charts: no JavaScript, readable on a phone, printable."""

import datetime as dt
from collections.abc import Sequence

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .formatting import fmt_date, fmt_percent

BAR_COLOURS = {"met": "#1b6e3a", "on_track": "#0b57d0", "behind": "#b3261e"}
GREY = "#8c8791"


def bar_chart_svg(rows: Sequence, target_percent: int | None) -> SafeString:
    """One horizontal bar per unit (share trained) against the target line.

    Drawn for a 360 px phone: the unit's name on its own line above its bar,
    so the chart fits the screen at a readable size without scrolling.
    """
    left, bar_w, right, row_h, top = 6, 262, 62, 34, 22
    width = left + bar_w + right
    height = top + row_h * len(rows) + 6
    parts = [
        f'<svg class="rp-chart" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="rp-chart-title" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="rp-chart-title">{escape(_("Share of cadres trained, by unit"))}</title>',
    ]
    for tick in (0, 25, 50, 75, 100):
        x = left + bar_w * tick / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 6}" '
            f'stroke="#e4e0e7" stroke-width="1"/>'
            f'<text x="{x:.1f}" y="{top - 8}" font-size="10" '
            f'text-anchor="{"start" if tick == 0 else "middle"}" fill="#5f5b66">{tick}%</text>'
        )
    for i, row in enumerate(rows):
        y = top + i * row_h
        percent = row.percent
        colour = BAR_COLOURS.get(row.status, GREY)
        name = row.name if len(row.name) <= 52 else row.name[:51] + "…"
        parts.append(
            f'<text x="{left}" y="{y + 12}" font-size="12" fill="#1d1b20">{escape(name)}'
            f"<title>{escape(row.name)}</title></text>"
        )
        if percent is not None:
            w = bar_w * min(percent, 100) / 100
            parts.append(
                f'<rect x="{left}" y="{y + 17}" width="{w:.1f}" height="11" '
                f'fill="{colour}" rx="2"/>'
            )
        parts.append(
            f'<text x="{left + bar_w + 6}" y="{y + 27}" font-size="12" '
            f'fill="#1d1b20">{escape(fmt_percent(percent))}</text>'
        )
    if target_percent is not None:
        x = left + bar_w * target_percent / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 2}" x2="{x:.1f}" y2="{height - 4}" '
            f'stroke="#1d1b20" stroke-width="2" stroke-dasharray="5 3"/>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def line_chart_svg(
    points: Sequence[tuple[dt.date, float]],
    *,
    target_percent: int | None = None,
    deadline: dt.date | None = None,
    title: str = "",
) -> SafeString:
    """Share trained over time (snapshots, then today) with the target line."""
    # Sized for a 360 px phone; the newest point (today) is the right edge.
    width, height, left, right, top, bottom = 340, 200, 36, 14, 18, 30
    if not points:
        return mark_safe("")
    days = [d for d, _p in points] + ([deadline] if deadline else [])
    start, end = min(days), max(days)
    span = max(1, (end - start).days)
    plot_w, plot_h = width - left - right, height - top - bottom

    def x(day: dt.date) -> float:
        return left + plot_w * (day - start).days / span

    def y(percent: float) -> float:
        return top + plot_h * (1 - min(max(percent, 0), 100) / 100)

    parts = [
        f'<svg class="rp-line" viewBox="0 0 {width} {height}" role="img" '
        f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>'
    ]
    for tick in (0, 50, 100):
        parts.append(
            f'<line x1="{left}" y1="{y(tick):.1f}" x2="{width - right}" y2="{y(tick):.1f}" '
            f'stroke="#e4e0e7"/><text x="{left - 6}" y="{y(tick) + 4:.1f}" font-size="11" '
            f'text-anchor="end" fill="#5f5b66">{tick}%</text>'
        )
    if target_percent is not None:
        parts.append(
            f'<line x1="{left}" y1="{y(target_percent):.1f}" x2="{width - right}" '
            f'y2="{y(target_percent):.1f}" stroke="#1d1b20" stroke-width="1.5" '
            f'stroke-dasharray="5 3"/>'
        )
    if deadline:
        right_half = x(deadline) > width / 2
        parts.append(
            f'<line x1="{x(deadline):.1f}" y1="{top}" x2="{x(deadline):.1f}" '
            f'y2="{top + plot_h}" stroke="#8a5300" stroke-dasharray="2 3"/>'
            f'<text x="{x(deadline) + (-3 if right_half else 3):.1f}" y="{top + plot_h - 4:.1f}" '
            f'font-size="11" text-anchor="{"end" if right_half else "start"}" '
            f'fill="#8a5300">{escape(fmt_date(deadline))}</text>'
        )
    coords = " ".join(f"{x(d):.1f},{y(p):.1f}" for d, p in points)
    parts.append(f'<polyline points="{coords}" fill="none" stroke="#0b57d0" stroke-width="2"/>')
    for d, p in points:
        parts.append(
            f'<circle cx="{x(d):.1f}" cy="{y(p):.1f}" r="3.5" fill="#0b57d0">'
            f"<title>{escape(fmt_date(d))}: {escape(fmt_percent(p))}</title></circle>"
        )
    last_day, last_percent = points[-1]
    parts.append(
        f'<text x="{left}" y="{height - 8}" font-size="11" fill="#5f5b66">'
        f"{escape(fmt_date(start))}</text>"
        f'<text x="{width - right}" y="{height - 8}" font-size="11" text-anchor="end" '
        f'fill="#5f5b66">{escape(fmt_date(max(end, last_day)))}</text>'
    )
    parts.append(
        f'<text x="{x(last_day):.1f}" y="{max(y(last_percent) - 8, 10):.1f}" font-size="11" '
        f'text-anchor="end" fill="#0b57d0" font-weight="700">'
        f"{escape(fmt_percent(last_percent))}</text>"
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
