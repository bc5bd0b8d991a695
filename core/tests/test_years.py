"""One range of years, one converter, one reader of ?jaar=, one leap-day rule."""

import datetime

import pytest
from django.urls import NoReverseMatch, resolve, reverse

from core.years import same_day_in_year, year_from_query


def test_a_year_in_a_url_is_four_digits_in_range():
    assert resolve("/programma/jaarplan/2026/").kwargs == {"year": 2026}
    assert reverse("programme:plan", args=[2026]).endswith("/2026/")


@pytest.mark.parametrize(
    "path", ["/programma/jaarplan/1999/", "/programma/jaarplan/2101/", "/programma/jaarplan/99999/"]
)
def test_a_year_out_of_range_does_not_match(path):
    from django.urls import Resolver404

    with pytest.raises(Resolver404):
        resolve(path)


def test_reverse_refuses_what_is_not_a_year():
    with pytest.raises(NoReverseMatch):
        reverse("programme:plan", args=["abcd"])


@pytest.mark.parametrize(("raw", "expected"), [("2025", 2025), ("", 2026), ("x", 2026), ("1900", 2026), ("-1", 2026)])
def test_the_year_in_the_query_string(rf, raw, expected):
    assert year_from_query(rf.get("/", {"jaar": raw}), default=2026) == expected


def test_29_february_becomes_28_february_in_a_year_without_it():
    assert same_day_in_year(datetime.date(2028, 2, 29), 2029) == datetime.date(2029, 2, 28)
    assert same_day_in_year(datetime.date(2026, 3, 1), 2028) == datetime.date(2028, 3, 1)
