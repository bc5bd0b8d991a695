"""Hostile query strings on every list page: cleaned or refused with 400, never a 500 (against PostgreSQL).

The list pages and their parameters are found, not listed: every page the demo characters reach, the
fields of its GET forms and the parameters of its links, plus ``q`` and ``page``.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from config.tests.test_hostile_input import _client_for, _crawl, hostile_text

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

GET_FORM = re.compile(r"<form(?![^>]*method=\"post\")[^>]*>(.*?)</form>", re.S | re.I)
QUERY_LINK = re.compile(r'href="(/[^"#]*\?[^"#]+)"')
ROLES = ["ciso@voorbeeld.nl", "privacy@voorbeeld.nl", "manager@voorbeeld.nl", "ambassadeur@voorbeeld.nl"]

hostile_query_value = st.one_of(
    hostile_text,
    st.sampled_from(["\x00", "%00", "a\x00", "\x1b[2J", "0", "-5", "99999999999999999999", "²", "٣"]),
)


def _list_pages(client: Client) -> dict[str, set[str]]:
    pages: dict[str, set[str]] = {}
    for path, content in _crawl(client, limit=150):
        names: set[str] = set()
        for form in GET_FORM.finditer(content):
            if "/accounts/" in form.group(0)[:300] or "/i18n/" in form.group(0)[:300]:
                continue
            names |= set(re.findall(r'name="([^"]+)"', form.group(1)))
        for link in QUERY_LINK.findall(content):
            parts = urlsplit(link.replace("&amp;", "&"))
            pages.setdefault(parts.path, set()).update(key for key, _ in parse_qsl(parts.query))
        if names:
            pages.setdefault(path, set()).update(names)
    for params in pages.values():
        params |= {"q", "page"}
    return pages


def test_hostile_query_strings_never_get_a_500():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (DATABASE_URL=postgres://...): a NUL only fails there")
    call_command("seed_demo")
    targets = []
    for email in ROLES:
        client = _client_for(email)
        client.raise_request_exception = False
        pages = _list_pages(client)
        assert len(pages) >= 3, pages
        targets += [(client, path, sorted(names)) for path, names in pages.items()]
    assert len(targets) > 10

    @hypothesis_settings(max_examples=6, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.data())
    def query_everything(data):
        for client, path, names in targets:
            query = {name: data.draw(hostile_query_value) for name in names}
            response = client.get(path, query)
            assert response.status_code < 500, f"{path} answered {response.status_code} to {query!r:.300}"

    query_everything()


@pytest.mark.parametrize("query", ["q=%00", "q=a%00b", "page=%00", "q=%1b", "q=" + "x" * 1001, "%00=1"])
def test_a_nul_or_control_character_in_a_search_is_refused_with_400(client_as, officer, query):
    response = client_as(officer).get(f"/mensen/medewerkers/?{query}")
    assert response.status_code == 400
    assert "Ongeldig verzoek" in response.content.decode()


@pytest.mark.parametrize("query", ["q=%ED%A0%80", "q=%FF%FE", "q=%C0%80"])
def test_bytes_that_are_not_utf8_are_cleaned_to_a_replacement_character(client_as, officer, query):
    response = client_as(officer).get(f"/mensen/medewerkers/?{query}")
    assert response.status_code == 200


def test_an_ordinary_search_still_works(client_as, officer):
    response = client_as(officer).get("/mensen/medewerkers/", {"q": "Jan de Vries\t", "page": "2"})
    assert response.status_code == 200
