"""The Privacy Officer's queue on a phone: search by reference or text, "assigned to me", sort by a column
(aria-sort), the filters kept in the URL and across the open/all switch."""

from __future__ import annotations

from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible, sort_by
from incidents.tests.factories import DataLeakFactory


def test_the_privacy_officer_filters_and_sorts_the_queue_on_a_phone(
    signed_in, site, privacy_officer, team_a, department_b
):
    usb = DataLeakFactory(department=team_a, description="USB-stick met dossiers verloren", assignee=privacy_officer)
    mail = DataLeakFactory(department=team_a)
    elsewhere = DataLeakFactory(department=department_b, assignee=privacy_officer)
    closed = DataLeakFactory(
        department=team_a, description="USB-stick in de trein", closed_at=timezone.now(), assignee=privacy_officer
    )
    page = signed_in(privacy_officer, viewport=PHONE)
    page.goto(f"{site}/datalekken/behandelen/")
    queue = page.get_by_test_id("queue")
    expect(queue.get_by_role("link", name=usb.reference)).to_be_visible()
    expect(queue.get_by_role("link", name=mail.reference)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page, context="queue on a phone")

    # The department is searched on the server as the officer types (a combobox, not a select of every department).
    department = page.get_by_role("combobox", name="Afdeling")
    department.fill("werk en")
    expect(page.get_by_role("option", name=department_b.name)).to_be_visible()
    assert_accessible(page, context="queue, department suggestions open")
    department.press("ArrowDown")
    department.press("Enter")
    expect(department).to_have_value(department_b.name)
    page.get_by_role("button", name="Filteren").click()
    expect(queue.get_by_role("link", name=elsewhere.reference)).to_be_visible()
    expect(queue.get_by_role("link", name=usb.reference)).to_have_count(0)
    expect(page.get_by_role("combobox", name="Afdeling")).to_have_value(department_b.name)
    page.goto(f"{site}/datalekken/behandelen/")

    page.get_by_label("Zoeken").fill("usb-stick")
    page.get_by_label("Aan mij toegewezen").check()
    page.get_by_role("button", name="Filteren").click()
    expect(queue.get_by_role("link", name=usb.reference)).to_be_visible()
    expect(queue.get_by_role("link", name=mail.reference)).to_have_count(0)
    expect(queue.get_by_role("link", name=closed.reference)).to_have_count(0)
    assert "q=usb-stick" in page.url and "mine=on" in page.url

    page.get_by_role("link", name="Alle", exact=True).click()
    expect(queue.get_by_role("link", name=closed.reference)).to_be_visible()
    expect(page.get_by_label("Zoeken")).to_have_value("usb-stick")

    sort_by(page, "Kenmerk")
    header = queue.locator("th", has=page.get_by_role("link", name="Kenmerk"))
    expect(header).to_have_attribute("aria-sort", "ascending")
    expect(queue.locator("tbody tr").first).to_contain_text(usb.reference)
    sort_by(page, "Kenmerk")
    expect(header).to_have_attribute("aria-sort", "descending")
    expect(queue.locator("tbody tr").first).to_contain_text(closed.reference)
    assert "q=usb-stick" in page.url
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert_accessible(page, context="filtered and sorted queue on a phone")
