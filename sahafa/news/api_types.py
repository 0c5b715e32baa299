"""What every part's routers of the read API (``/api/v1/``) share: the error body, the
parameter types and the page links.

The API is composed at the top floor (``sahafa/api.py``) from routers of the parts that
serve readers — ``sahafa.delivery.api`` (articles, sections, authors, tags, ticker) and
``sahafa.search.api`` — which may import ``news`` but not each other, so the few
declarations they must agree on live here, beside ``news.errors``' JSON error shape.
The schemas (django-ninja, i.e. pydantic) are the source of the OpenAPI document.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated
from urllib.parse import urlencode

from ninja import Field, Schema
from pydantic import BeforeValidator

from .addresses import absolute

#: Pages past this are refused (400), not looked for: an offset of a million rows.
MAX_PAGE = 10_000
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 100
#: A slug, a search word: anything but control characters (which the request guard
#: refuses before any view, sahafa.delivery.request_guard), up to Wagtail's 255.
TEXT_PATTERN = r"^[^\x00-\x1f\x7f]*$"
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


class ErrorOut(Schema):
    """Every refusal of the API: Arabic first, English for developers, and the query
    parameter at fault when there is one."""

    error: str
    error_en: str
    parameter: str | None = None


#: The refusals every read operation may answer with, for ``response=``.
ERROR_RESPONSES: dict[int, type[Schema]] = {400: ErrorOut, 404: ErrorOut, 429: ErrorOut}


def _iso_date_only(value):
    # Pydantic also reads a date from a number of seconds or a datetime string; the
    # API promises ISO dates (YYYY-MM-DD) and says so when given anything else.
    if isinstance(value, str) and not ISO_DATE.fullmatch(value.strip()):
        raise ValueError("not an ISO date (YYYY-MM-DD)")
    return value


IsoDate = Annotated[date, BeforeValidator(_iso_date_only)]
# Given, never empty: the API refuses "?tag=" by name rather than read it as absent.
Slug = Annotated[str, Field(min_length=1, max_length=255, pattern=TEXT_PATTERN)]
Page = Annotated[int, Field(ge=1, le=MAX_PAGE, description="رقم الصفحة (من 1)")]
PageSize = Annotated[
    int, Field(ge=1, le=MAX_PAGE_SIZE, description="عدد النتائج في الصفحة (حتى 100)")
]


class PageOut(Schema):
    """Where a list is: how many in all, which page of how many, and the addresses
    (absolute, under SAHAFA_BASE_URL) of the pages before and after."""

    count: int
    page: int
    pages: int
    page_size: int
    next: str | None
    previous: str | None


def page_link(request, number: int | None) -> str | None:
    """The address of page ``number`` of the list ``request`` asked for: the same
    parameters, sorted (so one answer names its neighbours the same way whatever
    order it was asked in), page 1 without ``page``."""
    if number is None:
        return None
    params = sorted((k, v) for k, v in request.GET.items() if k != "page")
    if number > 1:
        params = sorted([*params, ("page", str(number))])
    query = urlencode(params)
    return absolute(request.path + (f"?{query}" if query else ""))


def page_meta(request, number: int, pages: int, count: int, page_size: int) -> dict:
    return {
        "count": count,
        "page": number,
        "pages": pages,
        "page_size": page_size,
        "next": page_link(request, number + 1 if number < pages else None),
        "previous": page_link(request, number - 1 if number > 1 else None),
    }
