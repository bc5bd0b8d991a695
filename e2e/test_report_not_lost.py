"""A report whose submit fails on the server: told plainly it was NOT sent, the text kept, another way named."""

from __future__ import annotations

from django.db import DatabaseError
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible
from e2e.test_incidents_report import _fill_report
from incidents import services
from incidents.models import DataLeak

TEXT = "Mail met een uitkeringsbesluit naar de verkeerde Jan gestuurd."


def test_a_failed_submit_keeps_the_text_and_names_another_way(signed_in, site, staff_a, privacy_officer, monkeypatch):
    organisation = staff_a.organisation
    organisation.privacy_contact_name = "Petra de Privacy Officer"
    organisation.privacy_contact_phone = "030 123 45 67"
    organisation.privacy_contact_email = "privacy@voorbeeld.nl"
    organisation.save()

    def database_fails(**kwargs):
        raise DatabaseError("the database went away")

    monkeypatch.setattr(services, "dataleak_report", database_fails)
    page = signed_in(staff_a, viewport=PHONE)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{site}/datalekken/melden/")
    _fill_report(page)
    page.get_by_role("button", name="Melding versturen").click()

    alert = page.get_by_test_id("report-not-sent")
    expect(alert).to_contain_text("Uw melding is NIET verstuurd")
    expect(alert).to_contain_text("er is niets bewaard")
    expect(alert).to_contain_text("Petra de Privacy Officer")
    expect(alert.get_by_role("link", name="030 123 45 67")).to_be_visible()
    expect(page.get_by_label("Beschrijf wat er is gebeurd")).to_have_value(TEXT)
    assert DataLeak.objects.count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, context="report not sent")

    # Away and back (a new tab visit, a reload): the text comes back from the browser, not the server.
    page.goto(f"{site}/")
    page.goto(f"{site}/datalekken/melden/")
    expect(page.get_by_label("Beschrijf wat er is gebeurd")).to_have_value(TEXT)

    # The server works again: sent, the reference shown, and only then the draft is gone.
    monkeypatch.undo()
    page.get_by_role("button", name="Melding versturen").click()
    expect(page.get_by_role("heading", name="Dank u, uw melding is ontvangen")).to_be_visible()
    assert DataLeak.objects.count() == 1
    page.goto(f"{site}/datalekken/melden/")
    expect(page.get_by_label("Beschrijf wat er is gebeurd")).to_have_value("")
