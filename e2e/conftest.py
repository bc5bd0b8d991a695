"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

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


def assert_accessible(page, *, context: str = "") -> None:
    """Run axe-core in the page; no serious or critical WCAG 2.1 A/AA violation is allowed.

    Colours are measured at rest: the mouse leaves the element it last clicked and transitions end at once
    (mid-way through a button's hover transition its colours are neither state's).
    """
    page.mouse.move(0, 0)
    # Through the CSSOM (the CSP refuses a style element).
    page.evaluate(
        """() => { for (const el of document.querySelectorAll("*")) { el.style.setProperty("transition", "none", "important"); } }"""
    )
    page.evaluate(AXE_SOURCE.read_text())
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})"""
    )
    bad = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
    details = "; ".join(f"{v['id']}: {v['help']} ({[n['target'] for n in v['nodes'][:3]]})" for v in bad)
    assert not bad, f"axe violations on {context or page.url}: {details}"


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
