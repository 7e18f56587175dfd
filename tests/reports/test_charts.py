"""The charts are drawn for a 360 px phone: they fit without scrolling and
today's point is on the chart."""

import datetime as dt
import re
from types import SimpleNamespace

from reports.charts import bar_chart_svg, line_chart_svg


def view_box(svg: str) -> tuple[float, float]:
    _x, _y, width, height = map(float, re.search(r'viewBox="([^"]+)"', svg)[1].split())
    return width, height


def test_time_chart_fits_a_phone_and_shows_todays_point_and_date():
    today = dt.date(2026, 12, 3)
    svg = line_chart_svg(
        [(dt.date(2025, 9, 30), 0.0), (dt.date(2025, 12, 31), 0.0), (today, 16.1)],
        target_percent=100,
        deadline=dt.date(2025, 12, 31),
        title="Kỹ năng số cơ bản 2025",
    )
    width, _height = view_box(svg)
    assert width <= 360
    last_x = max(float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg))
    assert last_x <= width
    assert "03/12/2026" in svg and "16,1%" in svg


def test_time_chart_before_the_deadline_keeps_today_inside():
    svg = line_chart_svg(
        [(dt.date(2025, 9, 30), 5.0), (dt.date(2025, 10, 15), 20.0)],
        target_percent=100,
        deadline=dt.date(2025, 12, 31),
    )
    width, _height = view_box(svg)
    xs = [float(x) for x in re.findall(r'<circle cx="([\d.]+)"', svg)]
    assert all(0 <= x <= width for x in xs)
    assert all(float(x) <= width for x in re.findall(r'<text x="([\d.]+)"', svg))


def test_bar_chart_fits_a_phone_whatever_the_unit_names():
    rows = [
        SimpleNamespace(name="Ủy ban MTTQ xã " + "Rất Dài " * 12, percent=p, status="behind")
        for p in (0.0, 33.3, 100.0, None)
    ]
    svg = bar_chart_svg(rows, 100)
    width, _height = view_box(svg)
    assert width <= 360
    assert "…" in svg  # long names are shortened, the full name stays in <title>
    assert all(float(x) <= width for x in re.findall(r' x="([\d.]+)"', svg))
