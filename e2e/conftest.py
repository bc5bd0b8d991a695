"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import functools
import os
import time
from pathlib import Path

import pytest

from config.accessibility import AXE_TAGS

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
AXE_SOURCE = Path(__file__).resolve().parent.parent / "static" / "vendor" / "axe" / "axe.min.js"
PHONE = {"width": 390, "height": 844}


def pytest_collection_modifyitems(items):
    for item in items:
        if "/e2e/" in str(item.fspath):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM}")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture
def browser_context_args(browser_context_args):
    return {**browser_context_args, "locale": "nl-NL", "timezone_id": "Europe/Amsterdam"}


@pytest.fixture
def site(live_server, transactional_db):
    """The live server's base URL (the database is flushed after each browser test)."""
    return live_server.url


@pytest.fixture
def signed_in(context, site):
    """``signed_in(user) -> page``: a page whose browser holds a session of ``user``, MFA included.

    For the sign-in flow itself, drive the login form instead (see test_signin.py).
    """
    from django.conf import settings
    from django.test import Client

    from conftest import _mfa_session

    def make(user, *, viewport: dict | None = None):
        client = Client()
        _mfa_session(client, user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie.value, "url": site}])
        page = context.new_page()
        if viewport:
            page.set_viewport_size(viewport)
        return page

    return make


def axe_violations(page) -> list[str]:
    """axe-core's WCAG 2.0, 2.1 and 2.2 A/AA violations in the page, of any impact, one line each.

    Colours are measured at rest: the mouse leaves the element it last clicked and transitions end at once
    (mid-way through a button's hover transition its colours are neither state's). axe is loaded once per document.
    """
    page.mouse.move(0, 0)
    # Through the CSSOM (the CSP refuses a style element).
    page.evaluate(
        """() => { for (const el of document.querySelectorAll("*")) { el.style.setProperty("transition", "none", "important"); } }"""
    )
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        """async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})""",
        list(AXE_TAGS),
    )
    return [
        f"{v['id']} ({v['impact']}): {v['help']} {[n['target'] for n in v['nodes'][:3]]}" for v in result["violations"]
    ]


@functools.cache
def _axe_source() -> str:
    return AXE_SOURCE.read_text()


def assert_accessible(page, *, context: str = "") -> None:
    """No WCAG 2.0, 2.1 or 2.2 A/AA violation that axe-core finds, of any impact."""
    bad = axe_violations(page)
    assert not bad, f"axe violations on {context or page.url}: " + "; ".join(bad)


@pytest.fixture
def axe():
    return assert_accessible


def totp_now(secret: str) -> str:
    from accounts.tests.factories import totp_code

    return totp_code(secret)


def wait_for_next_totp_window() -> None:
    """TOTP codes are single use: wait for a fresh 30-second window before reusing the secret."""
    time.sleep(30 - (time.time() % 30) + 0.5)


def sort_by(page, label: str) -> None:
    """Sort a list by its column ``label`` as a user would: the header's link, or on a phone (where a list table
    stacks and its header is out of sight) the same link in the sort bar above the table."""
    bar = page.get_by_role("navigation", name="Sorteren")
    if bar.count() and bar.first.is_visible():
        bar.first.get_by_role("link", name=label).click()
    else:
        page.get_by_role("columnheader", name=label).get_by_role("link").click()
