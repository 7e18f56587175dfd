"""Vietnamese number and date formats for exports and messages, which are
rendered outside templates (PDF, CSV, notifications)."""

import datetime as dt

from .models import Status


def fmt_int(value: int | None) -> str:
    if value is None:
        return "—"
    return f"{value:,}".replace(",", ".")


def fmt_percent(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}".replace(".", ",") + "%"


def fmt_date(value: dt.date | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def status_label(status: str) -> str:
    return str(Status(status).label) if status in Status.values else ""
