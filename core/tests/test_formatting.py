"""Figures in the reader's language: the same functions for pages, mails and PDFs."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from core.formatting import money, number, percent, short_date, short_datetime

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("language", "expected"),
    [("nl", f"€{NBSP}22.670,50"), ("en", f"€{NBSP}22,670.50")],
)
def test_it_writes_an_amount_in_the_readers_language(language, expected):
    with translation.override(language):
        assert money(Decimal("22670.5")) == expected
        assert money(22670.5) == expected


def test_it_rounds_half_up_instead_of_cutting_off():
    with translation.override("nl"):
        assert percent(29.96) == "30,0%"
        assert percent(Decimal("0.05"), 1) == "0,1%"
        assert number(2.5) == "3"
        assert number(Decimal("1234.45"), 1) == "1.234,5"
        assert number(-0.04, 1) == "0,0"


def test_a_percentage_has_its_sign_and_decimal_comma():
    with translation.override("nl"):
        assert percent(30) == "30,0%"
        assert percent(Decimal("12.345"), 2) == "12,35%"
    with translation.override("en"):
        assert percent(30) == "30.0%"


def test_what_is_not_known_is_a_dash():
    assert money(None) == number("") == percent("n/a") == short_date(None) == short_datetime(None) == "–"


def test_short_dates_are_abbreviated_as_the_language_does():
    day = datetime.date(2026, 12, 1)
    with translation.override("nl"):
        assert short_date(day) == "1 dec. 2026"
        assert short_date(datetime.date(2026, 5, 1)) == "1 mei 2026"
        moment = datetime.datetime(2026, 12, 1, 13, 30, tzinfo=datetime.UTC)
        assert short_datetime(moment) == "1 dec. 2026 14:30"  # Amsterdam time
    with translation.override("en"):
        assert short_date(day) == "1 Dec. 2026"


def test_the_template_filters_are_the_same_functions():
    template = Template(
        "{% load formatting l10n %}{{ amount|money }} {{ share|percent }} {{ hours|number:1 }} {{ day|short_date }}"
        " {{ year }} {{ year|unlocalize }}"
    )
    context = Context({"amount": 1500, "share": 7.25, "hours": 1234.56, "day": datetime.date(2026, 3, 2), "year": 2026})
    with translation.override("nl"):
        assert template.render(context) == f"€{NBSP}1.500,00 7,3% 1.234,6 2 mrt. 2026 2.026 2026"


def test_dutch_dates_are_still_read_as_typed(db):
    from django import forms

    class DateForm(forms.Form):
        day = forms.DateField()

    with translation.override("nl"):
        for typed in ("1-12-2026", "01-12-2026", "2026-12-01", "1/12/2026"):
            form = DateForm({"day": typed})
            assert form.is_valid(), typed
            assert form.cleaned_data["day"] == datetime.date(2026, 12, 1)
