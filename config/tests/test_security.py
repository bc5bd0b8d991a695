"""Cross-cutting security rules, checked over every URL the project has.

These tests walk the URL configuration, so a new URL is covered the moment it
exists: it must either require a login or be on the explicit allow-list below.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Iterator

import pytest
from django import forms
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

PROJECT_APPS = (
    "config",
    "core",
    "accounts",
    "programme",
    "ambassadors",
    "training",
    "incidents",
    "evaluation",
    "api",
)

# URL names anyone may open without signing in, and why.
PUBLIC_URL_NAMES = {
    "set_language",  # the language switch on the sign-in page
    "accounts:unsubscribe",  # one-click unsubscribe from a mail, proven by its signed token
    "accessibility",  # the accessibility statement must be public (WCAG / Dutch government rules)
    # Sign-in with the organisation's identity provider happens before there is a session.
    "sso:hint",  # whether the typed address's domain has SSO (a domain fact, never an account)
    "sso:start",
    "sso:callback",  # proven by allauth's state, the nonce and the ID token's signature
    "sso:provider_views_disabled",  # allauth's unbound provider views: 404 for everyone
    "health",  # readiness for the load balancer: states of database, cache and broker, no data
    "metrics",  # Prometheus: only the configured scraper (bearer token and/or addresses), else 401/403/404
}
PUBLIC_URL_PATTERNS = (
    re.compile(r"^account_"),  # allauth: sign-in, password reset, MFA stages
    re.compile(r"^mfa_"),
    re.compile(r"calendar_feed|ical_feed|feed$"),  # secret-token calendar feeds
    # The REST API and its schema: a bearer token per request, refused with 401 without one (no login page).
    re.compile(r"^api:(v1_|schema$)"),
)
SAMPLE_ARGS = {
    "int": "1",
    "year": "2026",
    "str": "x",
    "slug": "x",
    "uuid": "00000000-0000-0000-0000-000000000000",
    "path": "x",
}


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            ns_prefix = f"{ns}:" if entry.namespace else (f"{namespace}:" if namespace else "")
            yield from _walk(
                entry.url_patterns, prefix + str(entry.pattern), ns_prefix.rstrip(":") if ns_prefix else ""
            )
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else (entry.name or "")
            yield name, prefix + str(entry.pattern), entry


def _sample_path(route: str) -> str:
    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: SAMPLE_ARGS.get(m.group(1) or "str", "x"), route)
    path = re.sub(r"^\^|\$$", "", path)
    return "/" + path.lstrip("/")


def project_urls() -> list[tuple[str, str, URLPattern]]:
    """Every URL of our own apps (not the Django admin, whose login goes through allauth anyway)."""
    urls = []
    for name, route, pattern in _walk(get_resolver().url_patterns):
        module = getattr(pattern.callback, "__module__", "")
        if module.split(".")[0] in PROJECT_APPS or name.startswith(("account_", "mfa_")) or name == "set_language":
            urls.append((name, route, pattern))
    return urls


def test_the_walker_sees_the_project_urls():
    names = {name for name, _route, _pattern in project_urls()}
    assert {"home", "accounts:people", "accounts:department", "account_login", "set_language"} <= names


def is_public(name: str) -> bool:
    return name in PUBLIC_URL_NAMES or any(p.search(name) for p in PUBLIC_URL_PATTERNS)


@pytest.mark.django_db
def test_every_url_requires_login_except_the_allow_list():
    client = Client()
    offenders = []
    for name, route, _pattern in project_urls():
        if is_public(name):
            continue
        path = _sample_path(route)
        response = client.get(path)
        if not (response.status_code == 302 and "/accounts/login/" in response.get("Location", "")):
            offenders.append(f"{name} {path} -> {response.status_code}")
    assert not offenders, "URLs open to anonymous users: " + "; ".join(offenders)


def test_public_views_are_marked_on_purpose():
    """A view that opts out of login must be on the allow-list, and the reverse."""
    for name, _route, pattern in project_urls():
        opted_out = getattr(pattern.callback, "login_required", True) is False
        if opted_out and not is_public(name):
            pytest.fail(f"{name} is login_not_required but not on the public allow-list")


@pytest.mark.django_db
def test_state_changing_requests_need_a_csrf_token(officer, login):
    client = Client(enforce_csrf_checks=True)
    login(client, officer)
    offenders = []
    for name, route, _pattern in project_urls():
        if name in ("accounts:unsubscribe", "sso:callback") or name.startswith(("account_", "mfa_")):
            continue
        response = client.post(_sample_path(route), {})
        # 401: the API takes no session at all, so a session's POST is refused before any CSRF question;
        # 415: the API's schema view refuses a form body before it looks at the method.
        if response.status_code not in (401, 403, 404, 405, 415):
            offenders.append(f"{name} -> {response.status_code}")
    assert not offenders, "POST without a CSRF token was accepted: " + "; ".join(offenders)


def test_no_form_takes_all_fields_or_excludes():
    offenders = []
    for app in PROJECT_APPS:
        try:
            module = importlib.import_module(f"{app}.forms")
        except ModuleNotFoundError:
            continue
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            meta = getattr(cls, "Meta", None)
            ours = issubclass(cls, forms.ModelForm) and meta is not None and cls.__module__ == module.__name__
            if ours and (getattr(meta, "fields", None) == "__all__" or getattr(meta, "exclude", None)):
                offenders.append(f"{module.__name__}.{cls.__name__}")
    assert not offenders


@pytest.mark.django_db
def test_login_next_cannot_leave_the_site(client, staff_b):
    from accounts.tests.factories import TEST_PASSWORD

    response = client.post(
        "/accounts/login/?next=https://evil.example/steal", {"login": staff_b.email, "password": TEST_PASSWORD}
    )
    assert response.status_code == 302 and not response["Location"].startswith("https://evil")


@pytest.mark.django_db
def test_every_signed_in_page_has_the_security_headers(client_as, officer):
    client = client_as(officer)
    for name, route, _pattern in project_urls():
        if "<" in route or is_public(name):
            continue
        response = client.get(_sample_path(route))
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        assert "default-src 'self'" in response["Content-Security-Policy"], name
        assert response["Cache-Control"] == "no-store", name
        assert response["X-Frame-Options"] == "DENY", name
        assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"], (
            name
        )
