"""Focus that one can see: the skip link above the menu bar, a clear ring on the dark menu bar (WCAG 2.4.7, 2.4.11).

Every page's axe check, target sizes and tables are in the walk (test_phone_widths.py).
"""

from __future__ import annotations

import re

import pytest

from e2e.conftest import PHONE

DESKTOP = {"width": 1366, "height": 800}

FOCUSED = """() => {
  const el = document.activeElement;
  const r = el.getBoundingClientRect();
  const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
  const s = getComputedStyle(el);
  return {
    text: el.textContent.trim(), width: r.width, height: r.height, top: r.top, left: r.left,
    onTop: el === hit || el.contains(hit), inNavbar: !!el.closest(".navbar-nav"),
    outline: [s.outlineStyle, parseFloat(s.outlineWidth), s.outlineColor],
    background: getComputedStyle(el.closest(".navbar") || document.body).backgroundColor,
  };
}"""


def _luminance(colour: str) -> float:
    channels = [int(c) / 255 for c in re.findall(r"\d+", colour)[:3]]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    high, low = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["phone", "desktop"])
def test_the_focused_skip_link_is_visible_and_on_top(signed_in, site, officer, viewport):
    page = signed_in(officer, viewport=viewport)
    page.goto(site + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate(FOCUSED)
    assert focused["text"] == "Direct naar de inhoud"
    assert focused["width"] > 24 and focused["height"] > 24 and focused["top"] >= 0 and focused["left"] >= 0, focused
    # Nothing (the menu bar) is painted over it: the element at its centre is the link itself.
    assert focused["onTop"], focused
    page.keyboard.press("Enter")
    assert page.evaluate("() => document.activeElement.id") == "main"


def test_the_focus_ring_on_the_menu_bar_is_clear(signed_in, site, officer):
    page = signed_in(officer, viewport=DESKTOP)
    page.goto(site + "/")
    for _ in range(4):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused["inNavbar"]:
            break
    assert focused["inNavbar"], focused
    style, width, colour = focused["outline"]
    # A solid ring of at least 2 px with a contrast of 3:1 against the dark bar (non-text contrast, 1.4.11).
    assert style != "none" and width >= 2, focused
    assert _contrast(colour, focused["background"]) >= 3, focused


def test_teams_are_indented_under_their_department(signed_in, site, manager_a, department_a, team_a):
    """The overview per department indents by depth with classes (the CSP refuses an inline style)."""
    page = signed_in(manager_a, viewport=DESKTOP)
    page.goto(f"{site}/evaluatie/afdeling/{department_a.pk}/overzicht/")
    table = page.get_by_test_id("director-table")
    department = table.locator(f"tr[data-department='{department_a.pk}'] th a").bounding_box()
    team = table.locator(f"tr[data-department='{team_a.pk}'] th a").bounding_box()
    assert team["x"] >= department["x"] + 12
