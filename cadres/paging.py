"""Page numbers from the query string."""

from django.core.exceptions import BadRequest
from django.http import HttpRequest

from .text import is_plain_digits


def page_number(request: HttpRequest, name: str = "page") -> str | None:
    """The page asked for, or None for the first page.

    Our links print page numbers raw ("1234"); a grouped or otherwise odd
    value ("1.234") is a bad request (400), not silently page 1.
    """
    value = request.GET.get(name)
    if value in (None, ""):
        return None
    if not is_plain_digits(value):
        raise BadRequest(f"page number {value!r}")
    return value
