"""The programme's years: one range, one URL converter, one reader of ``?jaar=`` and one leap-day rule."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from django.utils import timezone

MIN_YEAR = 2000
MAX_YEAR = 2100


class YearConverter:
    """``<year:year>`` in a URL: four digits within the programme's range, else the URL does not match (404)."""

    regex = "[0-9]{4}"

    def to_python(self, value: str) -> int:
        year = int(value)
        if not MIN_YEAR <= year <= MAX_YEAR:
            raise ValueError(value)
        return year

    def to_url(self, value: int) -> str:
        return f"{int(value):04d}"


def this_year() -> int:
    return timezone.localdate().year


def year_from_query(request: HttpRequest, name: str = "jaar", *, default: int | None = None) -> int:
    """The year in the query string, or ``default`` (this year) when it is missing or not a year in range."""
    fallback = this_year() if default is None else default
    raw = request.GET.get(name, "")
    if not raw.isdecimal():
        return fallback
    year = int(raw)
    return year if MIN_YEAR <= year <= MAX_YEAR else fallback


def same_day_in_year(day: datetime.date, year: int) -> datetime.date:
    """``day`` moved to ``year``; 29 February becomes 28 February in a year without it."""
    try:
        return day.replace(year=year)
    except ValueError:
        return day.replace(year=year, day=28)
