"""core.dates: the text of Django's date filter for every format the app uses, in both languages."""

from __future__ import annotations

import datetime
import zoneinfo

import pytest
from django.template import Context, Template
from django.utils import dateformat, timezone, translation
from django.utils.formats import get_format

from core.dates import format_date

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
MOMENTS = [
    datetime.datetime(2026, 1, 5, 7, 3, 9, tzinfo=AMSTERDAM),
    datetime.datetime(2026, 3, 29, 2, 30, tzinfo=datetime.UTC).astimezone(AMSTERDAM),  # the summer-time night
    datetime.datetime(2026, 10, 25, 2, 30, tzinfo=AMSTERDAM),  # the ambiguous hour
    datetime.datetime(1999, 12, 31, 23, 59, 59),  # naive
    datetime.datetime(2026, 5, 17, 12, 0, tzinfo=datetime.UTC),
]
DATES = [datetime.date(2026, 1, 1), datetime.date(2026, 9, 30), datetime.date(2008, 2, 29)]
FORMATS = [
    "DATE_FORMAT",
    "SHORT_DATE_FORMAT",
    "DATETIME_FORMAT",
    "SHORT_DATETIME_FORMAT",
    "j F Y",
    "j N Y H:i",
    "d-m-Y",
    "D j M Y",  # "D" is Django's own: passed on
    r"j \d\e F",  # escaped characters
    "y b G:i:s",
    "c",  # ISO 8601 with the offset: Django's
    "e O T",  # time zones: Django's
    "H:i",
]


@pytest.mark.parametrize("language", ["nl", "en"])
def test_every_format_gives_django_s_text(language):
    with translation.override(language):
        for name in FORMATS:
            fmt = get_format(name)
            for moment in MOMENTS:
                assert format_date(moment, fmt) == dateformat.format(moment, fmt), (name, moment)
            for day in DATES:
                try:
                    expected = dateformat.format(day, fmt)
                except TypeError:
                    with pytest.raises(TypeError):
                        format_date(day, fmt)
                else:
                    assert format_date(day, fmt) == expected, (name, day)


def test_the_builtin_date_filter_is_django_s_in_a_template(settings):
    from core.templatetags.dates import date

    assert Template("").engine.template_builtins[-1].filters["date"] is date  # ours, not Django's
    settings.USE_TZ = True
    moment = timezone.now()
    source = '{{ m|date:"SHORT_DATETIME_FORMAT" }}|{{ m|date }}|{{ d|date:"j F Y" }}|{{ none|date }}|{{ text|date }}'
    ours = Template(source)
    with translation.override("nl"):
        rendered = ours.render(Context({"m": moment, "d": datetime.date(2026, 12, 1), "none": None, "text": "x"}))
        local = timezone.localtime(moment)
        assert rendered == "|".join(
            [
                dateformat.format(local, get_format("SHORT_DATETIME_FORMAT")),
                dateformat.format(local, get_format("DATE_FORMAT")),
                "1 december 2026",
                "",
                "",
            ]
        )
