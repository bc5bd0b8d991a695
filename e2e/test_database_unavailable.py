"""The database away at the moment a colleague sends a report: told it was NOT saved, the text shown, and one
button that sends the same submission again once the database is back (stored once)."""

from __future__ import annotations

from django.db import OperationalError
from playwright.sync_api import expect

from e2e.conftest import PHONE, assert_accessible
from e2e.test_incidents_report import _fill_report
from incidents.forms.intake import DataLeakReportForm
from incidents.models import DataLeak

TEXT = "Mail met een uitkeringsbesluit naar de verkeerde Jan gestuurd."


def test_a_submit_while_the_database_is_away_is_sent_again_with_one_button(
    signed_in, site, staff_a, privacy_officer, monkeypatch
):
    def database_away(self):
        raise OperationalError("connection to server at 127.0.0.1 failed: Connection refused")

    page = signed_in(staff_a, viewport=PHONE)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto(f"{site}/datalekken/melden/")
    _fill_report(page)
    # The form's choices are checked against the database: that is where the request meets it gone.
    monkeypatch.setattr(DataLeakReportForm, "is_valid", database_away)
    page.get_by_role("button", name="Melding versturen").click()

    expect(page.get_by_role("heading", name="Wat u verstuurde is NIET opgeslagen")).to_be_visible()
    expect(page.get_by_label("Uw invoer 1")).to_have_value(TEXT)
    assert DataLeak.objects.count() == 0
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(page, context="database unavailable")

    monkeypatch.undo()  # the database is back
    page.get_by_role("button", name="Opnieuw versturen").click()
    expect(page.get_by_role("heading", name="Dank u, uw melding is ontvangen")).to_be_visible()
    assert DataLeak.objects.filter(description=TEXT).count() == 1
