"""Hostile input everywhere: stored script is always shown as text, and no form answers with a 500.

Both tests run over the demo municipality and every page the standing demo
characters can reach, so new pages and fields are covered without a change here.
"""

from __future__ import annotations

import re
from collections import deque

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import models
from django.test import Client
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from config.tests.test_security import PROJECT_APPS, is_public, project_urls

PAYLOAD = "<i>x</i>"
SKIP_FIELDS = {"password", "email", "path", "code", "reference", "slug", "token", "key", "claim", "channel"}
LINK = re.compile(r'href="(/[^"#?]*)"')
DEMO_USERS = [
    "ciso@voorbeeld.nl",
    "privacy@voorbeeld.nl",
    "manager@voorbeeld.nl",
    "ambassadeur@voorbeeld.nl",
    "medewerker@voorbeeld.nl",
]


def _client_for(email: str) -> Client:
    from accounts.models import User
    from conftest import _mfa_session

    client = Client()
    _mfa_session(client, User.objects.get(email=email))
    return client


def _crawl(client: Client, limit: int = 250):
    """Every HTML page reachable by links from the home page and the menu, breadth first."""
    start = ["/"] + [_route for name, _route, _p in [] if name]
    start += ["/" + route for name, route, _p in project_urls() if "<" not in route and not is_public(name)]
    queue, seen = deque(start), set()
    while queue and len(seen) < limit:
        path = queue.popleft()
        if path in seen or path.startswith(("/accounts/logout", "/beheer/", "/static/", "/i18n/")):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code == 200 and response.get("Content-Type", "").startswith("text/html"):
            content = response.content.decode()
            yield path, content
            queue.extend(link for link in LINK.findall(content) if link not in seen)


def _poison_every_text_field() -> int:
    """Put the payload into every free-text field of every row our apps store."""
    changed = 0
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS or model._meta.proxy:
            continue
        fields = [
            f.name
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField))
            and not isinstance(f, (models.EmailField, models.URLField, models.SlugField))
            and not f.choices
            and not f.unique
            and f.name not in SKIP_FIELDS
            and (f.max_length is None or f.max_length >= 40)
        ]
        if not fields or model.__name__ in ("AuditEntry", "AuditChainHead", "OutboxMessage", "SentMail"):
            continue
        for obj in model.objects.all():
            for name in fields:
                setattr(
                    obj,
                    name,
                    f"{getattr(obj, name) or ''}{PAYLOAD}"[-(model._meta.get_field(name).max_length or 10_000) :],
                )
            model.objects.filter(pk=obj.pk).update(**{name: getattr(obj, name) for name in fields})
            changed += 1
    return changed


@pytest.mark.django_db(transaction=True)
def test_stored_script_is_always_escaped():
    call_command("seed_demo")
    assert _poison_every_text_field() > 100
    pages = 0
    for email in DEMO_USERS:
        for path, content in _crawl(_client_for(email)):
            pages += 1
            assert PAYLOAD not in content, f"unescaped user text on {path} as {email}"
    assert pages > 60


hostile_text = st.one_of(
    st.text(min_size=0, max_size=50),
    st.sampled_from(
        [
            "\x00",
            "a\x00b",
            "\u202eevil",
            "\u200f\u200e",
            "'; DROP TABLE x;--",
            "<script>1</script>",
            "9" * 40,
            "-1",
            "1e309",
            "NaN",
            "2026-02-30",
            "../../etc/passwd",
        ]
    ),
    st.just("x" * 1_000_000),
)


def _forms(client: Client) -> list[tuple[str, list[str]]]:
    """Every form on every reachable page: its action and its field names."""
    found = {}
    for path, content in _crawl(client, limit=150):
        for form in re.finditer(r"<form[^>]*method=\"post\"[^>]*>(.*?)</form>", content, re.S | re.I):
            action = re.search(r'action="([^"]*)"', form.group(0)[:400])
            target = action.group(1) if action and action.group(1) else path
            if target.startswith(("/accounts/", "/i18n/")):
                continue
            names = sorted(set(re.findall(r'name="([^"]+)"', form.group(1))) - {"csrfmiddlewaretoken"})
            found.setdefault(target, names)
    return list(found.items())


@pytest.mark.django_db(transaction=True)
def test_hostile_posts_never_get_a_500():
    call_command("seed_demo")
    client = _client_for("ciso@voorbeeld.nl")
    client.raise_request_exception = False
    forms = _forms(client)
    assert len(forms) > 20

    @hypothesis_settings(max_examples=4, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=st.data())
    def post_everything(data):
        for action, names in forms:
            payload = {name: data.draw(hostile_text) for name in names}
            response = client.post(action, payload)
            assert response.status_code < 500, f"{action} answered {response.status_code} to {payload!r:.200}"

    post_everything()
    # Thousands of fields are refused politely, not with a crash.
    response = client.post(forms[0][0], {f"f{i}": "x" for i in range(3000)})
    assert response.status_code == 400
