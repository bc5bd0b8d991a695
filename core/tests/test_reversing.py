"""``row_url`` gives the URL ``reverse`` gives."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, reverse, set_script_prefix

from core.reversing import row_url


@pytest.mark.parametrize("name", ["incidents:detail", "ambassadors:activity_update", "ambassadors:feedback_triage"])
@pytest.mark.parametrize("pk", [1, 42, 10**9])
def test_a_row_url_is_the_reversed_url(name, pk):
    assert row_url(name)(pk) == reverse(name, args=[pk])
    assert row_url(name)(str(pk)) == reverse(name, args=[pk])


def test_it_follows_the_script_prefix_and_refuses_what_is_not_a_number():
    try:
        set_script_prefix("/gemeente/")
        assert row_url("incidents:detail")(7) == "/gemeente/datalekken/7/" == reverse("incidents:detail", args=[7])
    finally:
        set_script_prefix("/")
    with pytest.raises(ValueError):
        row_url("incidents:detail")("7/../../admin")


def test_a_url_without_one_number_is_reversed_as_usual():
    with pytest.raises(NoReverseMatch):
        row_url("incidents:register")(7)
    with pytest.raises(NoReverseMatch):
        row_url("bestaat:niet")(7)


def test_the_filter_in_a_template():
    html = Template('{% load core_tags %}<a href="{{ pk|url_of:"incidents:detail" }}">').render(Context({"pk": 5}))
    assert html == f'<a href="{reverse("incidents:detail", args=[5])}">'
